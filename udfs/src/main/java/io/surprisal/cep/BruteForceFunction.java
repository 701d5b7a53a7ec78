package io.surprisal.cep;

import io.surprisal.flink.Descriptors;
import io.surprisal.flink.KeyedDetectorFunction;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertBuilder;
import io.surprisal.alert.Reason;
import io.surprisal.alert.Severity;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.config.SurprisalConfig.BruteForceConfig;
import io.surprisal.event.Event;
import io.surprisal.event.Timestamps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.util.Collector;

/**
 * Detector {@code cep:brute-force}, keyed by user, on the user's logins (already in per-user
 * event-time order). A keyed function rather than CEP patterns: "n failures within the window" as a
 * pattern keeps a partial match open for every failure, so a flood of failures from one user made
 * each of its events cost work in proportion to the flood, and stalled every user of the subtask.
 * Here each login costs a few state accesses and the state is bounded: the run's counts and a ring
 * of its last {@value #RING} failures.
 *
 * <p>It raises what the patterns raised, on the same events:
 * <ul>
 *   <li>high: at the failure that makes {@code min-failures} within the window (first to last less
 *       than {@code within} apart), the alert lists those failures. The run's later failures (a run
 *       lasts while failures come less than {@code within} apart) only count; when the run ends, a
 *       second high alert states its total if at least another {@code min-failures} came after the
 *       last alert.
 *   <li>critical: a successful login with {@code min-failures} failures within the window before
 *       it (since the last such alert); it lists the earliest of them the ring holds and the login,
 *       and counts every failure since the last such alert.
 * </ul>
 * A timer ends the run and clears the state once the window has passed without a failure.
 */
public class BruteForceFunction extends KeyedDetectorFunction<String> {
    /**
     * Failures kept per user: more than an alert lists, and enough that a successful login's match
     * starts at its true earliest failure unless more than this many came within the window.
     */
    static final int RING = 32;

    private final BruteForceConfig config;
    private final long withinMs;

    private transient ValueState<FailedLoginRun> runState;
    private transient MapState<Integer, Event> ring;

    public BruteForceFunction(SurprisalConfig config) {
        super(config, CepPatterns.BRUTE_FORCE);
        this.config = config.cep().bruteForce();
        this.withinMs = this.config.within().toMillis();
    }

    /** The events this detector takes: logins, failed or not. */
    public static boolean isRouted(Event e) {
        return "login".equals(e.action);
    }

    @Override
    protected void openState() {
        runState = getRuntimeContext().getState(Descriptors.bruteForceRun(ttl));
        ring = getRuntimeContext().getMapState(Descriptors.bruteForceFailures(ttl));
    }

