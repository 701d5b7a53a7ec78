package io.surprisal.alert;

import io.surprisal.flink.Descriptors;

import io.surprisal.cep.PatternAlerts;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.UserKey;
import java.time.Duration;
import java.util.Locale;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Suppresses repeated alerts, in one of two scopes. {@link Scope#REASON}, keyed by {@link Key}
 * (user, detector, main reason): the first alert of a key passes at once and opens a window of the
 * detector's length (event time); further alerts of the key within the window are held back,
 * counted, and the latest kept; when the window closes (an event-time timer, or an alert of the key
 * at or past its end, whichever comes first) one roll-up alert goes out carrying the count in
 * {@link Alert#repeats} and the highest severity seen, and the key's state is cleared. A flood of N
 * alerts thus becomes at most two per window: the first, at once (an account takeover must not wait
 * an hour), and the roll-up. An escalation is never held back: an alert more severe than any the
 * window has let through passes at once too (a brute-force that ends in a successful login is
 * critical, though its main reason, the failed logins, may be the one a high alert already
 * reported).
 *
 * <p>{@link Scope#DETECTOR}, keyed by {@link DetectorKey} (user, detector), is the budget in front
 * of it: the same rules, but the first {@code suppression.max-alerts} alerts of a window pass, not
 * one. A user whose every alert has a new main reason (a new country, a new IP at every login)
 * would pass the first scope every time; this one lets at most that many through per window.
 * A held-back alert that is itself a roll-up counts for all its {@link Alert#repeats}.
 *
 * <p>Alerts are handled as they arrive: every detector's alerts about one user come from one
 * operator instance, in the order it emitted them, which is the same in every run. A detector
 * raised by two operators would break this (the order of their alerts would depend on how the
 * operators interleave): each detector is one operator.
 */
public class AlertSuppressionFunction extends KeyedProcessFunction<String, Alert, Alert> {
    /** What the windows are kept per. */
    public enum Scope {
        /** Per (user, detector, main reason): one alert per window passes. */
        REASON,
        /** Per (user, detector): {@code suppression.max-alerts} per window pass. */
        DETECTOR
    }

    private final SurprisalConfig.SuppressionConfig config;
    private final Scope scope;
    /** How many alerts a window lets through (escalations aside). */
    private final int limit;
    private final Duration stateTtl;
    private transient ValueState<SuppressedAlerts> state;

    /** Per main reason: one alert per window. */
    public AlertSuppressionFunction(SurprisalConfig.SuppressionConfig config) {
        this(config, Scope.REASON);
    }

    /**
     * @param scope per main reason (one alert per window), or per detector (the budget; its
     *     operator runs only when {@code suppression.max-alerts} is above 0)
     */
    public AlertSuppressionFunction(SurprisalConfig.SuppressionConfig config, Scope scope) {
        this.config = config;
        this.scope = scope;
        this.limit = scope == Scope.REASON ? 1 : config.maxAlerts();
        Duration longest = config.window();
        for (Duration d : config.detectors().values()) {
            if (d.compareTo(longest) > 0) {
                longest = d;
            }
        }
        // Timers clear the state; the TTL only guards against a watermark that stops advancing.
        this.stateTtl = longest.plus(Duration.ofDays(1));
    }

    /** The suppression key: user (with its tenant, {@link UserKey}), detector, and the main reason's feature and observed value. */
    public static final class Key implements KeySelector<Alert, String> {
        @Override
        public String getKey(Alert a) {
            Reason r = a.mainReason();
            String reason = r == null ? "" : r.feature + "=" + r.observed;
            return UserKey.of(a.tenant, a.user) + '\u001f' + a.detector + '\u001f' + reason;
        }
    }

    /** The budget's key: user (with its tenant) and detector. */
    public static final class DetectorKey implements KeySelector<Alert, String> {
        @Override
        public String getKey(Alert a) {
            return UserKey.of(a.tenant, a.user) + '\u001f' + a.detector;
        }
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(Descriptors.suppressedAlerts(stateTtl));
    }

    @Override
    public void processElement(Alert alert, Context ctx, Collector<Alert> out) throws Exception {
        Duration window = config.windowFor(alert.detector);
        TimerService timers = ctx.timerService();
        if (window.isZero()) {
            out.collect(alert);
            return;
        }
        SuppressedAlerts s = state.value();
        if (s != null && alert.ts >= s.windowEnd) {
            // The window has closed in event time but its timer has not fired yet (the watermark
            // follows this alert): close it now so the order of the outputs stays in event time.
            timers.deleteEventTimeTimer(s.windowEnd);
            emitRollUp(s, out);
            state.clear();
            s = null;
        }
        if (s == null) {
            s = new SuppressedAlerts(alert.ts + window.toMillis());
            s.passed = alert.severity;
            s.sent = 1;
            state.update(s);
            timers.registerEventTimeTimer(s.windowEnd);
            out.collect(alert);
            return;
        }
        // A window restored from before `sent` existed has let its first alert through.
        int sent = Math.max(1, s.sent);
        boolean escalation = s.passed != null && alert.severity.compareTo(s.passed) > 0;
        if (escalation || sent < limit) {
            // An escalation (more urgent than anything this key has sent in the window), or room
            // left in the budget.
            if (s.passed == null || alert.severity.compareTo(s.passed) > 0) {
                s.passed = alert.severity;
            }
            s.sent = sent + 1;
            state.update(s);
            out.collect(alert);
            return;
        }
        s.held += Math.max(1, alert.repeats);
        if (s.latest == null || alert.ts >= s.latest.ts) {
            s.latest = alert;
        }
        if (s.maxSeverity == null || alert.severity.compareTo(s.maxSeverity) > 0) {
            s.maxSeverity = alert.severity;
        }
        state.update(s);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        SuppressedAlerts s = state.value();
        if (s != null && timestamp >= s.windowEnd) {
            emitRollUp(s, out);
            state.clear();
        }
    }

    /**
     * Summaries of roll-ups read "N alert(s) with the same reason held back; the latest: ..." or
     * "N alert(s) of DETECTOR for USER over the budget of M per WINDOW held back; the latest: ...".
     */
    private static final String ROLL_UP_MARK = " held back; the latest: ";

    /**
     * Whether {@code a} is a roll-up of held-back alerts (it leaves when its window closes, not when
     * its events came): {@code repeats} alone does not tell, a roll-up of one alert has {@code repeats} 1.
     */
    public static boolean isRollUp(Alert a) {
        return a.repeats > 1 || (a.summary != null && a.summary.contains(ROLL_UP_MARK));
    }

    private void emitRollUp(SuppressedAlerts s, Collector<Alert> out) {
        if (s.held == 0 || s.latest == null) {
            return;
        }
        Alert a = s.latest.copy();
        a.repeats = s.held;
        a.severity = s.maxSeverity;
        String what = scope == Scope.REASON
                ? " with the same reason"
                : String.format(Locale.ROOT, " of %s for %s over the budget of %d per %s", a.detector, a.user, limit,
                        PatternAlerts.human(config.windowFor(a.detector)));
        a.summary = String.format(Locale.ROOT, "%d alert%s%s%s%s", s.held, s.held == 1 ? "" : "s", what, ROLL_UP_MARK, s.latest.summary);
        out.collect(a);
    }
}
