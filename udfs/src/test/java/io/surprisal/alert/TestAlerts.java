package io.surprisal.alert;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertBuilder;
import io.surprisal.alert.Severity;
import io.surprisal.event.Event;

/** Alerts for tests. */
public final class TestAlerts {
    private TestAlerts() {}

    public static Alert alert(String user, String detector, long ts, Severity severity, String feature, String observed, String eventId) {
        Event e = new Event();
        e.ts = ts;
        e.eventId = eventId;
        e.user = user;
        e.action = "login";
        return AlertBuilder.of(detector, e, 1)
                .severity(severity)
                .bits(20, 10)
                .summary(user + " " + feature + " " + observed)
                .reason(feature, observed, "never seen", 12.5)
                .reason("minor", "x", "y", 1.0)
                .repeatOn(feature + "=" + observed)
                .event(e)
                .build();
    }
}
