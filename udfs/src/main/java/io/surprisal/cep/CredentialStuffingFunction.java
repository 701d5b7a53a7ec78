package io.surprisal.cep;

import io.surprisal.flink.Descriptors;
import io.surprisal.flink.KeyedDetectorFunction;
import io.surprisal.flink.PendingEvents;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertBuilder;
import io.surprisal.alert.Reason;
import io.surprisal.alert.Severity;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.config.SurprisalConfig.CredentialStuffingConfig;
import io.surprisal.event.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.util.Collector;

/**
 * Detector {@code cep:credential-stuffing}, keyed by IP, on failed logins: failures of at least
 * {@code min-users} distinct users from one IP within the window (first to last less than {@code
 * within} apart). A keyed function rather than a CEP pattern: the pattern kept a partial match open
 * for every failure, each checking the users of its own, so one user failing thousands of times from
 * one IP cost work in proportion to the flood at every event. Here a failure costs a few state
 * accesses and the state is bounded: the last {@code min-users} distinct users with their latest
 * failure (the least recent makes room), which decide the match exactly as the pattern did.
 *
 * <p>Failures wait for the watermark (they come from many users' operators) and are taken in event
 * time, those of one instant by user and event id. At the failure that makes {@code min-users}
 * users, one alert lists each user's latest failure.
 * The IP's later failures (a run lasts while they come less than {@code within} apart) only count,
 * failures and distinct users (up to {@value #MAX_COUNTED_USERS}); when the run ends, one more alert
 * states the totals if at least another {@code min-users} users came. A timer ends the run and
 * clears the state once the window has passed without a failure.
 */
public class CredentialStuffingFunction extends KeyedDetectorFunction<String> {
    /** Distinct users counted per run, at most: the bound of the per-IP set of names. */
    static final int MAX_COUNTED_USERS = 10_000;

    private final CredentialStuffingConfig config;
    private final long withinMs;

    private transient ValueState<FailedLoginsFromIp> runState;
    private transient MapState<Integer, Event> slots;
    private transient MapState<String, Boolean> counted;
    private transient PendingEvents pending;

    public CredentialStuffingFunction(SurprisalConfig config) {
        super(config, CepPatterns.CREDENTIAL_STUFFING);
        this.config = config.cep().credentialStuffing();
        this.withinMs = this.config.within().toMillis();
    }

    /** The events this detector takes: failed logins with an IP address. */
    public static boolean isRouted(Event e) {
        return CepPatterns.isFailedLogin(e) && e.ip != null && !e.ip.isEmpty();
    }

    @Override
    protected void openState() {
        runState = getRuntimeContext().getState(Descriptors.credentialStuffingRun(ttl));
        slots = getRuntimeContext().getMapState(Descriptors.credentialStuffingFailures(ttl));
        counted = getRuntimeContext().getMapState(Descriptors.credentialStuffingUsers(ttl));
        pending = new PendingEvents(getRuntimeContext(), Descriptors.credentialStuffingPendingEvents(ttl));
    }

