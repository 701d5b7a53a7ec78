package io.surprisal.flink;

import io.surprisal.alert.Alert;
import io.surprisal.alert.Reason;
import io.surprisal.alert.SuppressedAlerts;
import io.surprisal.config.SurprisalConfig;
import java.time.Duration;
import java.util.Locale;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Suppresses repeated alerts. Keyed by {@link Key} (user, detector, main reason): the first alert
 * of a key passes at once and opens a window of the detector's length (event time); further alerts
 * of the key within the window are held back, counted, and the latest kept; when the window closes
 * (an event-time timer, or an alert of the key at or past its end, whichever comes first) one
 * roll-up alert goes out carrying the count in {@link Alert#repeats} and the highest severity seen,
 * and the key's state is cleared. A flood of N alerts thus becomes at most two per window: the
 * first, at once (an account takeover must not wait an hour), and the roll-up.
 */
public class AlertSuppressionFunction extends KeyedProcessFunction<String, Alert, Alert> {
    private final SurprisalConfig.SuppressionConfig config;
    private final Duration stateTtl;
    private transient ValueState<SuppressedAlerts> state;

    public AlertSuppressionFunction(SurprisalConfig.SuppressionConfig config) {
        this.config = config;
        Duration longest = config.window();
        for (Duration d : config.detectors().values()) {
            if (d.compareTo(longest) > 0) {
                longest = d;
            }
        }
        // Timers clear the state; the TTL only guards against a watermark that stops advancing.
        this.stateTtl = longest.plus(Duration.ofDays(1));
    }

    /** The suppression key: user, detector, and the main reason's feature and observed value. */
    public static final class Key implements KeySelector<Alert, String> {
        @Override
        public String getKey(Alert a) {
            Reason r = a.mainReason();
            String reason = r == null ? "" : r.feature + "=" + r.observed;
            return a.user + '\u001f' + a.detector + '\u001f' + reason;
        }
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(Descriptors.suppressedAlerts(stateTtl));
    }

    @Override
    public void processElement(Alert alert, Context ctx, Collector<Alert> out) throws Exception {
        Duration window = config.windowFor(alert.detector);
        if (window.isZero()) {
            out.collect(alert);
            return;
        }
        SuppressedAlerts s = state.value();
        if (s != null && alert.ts >= s.windowEnd) {
            // The window has closed in event time but its timer has not fired yet (the watermark
            // follows this alert): close it now so the order of the outputs stays in event time.
            ctx.timerService().deleteEventTimeTimer(s.windowEnd);
            emitRollUp(s, out);
            state.clear();
            s = null;
        }
        if (s == null) {
            s = new SuppressedAlerts(alert.ts + window.toMillis());
            state.update(s);
            ctx.timerService().registerEventTimeTimer(s.windowEnd);
            out.collect(alert);
            return;
        }
        s.held++;
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
        if (s != null) {
            emitRollUp(s, out);
            state.clear();
        }
    }

    private static void emitRollUp(SuppressedAlerts s, Collector<Alert> out) {
        if (s.held == 0 || s.latest == null) {
            return;
        }
        Alert a = s.latest.copy();
        a.repeats = s.held;
        a.severity = s.maxSeverity;
        a.summary = String.format(Locale.ROOT, "%d alert%s with the same reason held back; the latest: %s",
                s.held, s.held == 1 ? "" : "s", s.latest.summary);
        out.collect(a);
    }
}
