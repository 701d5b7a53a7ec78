package io.surprisal.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.alert.AlertJson;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.Event;
import io.surprisal.event.UserKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The per-user operator with its write-back cache of users ({@link UserCachingOperator},
 * {@link HotUsers}): it scores, alerts and leaves state exactly as the function does without a
 * cache, whatever the cache's size; a checkpoint holds the users only the cache had; the state
 * TTL forgets a user the cache still holds.
 */
class UserBehaviourOperatorTest {
    private static final List<String> SETTINGS = List.of(
            "state.ttl=1d", "model.transition.min-population-events=300", "model.session.min-sessions=1",
            "detectors.session.threshold-bits=1", "detectors.transition.threshold-bits=5",
            "detectors.group-change.enabled=true", "detectors.group-change.threshold-bits=2");

    private static SurprisalConfig config(int cacheUsers) {
        return config(cacheUsers, 1000);
    }

    private static SurprisalConfig config(int cacheUsers, int dirtyUsers) {
        List<String> settings = new ArrayList<>(SETTINGS);
        settings.add("state.cache-users=" + cacheUsers);
        settings.add("state.cache-dirty-users=" + dirtyUsers);
        return ConfigLoader.load(null, settings);
    }

    /** What a run gave: the scored events with their bits, the alerts as JSON. */
    private record Run(List<String> scored, List<String> alerts) {}

    private static Run outputOf(KeyedOneInputStreamOperatorTestHarness<String, Event, Event> h) {
        List<String> scored = h.extractOutputValues().stream().map(e -> e.eventId + " " + e.bits).toList();
        List<String> alerts = h.getSideOutput(Descriptors.ALERTS) == null ? List.of()
                : h.getSideOutput(Descriptors.ALERTS).stream().map(StreamRecord::getValue).map(AlertJson::toJson).toList();
        return new Run(scored, alerts);
    }

    /**
     * Thirty users in interleaved sessions over six rounds an hour apart (sessions end by logout or
     * by the inactivity gap), purchases, a crawler between rounds, and in the last round a failed
     * login followed by a buy and a purchase far above its buyer's usual. The watermark follows
     * every 25 events. Returns the users.
     */
    private static TreeSet<String> workload(KeyedOneInputStreamOperatorTestHarness<String, Event, Event> h, int fromRound, int toRound)
            throws Exception {
        Random random = new Random(7);
        String[] actions = {"view_item", "view_item", "search", "add_to_cart", "buy_item"};
        TreeSet<String> users = new TreeSet<>();
        int sent = 0;
        for (int round = 0; round < toRound; round++) {
            long t = 1_800_000_000_000L + round * Duration.ofHours(1).toMillis();
            List<List<Event>> sessions = new ArrayList<>();
            for (int u = 0; u < 30; u++) {
                String user = "user" + u;
                List<Event> s = new ArrayList<>();
                if (random.nextInt(10) == 0) {
                    s.add(event(user, "login", true, round));
                }
                s.add(event(user, "login", false, round));
                int n = 2 + random.nextInt(6);
                for (int i = 0; i < n; i++) {
                    Event e = event(user, actions[random.nextInt(actions.length)], false, round);
                    if (e.action.equals("buy_item")) {
                        e.amount = Math.round(40 * Math.exp(0.5 * random.nextGaussian()) * 100) / 100.0;
                    }
                    s.add(e);
                }
                if (random.nextInt(10) < 7) {
                    s.add(event(user, "logout", false, round));
                }
                sessions.add(s);
            }
            if (round == 5) {
                sessions.add(List.of(event("mallory", "login", true, round), event("mallory", "buy_item", false, round)));
                Event big = event("user3", "buy_item", false, round);
                big.amount = 40_000.0;
                sessions.add(List.of(event("user3", "login", false, round), big));
            }
            // Round robin over the sessions: users' events interleave.
            List<Event> ordered = new ArrayList<>();
            for (int i = 0; ; i++) {
                boolean any = false;
                for (List<Event> s : sessions) {
                    if (i < s.size()) {
                        ordered.add(s.get(i));
                        any = true;
                    }
                }
                if (!any) {
                    break;
                }
            }
            if (round == 2) {
                for (int i = 0; i < 160; i++) {
                    Event e = event("crawler", "view_item", false, round);
                    ordered.add(e);
                }
            }
            for (Event e : ordered) {
                t += e.user.equals("crawler") ? 3000 : 1000;
                e.ts = t;
                e.eventId = e.user + "@" + t;
                users.add(e.user);
                if (round >= fromRound) {
                    h.processElement(e, t);
                    if (++sent % 25 == 0) {
                        h.processWatermark(new Watermark(t));
                    }
                }
            }
        }
        return users;
    }

