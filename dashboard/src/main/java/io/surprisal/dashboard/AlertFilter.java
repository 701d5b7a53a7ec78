package io.surprisal.dashboard;

/**
 * What the list shows: any of detector, minimum severity, user, and an event-time range (epoch
 * milliseconds, from inclusive, to exclusive); null means no condition.
 */
record AlertFilter(String detector, String minSeverity, String user, Long from, Long to, int limit) {
    static final int MAX_LIMIT = 1000;

    AlertFilter {
        limit = Math.max(1, Math.min(limit, MAX_LIMIT));
        detector = blankToNull(detector);
        minSeverity = blankToNull(minSeverity);
        user = blankToNull(user);
    }

    static AlertFilter all(int limit) {
        return new AlertFilter(null, null, null, null, null, limit);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