    @Override
    public void processElement(Event e, Context ctx, Collector<Alert> out) throws Exception {
        if (!isRouted(e)) {
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        FailedLoginRun run = runState.value();
        if (e.ts <= watermark || (run != null && e.ts < run.lastFailure)) {
            // The scoring operator upstream already orders each user's events, so this only
            // happens if the graph changes; the event is reported, never silently dropped.
            late(e, watermark, ctx);
            return;
        }
        if (run != null && e.ts - run.lastFailure >= withinMs) {
            // The run is over in event time; its timer has not fired yet (the watermark follows).
            ctx.timerService().deleteEventTimeTimer(run.cleanupTimer);
            endRun(run, out);
            run = null;
        }
        if (e.fail) {
            if (run == null) {
                run = new FailedLoginRun();
            }
            onFailure(run, e, out);
            if (run.cleanupTimer == Long.MIN_VALUE) {
                // One timer at a time: it moves itself in onTimer while failures keep coming.
                run.cleanupTimer = run.lastFailure + withinMs;
                ctx.timerService().registerEventTimeTimer(run.cleanupTimer);
            }
            runState.update(run);
        } else if (run != null && onSuccess(run, e, out)) {
            runState.update(run);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        FailedLoginRun run = runState.value();
        if (run == null) {
            return;
        }
        long due = run.lastFailure + withinMs;
        if (timestamp >= due) {
            endRun(run, out);
        } else {
            run.cleanupTimer = due;
            ctx.timerService().registerEventTimeTimer(due);
            runState.update(run);
        }
    }

    private void onFailure(FailedLoginRun run, Event e, Collector<Alert> out) throws Exception {
        long seq = ++run.failures;
        if (seq == run.usedBySuccess + 1) {
            run.sinceSuccessFrom = e.ts;
        }
        run.lastFailure = e.ts;
        ring.put(slot(seq), e);
        if (run.alertedAt > 0) {
            run.alertedBits += e.bits;
            return;
        }
        int n = config.minFailures();
        if (seq < n) {
            return;
        }
        List<Event> window = failures(seq - n + 1, seq);
        if (e.ts - window.get(0).ts < withinMs) {
            run.alertedAt = seq;
            run.alertedFrom = window.get(0).ts;
            run.alertedBits = sumBits(window);
            emit(failuresAlert(window), out);
        }
    }

    /** Whether the login completes a match (and changed the run). */
    private boolean onSuccess(FailedLoginRun run, Event login, Collector<Alert> out) throws Exception {
        int n = config.minFailures();
        long since = run.failures - run.usedBySuccess;
        if (since < n) {
            return false;
        }
        // The earliest failure since the last such alert within the window before the login (among
        // those the ring holds): a match needs n failures from it on.
        long oldest = Math.max(run.usedBySuccess + 1, run.failures - RING + 1);
        for (long seq = oldest; seq <= run.failures - n + 1; seq++) {
            Event first = ring.get(slot(seq));
            if (login.ts - first.ts < withinMs) {
                List<Event> matched = failures(seq, seq + n - 1);
                emit(successAlert(matched, login, since, run), out);
                run.usedBySuccess = run.failures;
                return true;
            }
        }
        return false;
    }

    /**
     * The run is over: its total, if at least another {@code min-failures} failures came after its
     * last alert (a critical one states the failures before it), then no state left.
     */
    private void endRun(FailedLoginRun run, Collector<Alert> out) throws Exception {
        if (run.alertedAt > 0 && run.failures - Math.max(run.alertedAt, run.usedBySuccess) >= config.minFailures()) {
            long from = Math.max(1, Math.max(run.failures - RING + 1, run.failures - maxEvents + 1));
            long total = run.failures - run.alertedAt + config.minFailures();
            emit(totalAlert(failures(from, run.failures), total, run), out);
        }
        for (long seq = Math.max(1, run.failures - RING + 1); seq <= run.failures; seq++) {
            ring.remove(slot(seq));
        }
        runState.clear();
    }

    private static int slot(long seq) {
        return (int) (seq % RING);
    }

    /** Failures {@code from} to {@code to} (sequence numbers the ring still holds), oldest first. */
    private List<Event> failures(long from, long to) throws Exception {
        List<Event> out = new ArrayList<>((int) (to - from + 1));
        for (long seq = from; seq <= to; seq++) {
            out.add(ring.get(slot(seq)));
        }
        return out;
    }

    private Alert failuresAlert(List<Event> failed) {
        Event first = failed.get(0);
        Event last = failed.get(failed.size() - 1);
        String span = span(first, last);
        return alert(last, Severity.HIGH, failed.size(), failed)
                .summary(String.format(Locale.ROOT, "%s failed to log in %d times in %s", last.user, failed.size(), span))
                .reason(failedLogins(failed.size(), span, sumBits(failed)))
                .build();
    }

    private Alert successAlert(List<Event> failed, Event login, long since, FailedLoginRun run) {
        List<Event> events = new ArrayList<>(failed);
        events.add(login);
        String span = PatternAlerts.human(Duration.ofMillis(run.lastFailure - run.sinceSuccessFrom));
        return alert(login, Severity.CRITICAL, since, events)
                .summary(String.format(Locale.ROOT,
                        "%s logged in successfully after %d failed logins in %s: a guessed password is likely", login.user, since, span))
                .reason(failedLogins(since, span, sumBits(failed)))
                .reason("login_after_failures", login.action + ":" + login.status() + " at " + Timestamps.format(login.ts),
                        "no success after a wall of failures", login.bits)
                .build();
    }

    /** How a run's total ends its summary. */
    static final String RUN_WENT_ON = "the run of failures went on after its first alert";

    /**
     * Whether {@code a} is a run's total: it leaves when event time passes the run's end (a timer),
     * not on an event it lists.
     */
    public static boolean isRunTotal(Alert a) {
        return a.summary != null && a.summary.endsWith(RUN_WENT_ON);
    }

    private Alert totalAlert(List<Event> last, long total, FailedLoginRun run) {
        Event end = last.get(last.size() - 1);
        String span = PatternAlerts.human(Duration.ofMillis(run.lastFailure - run.alertedFrom));
        return alert(end, Severity.HIGH, total, last)
                .summary(String.format(Locale.ROOT,
                        "%s failed to log in %d times in %s: %s", end.user, total, span, RUN_WENT_ON))
                .reason(failedLogins(total, span, run.alertedBits))
                .build();
    }

    private AlertBuilder alert(Event trigger, Severity severity, long failures, List<Event> events) {
        return AlertBuilder.of(CepPatterns.detector(CepPatterns.BRUTE_FORCE), trigger, maxEvents)
                .severity(severity)
                .score(failures, config.minFailures(), "failed logins")
                .events(events);
    }

    private Reason failedLogins(long count, String span, double bits) {
        return new Reason("failed_logins", String.format(Locale.ROOT, "%d in %s", count, span),
                String.format(Locale.ROOT, "fewer than %d within %s", config.minFailures(), PatternAlerts.human(config.within())),
                bits);
    }

    private static String span(Event first, Event last) {
        return PatternAlerts.human(Duration.ofMillis(last.ts - first.ts));
    }

    private static double sumBits(List<Event> events) {
        double s = 0;
        for (Event e : events) {
            s += e.bits;
        }
        return s;
    }
}