    private static Event event(String user, String action, boolean fail, int round) {
        Event e = new Event();
        e.user = user;
        e.action = action;
        e.fail = fail;
        e.session = user + "-s" + round;
        return e;
    }

    /** Runs the whole workload on {@code h} to the end of event time; returns the users. */
    private static TreeSet<String> wholeWorkload(UserBehaviourHarness h) throws Exception {
        TreeSet<String> users = workload(h.harness, 0, 6);
        h.harness.processWatermark(new Watermark(Long.MAX_VALUE));
        return users;
    }

    /** Every user's profile and group in {@code cached}'s state equal those in {@code plain}'s, and nothing else is left. */
    private static void sameState(UserBehaviourHarness plain, UserBehaviourHarness cached, TreeSet<String> users) throws Exception {
        for (String user : users) {
            assertThat(plain.profileOrNull(user)).as("profile of " + user).isNotNull();
            assertThat(cached.profileOrNull(user)).as("profile of " + user).usingRecursiveComparison().isEqualTo(plain.profileOrNull(user));
            assertThat(cached.groupOrNull(user)).as("group of " + user).usingRecursiveComparison().isEqualTo(plain.groupOrNull(user));
        }
        assertThat(cached.harness.numKeyedStateEntries()).isEqualTo(plain.harness.numKeyedStateEntries());
    }

    @Test
    void usersLeavingACacheOfOneOrFiveAndComingBackScoreAlertAndLeaveStateExactlyAsWithoutACache() throws Exception {
        // {users cached, of them changed at most}: written when pushed out, or when too many wait changed.
        Run expected;
        try (var plain = UserBehaviourHarness.open(new UserBehaviourFunction(config(0)), config(0))) {
            TreeSet<String> users = wholeWorkload(plain);
            expected = outputOf(plain.harness);
            assertThat(expected.alerts()).as("the workload makes alerts of several detectors")
                    .anySatisfy(a -> assertThat(a).contains("\"detector\":\"session\"", "\"group\":"))
                    .anySatisfy(a -> assertThat(a).contains("\"detector\":\"velocity\"", "\"events\":[{"));
            for (int[] cache : new int[][] {{1, 1000}, {5, 1000}, {5, 2}, {5, 0}}) {
                int size = cache[0];
                UserBehaviourFunction function = new UserBehaviourFunction(config(size, cache[1]));
                try (var cached = UserBehaviourHarness.openCached(function, config(size, cache[1]))) {
                    wholeWorkload(cached);
                    assertThat(function.cachedUsers()).isEqualTo(size);
                    assertThat(outputOf(cached.harness)).as("cache of %d, %d changed", size, cache[1]).isEqualTo(expected);
                    cached.harness.prepareSnapshotPreBarrier(1);
                    sameState(plain, cached, users);
                }
            }
        }
    }

    @Test
    void aCheckpointHoldsTheUsersOnlyTheCacheHadAndARestoredRunGoesOnAsWithoutACache() throws Exception {
        OperatorSubtaskState plainSnapshot;
        OperatorSubtaskState cachedSnapshot;
        TreeSet<String> users;
        try (var plain = UserBehaviourHarness.open(new UserBehaviourFunction(config(0)), config(0))) {
            users = workload(plain.harness, 0, 4);
            plainSnapshot = plain.harness.snapshot(1L, 1L);
        }
        UserBehaviourFunction function = new UserBehaviourFunction(config(100));
        try (var cached = UserBehaviourHarness.openCached(function, config(100))) {
            workload(cached.harness, 0, 4);
            assertThat(function.cachedUsers()).as("every user").isEqualTo(users.size());
            assertThat(cached.profileOrNull("user0")).as("on the heap only, before the checkpoint").isNull();
            // As the task does: the operator hears of the checkpoint before it sends the barrier on, then snapshots.
            cached.harness.prepareSnapshotPreBarrier(1L);
            cachedSnapshot = cached.harness.snapshot(1L, 1L);
        }
        // Each checkpoint restored (into the uncached function, which reads state alone), and the rest of the workload.
        try (var fromPlain = restored(plainSnapshot, config(0));
                var fromCached = restored(cachedSnapshot, config(0))) {
            sameState(fromPlain, fromCached, users);
            workload(fromPlain.harness, 4, 6);
            workload(fromCached.harness, 4, 6);
            fromPlain.harness.processWatermark(new Watermark(Long.MAX_VALUE));
            fromCached.harness.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(outputOf(fromPlain.harness).alerts()).isNotEmpty();
            assertThat(outputOf(fromCached.harness)).isEqualTo(outputOf(fromPlain.harness));
        }
    }

