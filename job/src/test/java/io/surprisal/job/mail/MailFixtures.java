package io.surprisal.job.mail;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertBuilder;
import io.surprisal.alert.AlertGroup;
import io.surprisal.alert.Severity;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.Event;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Alerts, groups and mail settings for the mail tests. */
final class MailFixtures {
    private MailFixtures() {}

    static final String SECURITY_TEAM = "security@example.org";
    static final String IDENTITY_TEAM = "identity@example.org";

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Mail to a local server: high and above to the security team, login-novelty also to the identity team. */
    static SurprisalConfig config(int port, String... more) {
        List<String> sets = new ArrayList<>(List.of(
                "mail.enabled=true", "mail.host=127.0.0.1", "mail.port=" + port, "mail.security=none",
                "mail.from=surprisal@example.org", "mail.min-severity=high",
                "mail.routes=[{detectors: [], min-severity: high, to: [" + SECURITY_TEAM + "]},"
                        + " {detectors: [login-novelty], min-severity: high, to: [" + IDENTITY_TEAM + "]}]",
                "mail.dashboard-url=https://dash.example.org/alerts/{alert_id}?user={user}",
                "mail.retry-initial-backoff=100ms", "mail.retry-max-backoff=400ms", "mail.timeout=2s"));
        sets.addAll(List.of(more));
        return ConfigLoader.load(null, sets);
    }

    static Event event(String id, String user, long ts, String action, String country, String city, String ip, String userAgent) {
        Event e = new Event();
        e.eventId = id;
        e.user = user;
        e.ts = ts;
        e.action = action;
        e.country = country;
        e.city = city;
        e.ip = ip;
        e.userAgent = userAgent;
        e.device = "desktop";
        e.noveltyBits = 23.8;
        return e;
    }

    /** Jane Doe's login from a country and a browser she never used. */
    static Alert jane(long ts) {
        return AlertBuilder.of("login-novelty", ts, "jane", "s-jane-1", 1)
                .severity(Severity.HIGH)
                .bits(23.8, 16)
                .summary("jane logged in from a country (UA) and a browser (Firefox) she never used: 23.8 bits, above 16.0")
                .reason("browser", "Firefox", "never seen (Chrome 212 of 214 logins)", 9.6)
                .reason("country", "UA", "never seen (DE 214 of 214 logins)", 14.2)
                .event(event("ev-" + ts, "jane", ts, "login", "UA", "Kyiv", "193.0.2.17",
                        "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"))
                .build();
    }

    static Alert alert(String user, String detector, Severity severity, long ts, String observed) {
        Event e = event("ev-" + user + "-" + ts, user, ts, observed, "DE", "Berlin", "198.51.100.7", "curl/8.0");
        return AlertBuilder.of(detector, e, 1)
                .severity(severity)
                .bits(20, 15)
                .summary(user + " went from login to " + observed)
                .reason("transition", "login -> " + observed, "population p=0.0001", 20)
                .event(e)
                .build();
    }

    static AlertGroup group(Alert... alerts) {
        AlertGroup g = new AlertGroup(alerts[0].user, alerts[0].ts + 600_000);
        for (Alert a : alerts) {
            g.add(a);
        }
        return g;
    }
}
