package io.surprisal.flink;

import io.surprisal.alert.Alert;
import io.surprisal.alert.Reason;
import io.surprisal.alert.Severity;
import io.surprisal.event.Event;

/** Alerts for tests. */
final class TestAlerts {
    private TestAlerts() {}

    static Alert alert(String user, String detector, long ts, Severity severity, String feature, String observed, String eventId) {
        Alert a = new Alert();
        a.ts = ts;
        a.user = user;
        a.detector = detector;
        a.severity = severity;
        a.score = 20;
        a.threshold = 10;
        a.unit = "bits";
        a.summary = user + " " + feature + " " + observed;
        a.reasons.add(new Reason(feature, observed, "never seen", 12.5));
        a.reasons.add(new Reason("minor", "x", "y", 1.0));
        Event e = new Event();
        e.ts = ts;
        e.eventId = eventId;
        e.user = user;
        e.action = "login";
        a.events.add(e);
        return a.withDerivedId();
    }
}