    @Test
    void queuedEventsAndAUsersInactivityComeInTimeOrderAsWithATimerEachWhenOneWatermarkPassesThemAll() throws Exception {
        List<String> settings = new ArrayList<>(SETTINGS);
        settings.add("model.session.emit-vectors=true");
        SurprisalConfig c = ConfigLoader.load(null, settings);
        long t0 = 1_800_000_000_000L;
        // One session id for the whole day: only the 30-minute inactivity gap parts its two visits.
        long[] at = {t0, t0 + 60_000, t0 + 45 * 60_000, t0 + 46 * 60_000};
        String[] actions = {"login", "view_item", "view_item", "search"};
        List<List<String>> runs = new ArrayList<>();
        for (boolean queued : new boolean[] {false, true}) {
            try (var h = queued ? UserBehaviourHarness.openCached(new UserBehaviourFunction(c), c) : UserBehaviourHarness.open(new UserBehaviourFunction(c), c)) {
                for (int i = 0; i < at.length; i++) {
                    Event e = event("jane", actions[i], false, 0);
                    e.ts = at[i];
                    e.eventId = "jane-" + i;
                    h.harness.processElement(new StreamRecord<>(e, e.ts));
                }
                h.harness.processWatermark(new Watermark(t0 + 50 * 60_000));
                List<String> run = new ArrayList<>(outputOf(h.harness).scored());
                for (StreamRecord<io.surprisal.session.ClosedSession> closed : h.harness.getSideOutput(Descriptors.CLOSED_SESSIONS)) {
                    run.add("closed at " + closed.getValue().ts + " by " + closed.getValue().closedBy);
                }
                runs.add(run);
            }
        }
        assertThat(runs.get(1)).contains("closed at " + at[1] + " by inactivity").isEqualTo(runs.get(0));
    }

    /** The checkpoint restored into the operator with no cache (the function reads state alone), its events queued. */
    private static UserBehaviourHarness restored(OperatorSubtaskState snapshot, SurprisalConfig config) throws Exception {
        var op = new UserCachingOperator<>(new UserBehaviourFunction(config));
        var h = new KeyedOneInputStreamOperatorTestHarness<>(op, new UserKey(), Types.STRING);
        h.initializeState(snapshot);
        return UserBehaviourHarness.wrap(op, h, config);
    }

    @Test
    void aCacheOfNoUsersReadsAndWritesStateEveryVisitAsThePlainFunction() throws Exception {
        Run expected;
        try (var plain = UserBehaviourHarness.open(new UserBehaviourFunction(config(0)), config(0))) {
            wholeWorkload(plain);
            expected = outputOf(plain.harness);
        }
        UserBehaviourFunction function = new UserBehaviourFunction(config(0));
        try (var none = UserBehaviourHarness.openCached(function, config(0))) {
            workload(none.harness, 0, 1);
            assertThat(function.cachedUsers()).as("no cache").isEqualTo(-1);
            none.harness.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(none.profileOrNull("user0")).as("in state at once").isNotNull();
        }
        try (var none = UserBehaviourHarness.openCached(new UserBehaviourFunction(config(0)), config(0))) {
            wholeWorkload(none);
            assertThat(outputOf(none.harness)).isEqualTo(expected);
        }
    }

