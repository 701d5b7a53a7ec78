package io.surprisal.cep;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertBuilder;
import io.surprisal.alert.Reason;
import io.surprisal.alert.Severity;
import io.surprisal.event.Event;
import io.surprisal.event.Timestamps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;

/**
 * Turns one match of a CEP pattern into an {@link Alert}: detector {@code cep:<name>}, the matched
 * events (at most {@code alerts.max-events}, the first and the last always among them), a summary
 * sentence, and reasons carrying the matched events' bits (transition surprisal, plus login-novelty
 * bits where the pattern depends on novelty). Partial matches that time out are not handed here:
 * they are dropped.
 */
public class PatternAlerts extends PatternProcessFunction<Event, Alert> {
    private static final long serialVersionUID = 1L;

    /** A pattern fires on its shape, not past a threshold: its score, the bits of its steps, says how unusual they were. */
    private static final double SHAPE_THRESHOLD = 0;

    private final String name;
    private final CepPatterns.Key key;
    private final int maxEvents;

    private transient Counter alertsMetric;

    public PatternAlerts(String name, CepPatterns.Key key, int maxEvents) {
        this.name = name;
        this.key = key;
        this.maxEvents = maxEvents;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        alertsMetric = getRuntimeContext().getMetricGroup().addGroup("alerts", name).counter("count");
    }

    @Override
    public void processMatch(Map<String, List<Event>> match, Context ctx, Collector<Alert> out) {
        alertsMetric.inc();
        out.collect(toAlert(match));
    }

    /** The alert for one match (elements in pattern order). */
    Alert toAlert(Map<String, List<Event>> match) {
        List<Event> all = new ArrayList<>();
        for (List<Event> part : match.values()) {
            all.addAll(part);
        }
        all.sort((a, b) -> Long.compare(a.ts, b.ts)); // stable: ties keep the pattern's order
        Event first = all.get(0);
        Event last = all.get(all.size() - 1);
        double bits = 0;
        for (Event e : all) {
            bits += e.bits;
        }
        AlertBuilder a = AlertBuilder.of(CepPatterns.detector(name), last, maxEvents).events(all);
        if (key == CepPatterns.Key.IP) {
            a.user("ip:" + last.ip);
        }
        String span = span(first, last);
        switch (name) {
            case CepPatterns.FAILED_LOGIN_THEN_BUY -> a.severity(Severity.HIGH)
                    .bits(bits, SHAPE_THRESHOLD)
                    .summary(String.format(Locale.ROOT,
                            "%s bought at %s, %s after a failed login, with no successful login in between",
                            last.user, Timestamps.format(last.ts), span))
                    .reason(step("failed_login", first, "no purchase without a successful login first"))
                    .reason(step("buy_without_login", last, "a successful login before buying"));
            case CepPatterns.ACCOUNT_TAKEOVER -> {
                Event login = match.get(CepPatterns.NOVEL_LOGIN).get(0);
                Event profile = match.get(CepPatterns.PROFILE_CHANGE).get(0);
                Event payment = match.get(CepPatterns.PAYMENT_CHANGE).get(0);
                a.severity(Severity.CRITICAL)
                        .bits(bits + login.noveltyBits, SHAPE_THRESHOLD)
                        .summary(String.format(Locale.ROOT,
                                "%s logged in from a new device or place, then changed %s, then %s, then did %s, all within %s",
                                last.user, profile.action, payment.action, last.action, span))
                        .reason("novel_login", login.action + ":" + login.status() + " " + place(login),
                                "a device and place this user has used before", login.noveltyBits + login.bits)
                        .reason(step("profile_change", profile, "no change of contact or credentials after a new login"))
                        .reason(step("payment_change", payment, "no change of payment details after it"))
                        .reason(step("trade", last, "no trade right after both changes"));
            }
            default -> throw new IllegalStateException("no alert shape for pattern " + name);
        }
        return a.build();
    }

    private static Reason step(String feature, Event e, String expected) {
        return new Reason(feature, e.action + ":" + e.status() + " at " + Timestamps.format(e.ts), expected, e.bits);
    }

    private static String place(Event e) {
        return "(" + (e.device == null ? "?" : e.device) + ", " + (e.country == null ? "?" : e.country)
                + (e.city == null ? "" : " " + e.city) + ")";
    }

    private static String span(Event first, Event last) {
        return human(Duration.ofMillis(last.ts - first.ts));
    }

    /** A duration as a person reads it in an alert: {@code 40 s}, {@code 2 min 5 s}, {@code 1 h 30 min}. */
    public static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s % 60 == 0 ? (s / 60) + " min" : String.format(Locale.ROOT, "%d min %d s", s / 60, s % 60);
        }
        long min = (s % 3600) / 60;
        return min == 0 ? (s / 3600) + " h" : String.format(Locale.ROOT, "%d h %d min", s / 3600, min);
    }
}
