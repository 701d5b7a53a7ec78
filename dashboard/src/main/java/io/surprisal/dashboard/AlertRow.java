package io.surprisal.dashboard;

/** One alert as the list shows it; {@code status} is open, acknowledged or false_positive. */
record AlertRow(String alertId, long ts, String user, String tenant, String detector, String severity,
        double score, String summary, int repeats, String status) {}