    @Test
    void aUserIdleLongerThanTheTtlIsForgottenThoughTheCacheStillHoldsThem() throws Exception {
        long[] now = {0};
        for (int size : new int[] {0, 10}) {
            UserBehaviourFunction function = new UserBehaviourFunction(config(size));
            function.useTtlClock(() -> now[0]);
            try (var h = UserBehaviourHarness.openCached(function, config(size))) {
                now[0] = 0;
                h.harness.setStateTtlProcessingTime(0);
                send(h, "u", "login", 1000);
                send(h, "u", "logout", 2000);
                h.barrierAfter(3000, 1);
                send(h, "u", "login", 4000);
                h.harness.processWatermark(new Watermark(5000));
                // A day and a millisecond later: state would have forgotten u.
                now[0] = Duration.ofDays(1).toMillis() + 1;
                h.harness.setStateTtlProcessingTime(now[0]);
                send(h, "u", "login", 6000);
                h.barrierAfter(7000, 2);
                assertThat(h.profileOrNull("u").events).as("cache of " + size + ": only the event after the TTL").isEqualTo(1);
            }
        }
    }

    @Test
    void stateHoldsWhatTheBarrierWroteWhileTheCachedUserGoesOn() throws Exception {
        // The harness's state is on the heap, which keeps the objects it is given: a checkpoint
        // must not see the cached user change after the barrier.
        try (var h = UserBehaviourHarness.openCached(new UserBehaviourFunction(config(10)), config(10))) {
            send(h, "u", "login", 1000);
            send(h, "u", "view_item", 2000);
            h.harness.processWatermark(new Watermark(3000));
            assertThat(h.profileOrNull("u")).as("cached only").isNull();
            h.harness.prepareSnapshotPreBarrier(1);
            assertThat(h.profileOrNull("u").events).isEqualTo(2);
            send(h, "u", "view_item", 4000);
            h.harness.processWatermark(new Watermark(5000));
            assertThat(h.profileOrNull("u").events).as("as the barrier wrote it").isEqualTo(2);
            h.harness.prepareSnapshotPreBarrier(2);
            assertThat(h.profileOrNull("u").events).isEqualTo(3);
        }
        // Nor a user the cache took back from state.
        try (var h = UserBehaviourHarness.openCached(new UserBehaviourFunction(config(1)), config(1))) {
            send(h, "u", "login", 1000);
            h.barrierAfter(1000, 1);
            send(h, "v", "login", 2000);
            send(h, "u", "view_item", 3000);
            h.harness.processWatermark(new Watermark(3000));
            assertThat(h.profileOrNull("u").events).as("u left the cache for v, came back from state, and is cached only").isEqualTo(1);
            h.harness.prepareSnapshotPreBarrier(2);
            assertThat(h.profileOrNull("u").events).isEqualTo(2);
        }
    }

    @Test
    void aSessionsTopEventsWrittenAtABarrierOrOnLeavingTheCacheAreDeletedWhenTheSessionCloses() throws Exception {
        // Top events only the cache saw need no delete; those state got must be deleted all the same.
        for (int size : new int[] {10, 1}) {
            try (var h = UserBehaviourHarness.openCached(new UserBehaviourFunction(config(size)), config(size))) {
                send(h, "u", "login", 1000);
                send(h, "u", "view_item", 2000);
                h.barrierAfter(3000, 1);
                assertThat(h.topEventSlots("u")).as("cache of %d: written at the barrier", size).containsExactlyInAnyOrder(0, 1);
                send(h, "v", "login", 4000);
                send(h, "u", "view_item", 5000);
                send(h, "u", "logout", 6000);
                h.barrierAfter(7000, 2);
                assertThat(h.topEventSlots("u")).as("cache of %d: the closed session's", size).isEmpty();
                // A session that opens and closes between two barriers leaves nothing in state (in a cache of 10 it never reaches it).
                send(h, "v", "view_item", 8000);
                send(h, "v", "logout", 9000);
                send(h, "w", "login", 10000);
                send(h, "w", "logout", 11000);
                h.barrierAfter(12000, 3);
                assertThat(h.topEventSlots("v")).as("cache of %d", size).isEmpty();
                assertThat(h.topEventSlots("w")).as("cache of %d", size).isEmpty();
                assertThat(h.profileOrNull("w").events).isEqualTo(2);
            }
        }
    }

    private static void send(UserBehaviourHarness h, String user, String action, long ts) throws Exception {
        Event e = event(user, action, false, 0);
        e.ts = ts;
        e.eventId = user + "@" + ts;
        h.harness.processElement(e, ts);
    }
}
