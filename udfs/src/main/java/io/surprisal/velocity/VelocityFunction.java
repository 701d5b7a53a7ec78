package io.surprisal.velocity;

import io.surprisal.flink.Descriptors;
import io.surprisal.flink.KeyedDetectorFunction;
import io.surprisal.flink.MapStateTopEvents;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertBuilder;
import io.surprisal.alert.Severity;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.config.SurprisalConfig.VelocityDetectorConfig;
import io.surprisal.event.Event;
import java.util.Locale;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.util.Collector;

/**
 * Detector {@code velocity}, keyed by user, on the scored events (already in per-user event-time
 * order): a thin wrapper around {@link VelocityTracker}. A keyed function, not a CEP pattern, because "more than K a minute for 5 minutes" and "gaps too regular" are counts and
 * moments over a sliding run, which a pattern of single-event conditions cannot express without
 * keeping every event of the run as a partial match.
 *
 * <p>Keeps the last {@code alerts.max-events} events in a ring (one small map entry per event) so
 * an alert can list them; a timer clears all state once the user has been idle long enough that no
 * run can continue.
 */
public class VelocityFunction extends KeyedDetectorFunction<String> {
    /** The alerts' {@code detector}. */
    public static final String DETECTOR = "velocity";
    /**
     * The operator's uid until it was named for what it is: its state is restored from savepoints
     * that still hold it under this uid ({@code SurprisalPipeline}).
     */
    public static final String FORMER_UID = "cep-bot-velocity";

    private static final long MINUTE_MS = 60_000L;

    private final VelocityDetectorConfig config;

    private transient VelocityTracker tracker;
    private transient ValueState<VelocityState> velocityState;
    private transient MapState<Integer, Event> recentState;

    public VelocityFunction(SurprisalConfig config) {
        super(config, DETECTOR);
        this.config = config.detectors().velocity();
    }

    @Override
    protected void openState() {
        tracker = new VelocityTracker(config);
        velocityState = getRuntimeContext().getState(Descriptors.velocity(ttl));
        recentState = getRuntimeContext().getMapState(Descriptors.velocityRecentEvents(ttl));
    }

    @Override
    public void processElement(Event e, Context ctx, Collector<Alert> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        VelocityState s = velocityState.value();
        if (e.ts <= watermark || (s != null && e.ts < s.lastTs)) {
            // The scoring operator upstream already orders each user's events, so this only
            // happens if the graph changes; the event is reported, never silently dropped.
            late(e, watermark, ctx);
            return;
        }
        if (s == null) {
            s = new VelocityState();
        }
        recentState.put((int) (s.events % maxEvents), e);
        VelocityTracker.Finding finding = tracker.onEvent(s, e.ts);
        if (finding != VelocityTracker.Finding.NONE) {
            emit(alert(finding, s, e), out);
        }
        // One coarse timer (a whole minute) at a time: it moves itself in onTimer while the user is
        // active, so a busy user does not register a timer per event.
        if (s.cleanupTimer == Long.MIN_VALUE) {
            s.cleanupTimer = ceilMinute(s.lastTs + tracker.idleMillis());
            ctx.timerService().registerEventTimeTimer(s.cleanupTimer);
        }
        velocityState.update(s);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        VelocityState s = velocityState.value();
        if (s == null) {
            return;
        }
        long due = s.lastTs + tracker.idleMillis();
        if (timestamp >= due) {
            velocityState.clear();
            // The ring's slots are 0 to min(events, max-events) - 1.
            MapStateTopEvents.removeSlots(recentState, Math.min(s.events, maxEvents));
        } else {
            s.cleanupTimer = ceilMinute(due);
            ctx.timerService().registerEventTimeTimer(s.cleanupTimer);
            velocityState.update(s);
        }
    }

    private static long ceilMinute(long ts) {
        return Math.floorDiv(ts + MINUTE_MS - 1, MINUTE_MS) * MINUTE_MS;
    }

    private Alert alert(VelocityTracker.Finding finding, VelocityState s, Event trigger) throws Exception {
        AlertBuilder a = AlertBuilder.of(DETECTOR, trigger, maxEvents);
        // The ring, oldest first: the events that made the finding (the last ones of the run).
        long n = Math.min(s.events, maxEvents);
        double bits = 0;
        for (long seq = s.events - n; seq < s.events; seq++) {
            Event e = recentState.get((int) (seq % maxEvents));
            if (e != null) {
                a.event(e);
                bits += e.bits;
            }
        }
        if (finding == VelocityTracker.Finding.RATE) {
            a.score(s.minuteCount, config.maxEventsPerMinute(), "events/min")
                    .severity(Severity.HIGH)
                    .summary(String.format(Locale.ROOT,
                            "%s made more than %d events a minute for %d consecutive minutes, faster than a person keeps up",
                            trigger.user, config.maxEventsPerMinute(), config.sustainedMinutes()))
                    .reason("events_per_minute",
                            String.format(Locale.ROOT, "> %d in each of %d consecutive minutes", config.maxEventsPerMinute(), s.fastRun + 1),
                            String.format(Locale.ROOT, "<= %d in at least one of %d consecutive minutes",
                                    config.maxEventsPerMinute(), config.sustainedMinutes()),
                            bits);
        } else {
            double cv = VelocityTracker.gapCv(s);
            double meanSeconds = VelocityTracker.meanGap(s) / 1000.0;
            a.score(cv, config.maxGapCv(), "cv")
                    .severity(Severity.MEDIUM)
                    .summary(String.format(Locale.ROOT,
                            "%s's last %d gaps between events averaged %.1f s with a coefficient of variation of %.3f, below %.3f: too regular for a person",
                            trigger.user, s.gapCount, meanSeconds, cv, config.maxGapCv()))
                    .reason("gap_regularity",
                            String.format(Locale.ROOT, "cv %.3f over %d gaps, mean %.1f s", cv, s.gapCount, meanSeconds),
                            String.format(Locale.ROOT, ">= %.3f (people are irregular, typically 0.5 or more)", config.maxGapCv()),
                            bits);
        }
        return a.build();
    }
}