    @Override
    public void processElement(Event e, Context ctx, Collector<Alert> out) throws Exception {
        if (!isRouted(e)) {
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        if (e.ts <= watermark) {
            late(e, watermark, ctx);
            return;
        }
        // An IP's failures come from many users' operators, each in its own event-time order:
        // they wait for the watermark and are taken in event-time order.
        if (pending.add(e)) {
            ctx.timerService().registerEventTimeTimer(e.ts);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        List<Event> due = pending.takeAt(timestamp);
        if (due.size() > 1) {
            // Equal times from several users' operators arrive in any order: fix one.
            due.sort(SAME_INSTANT);
        }
        for (Event e : due) {
            onFailure(e, ctx, out);
        }
        FailedLoginsFromIp run = runState.value();
        if (run == null || run.cleanupTimer != timestamp) {
            return;
        }
        long end = run.lastFailure + withinMs;
        if (timestamp >= end) {
            endRun(run, out);
        } else {
            // Failures kept coming: the one timer moves.
            run.cleanupTimer = end;
            ctx.timerService().registerEventTimeTimer(end);
            runState.update(run);
        }
    }

    private static final Comparator<Event> SAME_INSTANT = Comparator.comparing((Event e) -> e.user)
            .thenComparing(e -> e.eventId, Comparator.nullsFirst(Comparator.naturalOrder()));

    private void onFailure(Event e, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        FailedLoginsFromIp run = runState.value();
        if (run != null && e.ts - run.lastFailure >= withinMs) {
            // The run is over in event time; its timer has not fired yet (it is due at this instant).
            if (run.cleanupTimer != e.ts) {
                ctx.timerService().deleteEventTimeTimer(run.cleanupTimer);
            }
            endRun(run, out);
            run = null;
        }
        if (run == null) {
            run = new FailedLoginsFromIp();
        }
        run.lastFailure = e.ts;
        if (run.alerted) {
            count(run, e);
        } else {
            remember(run, e, out);
        }
        if (run.cleanupTimer == Long.MIN_VALUE) {
            run.cleanupTimer = run.lastFailure + withinMs;
            ctx.timerService().registerEventTimeTimer(run.cleanupTimer);
        }
        runState.update(run);
    }

    /**
     * Before the alert: the failure's user becomes (or stays) one of the last distinct users; when
     * they are {@code min-users} all within the window, the alert. Exactly the pattern's decision: a
     * partial match from the earliest failure within the window before this one holds every user
     * since, and it completes at the failure that brings the {@code min-users}th.
     */
    private void remember(FailedLoginsFromIp run, Event e, Collector<Alert> out) throws Exception {
        int n = config.minUsers();
        int slot = indexOf(run.users, e.user);
        if (slot < 0) {
            if (run.users.length < n) {
                slot = run.users.length;
                run.users = Arrays.copyOf(run.users, slot + 1);
                run.latest = Arrays.copyOf(run.latest, slot + 1);
            } else {
                slot = leastRecent(run.latest);
            }
            run.users[slot] = e.user;
        }
        run.latest[slot] = e.ts;
        slots.put(slot, e);
        if (run.users.length < n || e.ts - run.latest[leastRecent(run.latest)] >= withinMs) {
            return;
        }
        List<Event> failed = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            failed.add(slots.get(i));
        }
        failed.sort((a, b) -> Long.compare(a.ts, b.ts)); // stable: equal times keep the slots' order
        emit(firstAlert(failed), out);
        run.alerted = true;
        run.alertedFrom = failed.get(0).ts;
        run.failuresSinceAlert = n;
        run.bitsSinceAlert = sumBits(failed);
        for (String user : run.users) {
            counted.put(user, Boolean.TRUE);
        }
        run.usersSinceAlert = n;
        run.users = new String[0];
        run.latest = new long[0];
    }

    /** After the alert: the failure only counts; the slots keep the last ones for the totals' alert. */
    private void count(FailedLoginsFromIp run, Event e) throws Exception {
        run.failuresSinceAlert++;
        run.bitsSinceAlert += e.bits;
        slots.put((int) (run.failuresSinceAlert % config.minUsers()), e);
        if (run.usersSinceAlert < MAX_COUNTED_USERS && !counted.contains(e.user)) {
            counted.put(e.user, Boolean.TRUE);
            run.usersSinceAlert++;
        }
    }

    /** The run is over: its totals, if it went on after its alert, then no state left. */
    private void endRun(FailedLoginsFromIp run, Collector<Alert> out) throws Exception {
        int n = config.minUsers();
        if (run.alerted && run.usersSinceAlert - n >= n) {
            List<Event> last = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Event e = slots.get(i);
                if (e != null) {
                    last.add(e);
                }
            }
            last.sort((a, b) -> Long.compare(a.ts, b.ts));
            emit(totalAlert(last, run), out);
        }
        for (int i = 0; i < n; i++) {
            slots.remove(i);
        }
        if (run.alerted) {
            counted.clear();
        }
        runState.clear();
    }

    private static int indexOf(String[] users, String user) {
        for (int i = 0; i < users.length; i++) {
            if (users[i].equals(user)) {
                return i;
            }
        }
        return -1;
    }

    private static int leastRecent(long[] latest) {
        int min = 0;
        for (int i = 1; i < latest.length; i++) {
            if (latest[i] < latest[min]) {
                min = i;
            }
        }
        return min;
    }

    private Alert firstAlert(List<Event> failed) {
        Event first = failed.get(0);
        Event last = failed.get(failed.size() - 1);
        Set<String> users = new LinkedHashSet<>();
        for (Event e : failed) {
            users.add(e.user);
        }
        String span = PatternAlerts.human(Duration.ofMillis(last.ts - first.ts));
        return alert(last, users.size(), failed)
                .summary(String.format(Locale.ROOT, "ip %s failed logins for %d different users in %s: %s",
                        last.ip, users.size(), span, String.join(", ", users)))
                .reason(distinctUsers(users.size() + " users in " + span, sumBits(failed)))
                .build();
    }

    private Alert totalAlert(List<Event> last, FailedLoginsFromIp run) {
        Event end = last.get(last.size() - 1);
        String users = run.usersSinceAlert >= MAX_COUNTED_USERS
                ? "at least " + MAX_COUNTED_USERS : Integer.toString(run.usersSinceAlert);
        String span = PatternAlerts.human(Duration.ofMillis(run.lastFailure - run.alertedFrom));
        return alert(end, run.usersSinceAlert, last)
                .summary(String.format(Locale.ROOT,
                        "ip %s failed logins for %s different users (%d failed logins) in %s: the run went on after its first alert",
                        end.ip, users, run.failuresSinceAlert, span))
                .reason(distinctUsers(String.format(Locale.ROOT, "%s users (%d failed logins) in %s", users, run.failuresSinceAlert, span),
                        run.bitsSinceAlert))
                .build();
    }

    private AlertBuilder alert(Event trigger, int users, List<Event> events) {
        return AlertBuilder.of(CepPatterns.detector(CepPatterns.CREDENTIAL_STUFFING), trigger, maxEvents)
                .user("ip:" + trigger.ip)
                .severity(Severity.HIGH)
                .score(users, config.minUsers(), "users")
                .events(events);
    }

    private Reason distinctUsers(String observed, double bits) {
        return new Reason("distinct_users_failed", observed,
                String.format(Locale.ROOT, "fewer than %d within %s from one ip", config.minUsers(), PatternAlerts.human(config.within())),
                bits);
    }

    private static double sumBits(List<Event> events) {
        double s = 0;
        for (Event e : events) {
            s += e.bits;
        }
        return s;
    }
}
