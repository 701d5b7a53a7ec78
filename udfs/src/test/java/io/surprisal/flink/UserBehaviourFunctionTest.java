package io.surprisal.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.alert.Alert;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.DeadLetter;
import io.surprisal.event.Event;
import io.surprisal.event.UserKey;
import io.surprisal.model.UserProfile;
import io.surprisal.session.SessionForestDetector;
import io.surprisal.session.SessionMeasure;
import io.surprisal.session.SessionProfileDetector;
import io.surprisal.visitlength.VisitLengthDetector;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The keyed operator in a test harness: ordering, timers fired by watermarks, lateness, state cleanup, TTL. */
class UserBehaviourFunctionTest {
    private static final long GAP = Duration.ofMinutes(30).toMillis();

    private final SurprisalConfig config = ConfigLoader.load(null, List.of(
            "state.ttl=1d", "model.transition.min-population-events=300", "model.session.min-sessions=1",
            "detectors.session.threshold-bits=1", "detectors.transition.threshold-bits=5"));
    private UserBehaviourHarness opened;
    private KeyedOneInputStreamOperatorTestHarness<String, Event, Event> harness;

    @BeforeEach
    void open() throws Exception {
        opened = UserBehaviourHarness.open(new UserBehaviourFunction(config), config);
        harness = opened.harness;
    }

    @AfterEach
    void close() throws Exception {
        opened.close();
    }

    @Test
    void eventsWaitForTheWatermarkAndComeOutInEventTimeOrder() throws Exception {
        send("u", "view_item", 3000);
        send("u", "login", 1000);
        send("u", "view_item", 2000);
        assertThat(harness.extractOutputValues()).as("nothing before the watermark").isEmpty();
        assertThat(harness.numEventTimeTimers()).isEqualTo(3);

        harness.processWatermark(new Watermark(5000));
        assertThat(harness.extractOutputValues()).extracting(e -> e.ts).containsExactly(1000L, 2000L, 3000L);
        // An empty population finds the first step certain (0 bits); what follows is scored.
        assertThat(harness.extractOutputValues()).allSatisfy(e -> assertThat(e.bits).isNotNegative());
        assertThat(harness.extractOutputValues().get(2).bits).isPositive();
        // The pending buffer is empty; one timer is left: the open session's inactivity timer.
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        assertThat(profile("u").sessionOpen()).isTrue();
    }

    @Test
    void theInactivityTimerClosesTheSessionAndLeavesNoTimer() throws Exception {
        send("u", "login", 1000);
        send("u", "view_item", 2000);
        harness.processWatermark(new Watermark(2000 + GAP - 1));
        assertThat(profile("u").sessionOpen()).isTrue();
        harness.processWatermark(new Watermark(2000 + GAP));
        UserProfile p = profile("u");
        assertThat(p.sessionOpen()).isFalse();
        assertThat(p.events).isEqualTo(2);
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void logoutEndsTheSessionAndEverythingButTheLearnedProfileIsCleared() throws Exception {
        send("u", "login", 1000);
        send("u", "logout", 2000);
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(harness.numEventTimeTimers()).isZero();
        // Two keyed entries left: the profile (learned counts) and the user's behaviour group; the
        // pending events and the session's top events are empty.
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        UserProfile p = profile("u");
        assertThat(p.sessionOpen()).isFalse();
        assertThat(p.topSlots).isEmpty();
        assertThat(p.transitions).hasSize(2);
    }

    @Test
    void anEventBehindTheWatermarkIsALateDeadLetter() throws Exception {
        send("u", "login", 10_000);
        harness.processWatermark(new Watermark(20_000));
        send("u", "buy_item", 15_000);
        List<DeadLetter> dead = harness.getSideOutput(Descriptors.DEAD_LETTERS).stream().map(StreamRecord::getValue).collect(Collectors.toList());
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).reason).isEqualTo("late");
        assertThat(dead.get(0).error).contains("behind the watermark");
        assertThat(dead.get(0).raw).contains("\"action\":\"buy_item\"");
        assertThat(harness.extractOutputValues()).hasSize(1);
    }

    @Test
    void anEventWaitingAtExactlyLastEventPlusGapIsNotOrphanedWhenTheSessionTimerMoves() throws Exception {
        // Event time can run far ahead of the watermark: the third event sits at exactly the first
        // event + gap, where the first inactivity timer is; moving that timer must not lose it.
        send("bot", "view_item", 0);
        send("bot", "view_item", 1000);
        send("bot", "view_item", GAP);
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(harness.extractOutputValues()).extracting(e -> e.ts).containsExactly(0L, 1000L, GAP);
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void usersWhoStopComingAreForgottenAfterTheTtl() throws Exception {
        harness.setStateTtlProcessingTime(0);
        send("u", "login", 1000);
        send("u", "logout", 2000);
        harness.processWatermark(new Watermark(3000));
        assertThat(profile("u").events).isEqualTo(2);
        harness.setStateTtlProcessingTime(Duration.ofDays(1).toMillis() + 1);
        assertThat(profileOrNull("u")).isNull();
    }

    @Test
    void alertsLeaveThroughTheirSideOutput() throws Exception {
        // Teach a population: logins succeed, and one in ten fails first, then succeeds. Then a
        // failed login followed by a buy, a step never seen among the 200 failures, one of the 4
        // states never seen after one: a tail of 4 x 0.5 / (200 + 0.5 x 5) = 0.0099, 6.7 bits, above
        // the bar 5 + log2(2 steps) = 6. The failed logins themselves (10%) stay below 5.
        long t = 0;
        for (int i = 0; i < 2000; i++) {
            if (i % 10 == 0) {
                send("user" + i, "login", t += 10, true);
            }
            send("user" + i, "login", t += 10);
            send("user" + i, "view_item", t += 10);
            send("user" + i, "logout", t += 10);
        }
        send("mallory", "login", t += 10, true);
        send("mallory", "buy_item", t += 10);
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
        List<Alert> alerts = harness.getSideOutput(Descriptors.ALERTS).stream().map(StreamRecord::getValue).collect(Collectors.toList());
        assertThat(alerts).filteredOn(a -> a.user.equals("mallory") && a.detector.equals("transition"))
                .extracting(a -> a.reasons.get(0).observed).contains("login:fail -> buy_item:success");
        assertThat(alerts).filteredOn(a -> !a.user.equals("mallory") && a.detector.equals("transition")).isEmpty();
    }

    @Test
    void aSessionAlertListsTheSessionsTopEventsFromStateAndTheirSlotsAreEmptiedAfterwards() throws Exception {
        long t = 0;
        for (int i = 0; i < 200; i++) {
            send("user" + i, "login", t += 10);
            send("user" + i, "view_item", t += 10);
            send("user" + i, "logout", t += 10);
        }
        send("mallory", "login", t += 10, true);
        send("mallory", "login", t += 10, true);
        send("mallory", "buy_item", t += 10);
        harness.processWatermark(new Watermark(t));
        // Mallory's session is open: its three events wait in the top-events slots.
        assertThat(profile("mallory").topSlots).hasSize(3);
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
        List<Alert> alerts = harness.getSideOutput(Descriptors.ALERTS).stream().map(StreamRecord::getValue).collect(Collectors.toList());
        Alert session = alerts.stream().filter(a -> a.user.equals("mallory") && a.detector.equals("session")).findFirst().orElseThrow();
        // Read back from the slots, most surprising first.
        assertThat(session.events).extracting(e -> e.action).containsExactlyInAnyOrder("buy_item", "login", "login");
        assertThat(session.events).extracting(e -> e.bits).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(session.events.get(0).bits).isPositive();
        assertThat(profile("mallory").topSlots).isEmpty();
        // Every user is left with their profile and their behaviour group: no top event outlives its session.
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2 * 201);
    }

    @Test
    void thePopulationSurvivesARestoreFromACheckpoint() throws Exception {
        long t = teach(harness, "user", 2000, 0, true);
        OperatorSubtaskState snapshot = harness.snapshot(1L, t);
        long learned = ((UserBehaviourFunction) opened.operator.getUserFunction()).populationEvents();
        assertThat(learned).isEqualTo(6200);

        KeyedProcessOperator<String, Event, Event> restoredOp = new KeyedProcessOperator<>(new UserBehaviourFunction(config));
        try (var restored = new KeyedOneInputStreamOperatorTestHarness<>(restoredOp, new UserKey(), Types.STRING)) {
            restored.initializeState(snapshot);
            restored.open();
            assertThat(((UserBehaviourFunction) restoredOp.getUserFunction()).populationEvents()).isEqualTo(learned);
            // Judged by the restored population at once: no new warm-up.
            restored.processElement(event("mallory", "login", t + 10, true), t + 10);
            restored.processElement(event("mallory", "buy_item", t + 20, false), t + 20);
            restored.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(restored.getSideOutput(Descriptors.ALERTS)).extracting(r -> r.getValue().reasons.get(0).observed)
                    .contains("login:fail -> buy_item:success");
        }
    }

    @Test
    void detectorAmountsPopulationSurvivesARestoreAndJudgesAtOnce() throws Exception {
        java.util.Random random = new java.util.Random(21);
        long day = Duration.ofDays(1).toMillis();
        for (int u = 0; u < 500; u++) {
            double median = 40 * Math.exp(0.5 * random.nextGaussian());
            for (int i = 0; i < 4; i++) {
                long ts = (i / 2) * day + (i % 2) * 60_000 + u;
                harness.processElement(purchase("buyer" + u, ts, median * Math.exp(0.4 * random.nextGaussian())), ts);
            }
        }
        harness.processWatermark(new Watermark(2 * day));
        OperatorSubtaskState snapshot = harness.snapshot(1L, 2 * day);
        // No amount is far from its buyer's usual (the side output is null while nothing alerted).
        var before = harness.getSideOutput(Descriptors.ALERTS);
        assertThat(before == null ? List.<String>of() : before.stream().map(r -> r.getValue().detector).toList())
                .as("ordinary buyers").doesNotContain("amount");

        KeyedProcessOperator<String, Event, Event> restoredOp = new KeyedProcessOperator<>(new UserBehaviourFunction(config));
        try (var restored = new KeyedOneInputStreamOperatorTestHarness<>(restoredOp, new UserKey(), Types.STRING)) {
            restored.initializeState(snapshot);
            restored.open();
            long t = 2 * day + 1000;
            restored.processElement(purchase("buyer7", t, 4_000), t);
            restored.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(restored.getSideOutput(Descriptors.ALERTS)).extracting(StreamRecord::getValue)
                    .filteredOn(a -> a.detector.equals("amount"))
                    .singleElement().satisfies(a -> {
                        assertThat(a.detector).isEqualTo("amount");
                        assertThat(a.summary).startsWith("buyer7 bought for 4,000.00; their usual is ").contains("from 4 purchases");
                    });
        }
    }

    @Test
    void closedSessionsLeaveAsVectorsAndTheSessionDetectorsModelsSurviveARestoreWithNoTimerOrStateLeft() throws Exception {
        SurprisalConfig vectors = ConfigLoader.load(null, List.of("model.session.emit-vectors=true",
                "detectors.session-profile.min-population-sessions=20", "detectors.session-forest.sample-size=16",
                "detectors.session-forest.trees=5", "detectors.session-forest.min-population-sessions=20",
                "detectors.session-forest.max-lessons-per-minute=1000"));
        UserBehaviourFunction function = new UserBehaviourFunction(vectors);
        long day = Duration.ofDays(1).toMillis();
        OperatorSubtaskState snapshot;
        long learned;
        long measuresLearned;
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(function), new UserKey(), Types.STRING)) {
            h.open();
            for (int u = 0; u < 40; u++) {
                for (int visit = 0; visit < 2; visit++) {
                    long t = visit * day + u * 1000L;
                    for (String action : new String[] {"login", "view_item", "view_item", "logout"}) {
                        Event e = event("user" + u, action, t, false);
                        e.session = "user" + u + "-s" + visit;
                        h.processElement(e, t);
                        t += 20_000 + 1000L * (u % 7);
                    }
                }
            }
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            var closed = h.getSideOutput(Descriptors.CLOSED_SESSIONS);
            assertThat(closed).as("every visit, once").hasSize(80);
            assertThat(closed).extracting(r -> r.getValue().features[io.surprisal.session.SessionFeatures.EVENTS]).containsOnly(4.0);
            assertThat(h.numEventTimeTimers()).as("no timer left").isZero();
            assertThat(h.numKeyedStateEntries()).as("only each user's profile and behaviour group").isEqualTo(80);
            learned = function.sessionCloser().detector(SessionForestDetector.class).learned();
            measuresLearned = function.sessionCloser().detector(SessionProfileDetector.class).model(SessionMeasure.DURATION).population().count();
            assertThat(learned).as("every session but the last instant's, which waits for event time to move on").isEqualTo(79);
            assertThat(measuresLearned).isEqualTo(79);
            assertThat(function.sessionCloser().detector(VisitLengthDetector.class).tail().judged()).isEqualTo(79);
            snapshot = h.snapshot(1L, 2 * day);
        }
        UserBehaviourFunction restoredFunction = new UserBehaviourFunction(vectors);
        try (var restored = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(restoredFunction), new UserKey(), Types.STRING)) {
            restored.initializeState(snapshot);
            restored.open();
            // The session closed at the last instant waits in the checkpoint and is learned at the next one.
            Event e = event("late", "login", 3 * day, false);
            restored.processElement(e, 3 * day);
            restored.processElement(event("late", "logout", 3 * day + 1000, false), 3 * day + 1000);
            restored.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(restoredFunction.sessionCloser().detector(SessionForestDetector.class).learned()).isEqualTo(80);
            assertThat(restoredFunction.sessionCloser().detector(SessionProfileDetector.class).model(SessionMeasure.DURATION).population().count())
                    .isEqualTo(80);
            assertThat(restoredFunction.sessionCloser().detector(VisitLengthDetector.class).tail().judged()).isEqualTo(80);
        }
    }

    private static Event purchase(String user, long ts, double amount) {
        Event e = event(user, "buy_item", ts, false);
        e.amount = Math.round(amount * 100) / 100.0;
        e.session = user + "@" + ts;
        return e;
    }

    @Test
    void eventsWaitingForTheWatermarkSurviveARestoreAndComeOutInOrderOnce() throws Exception {
        send("u", "view_item", 3000);
        send("u", "login", 1000);
        send("v", "login", 1500);
        harness.processWatermark(new Watermark(1200));
        assertThat(harness.extractOutputValues()).extracting(e -> e.ts).containsExactly(1000L);
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1300);

        KeyedProcessOperator<String, Event, Event> restoredOp = new KeyedProcessOperator<>(new UserBehaviourFunction(config));
        try (var restored = new KeyedOneInputStreamOperatorTestHarness<>(restoredOp, new UserKey(), Types.STRING)) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(event("u", "buy_item", 2000, false), 2000);
            restored.processWatermark(new Watermark(5000));
            // The two events waiting at the checkpoint, and the new one, each exactly once, in order.
            assertThat(restored.extractOutputValues()).extracting(e -> e.user + "@" + e.ts)
                    .containsExactly("v@1500", "u@2000", "u@3000");
            // Nothing waits any more: the next checkpoint carries no events.
            OperatorSubtaskState after = restored.snapshot(2L, 5000);
            KeyedProcessOperator<String, Event, Event> againOp = new KeyedProcessOperator<>(new UserBehaviourFunction(config));
            try (var again = new KeyedOneInputStreamOperatorTestHarness<>(againOp, new UserKey(), Types.STRING)) {
                again.initializeState(after);
                again.open();
                again.processWatermark(new Watermark(Long.MAX_VALUE));
                assertThat(again.extractOutputValues()).isEmpty();
            }
        }
    }

    @Test
    void aRescaleSendsEachWaitingEventToTheInstanceThatOwnsItsUser() throws Exception {
        List<String> users = List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi");
        List<List<Event>> scoredBy = rescaledFromOneToTwo(users.stream().map(u -> event(u, "login", 1000, false)).toList());
        List<String> scored = new java.util.ArrayList<>();
        for (int subtask = 0; subtask < 2; subtask++) {
            int me = subtask;
            // Each instance scores exactly the users whose key groups (state and timers) it owns.
            assertThat(scoredBy.get(subtask)).isNotEmpty().allSatisfy(e -> assertThat(
                    org.apache.flink.runtime.state.KeyGroupRangeAssignment.assignKeyToParallelOperator(e.user, RESCALE_MAX_PARALLELISM, 2))
                    .isEqualTo(me));
            scoredBy.get(subtask).forEach(e -> scored.add(e.user));
        }
        assertThat(scored).containsExactlyInAnyOrderElementsOf(users);
    }

    private static final int RESCALE_MAX_PARALLELISM = 128;

    /**
     * {@code events} waiting for the watermark in one instance, snapshotted and restored into two:
     * each keeps only its own keys' events (another's would wait for a timer that is not there) and
     * scores them all at the end of input. Returns what each instance scored.
     */
    private List<List<Event>> rescaledFromOneToTwo(List<Event> events) throws Exception {
        OperatorSubtaskState snapshot;
        KeyedProcessOperator<String, Event, Event> one = new KeyedProcessOperator<>(new UserBehaviourFunction(config));
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(one, new UserKey(), Types.STRING, RESCALE_MAX_PARALLELISM, 1, 0)) {
            h.open();
            for (Event e : events) {
                h.processElement(e, e.ts);
            }
            snapshot = h.snapshot(1L, 1000);
        }
        List<List<Event>> scoredBy = new java.util.ArrayList<>();
        for (int subtask = 0; subtask < 2; subtask++) {
            OperatorSubtaskState mine = AbstractStreamOperatorTestHarness.repartitionOperatorState(
                    snapshot, RESCALE_MAX_PARALLELISM, 1, 2, subtask);
            KeyedProcessOperator<String, Event, Event> op = new KeyedProcessOperator<>(new UserBehaviourFunction(config));
            try (var h = new KeyedOneInputStreamOperatorTestHarness<>(op, new UserKey(), Types.STRING, RESCALE_MAX_PARALLELISM, 2, subtask)) {
                h.initializeState(mine);
                h.open();
                int me = subtask;
                long owned = events.stream().filter(e -> org.apache.flink.runtime.state.KeyGroupRangeAssignment
                        .assignKeyToParallelOperator(UserKey.of(e), RESCALE_MAX_PARALLELISM, 2) == me).count();
                UserBehaviourFunction f = (UserBehaviourFunction) op.getUserFunction();
                assertThat(f.eventsWaiting()).isEqualTo((int) owned);
                h.processWatermark(new Watermark(Long.MAX_VALUE));
                assertThat(f.eventsWaiting()).isZero();
                scoredBy.add(h.extractOutputValues());
            }
        }
        return scoredBy;
    }

    @Test
    void theSameUserInTwoTenantsKeepsTwoProfiles() throws Exception {
        harness.processElement(inTenant("t1", event("alice", "login", 1000, false)), 1000);
        harness.processElement(inTenant("t1", event("alice", "view_item", 2000, false)), 2000);
        harness.processElement(inTenant("t2", event("alice", "login", 1500, false)), 1500);
        harness.processWatermark(new Watermark(5000));
        assertThat(harness.extractOutputValues()).extracting(e -> e.tenant + "/" + e.user + "@" + e.ts)
                .containsExactly("t1/alice@1000", "t2/alice@1500", "t1/alice@2000");
        assertThat(profile(UserKey.of("t1", "alice")).events).isEqualTo(2);
        assertThat(profile(UserKey.of("t2", "alice")).events).isEqualTo(1);
        assertThat(profileOrNull("alice")).as("no tenant-less alice").isNull();
    }

    @Test
    void aRescaleSendsEachWaitingEventToTheInstanceThatOwnsItsTenantAndUser() throws Exception {
        List<String> tenants = List.of("t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7");
        List<String> keys = tenants.stream().map(t -> UserKey.of(t, "alice")).toList();
        // The same user everywhere: only the tenant spreads the keys over both instances.
        assertThat(keys.stream().map(k -> org.apache.flink.runtime.state.KeyGroupRangeAssignment
                .assignKeyToParallelOperator(k, RESCALE_MAX_PARALLELISM, 2)).distinct()).hasSize(2);
        List<List<Event>> scoredBy = rescaledFromOneToTwo(tenants.stream().map(t -> inTenant(t, event("alice", "login", 1000, false))).toList());
        List<String> scored = new java.util.ArrayList<>();
        scoredBy.forEach(events -> events.forEach(e -> scored.add(UserKey.of(e))));
        assertThat(scored).containsExactlyInAnyOrderElementsOf(keys);
    }

    private static Event inTenant(String tenant, Event e) {
        e.tenant = tenant;
        e.eventId = tenant + "/" + e.eventId;
        return e;
    }

    @Test
    void atTheSameParallelismEachInstanceGetsBackExactlyItsOwnPopulation() throws Exception {
        int maxParallelism = 128;
        OperatorSubtaskState[] snapshots = new OperatorSubtaskState[2];
        long[] learned = new long[2];
        for (int subtask = 0; subtask < 2; subtask++) {
            KeyedProcessOperator<String, Event, Event> op = new KeyedProcessOperator<>(new UserBehaviourFunction(config));
            try (var h = new KeyedOneInputStreamOperatorTestHarness<>(op, new UserKey(), Types.STRING, maxParallelism, 2, subtask)) {
                h.open();
                long t = 0;
                // Instance 1 sees twice as many users as instance 0.
                int taught = 0;
                for (int i = 0; taught < 50 * (subtask + 1); i++) {
                    String user = "user" + i;
                    if (org.apache.flink.runtime.state.KeyGroupRangeAssignment.assignKeyToParallelOperator(user, maxParallelism, 2) == subtask) {
                        teach(h, user, 1, t += 100, false);
                        taught++;
                    }
                }
                learned[subtask] = ((UserBehaviourFunction) op.getUserFunction()).populationEvents();
                snapshots[subtask] = h.snapshot(1L, t + 1000);
            }
        }
        assertThat(learned).containsExactly(150L, 300L);
        for (int subtask = 0; subtask < 2; subtask++) {
            OperatorSubtaskState mine = AbstractStreamOperatorTestHarness.repartitionOperatorState(
                    AbstractStreamOperatorTestHarness.repackageState(snapshots), maxParallelism, 2, 2, subtask);
            KeyedProcessOperator<String, Event, Event> op = new KeyedProcessOperator<>(new UserBehaviourFunction(config));
            try (var h = new KeyedOneInputStreamOperatorTestHarness<>(op, new UserKey(), Types.STRING, maxParallelism, 2, subtask)) {
                h.initializeState(mine);
                h.open();
                assertThat(((UserBehaviourFunction) op.getUserFunction()).populationEvents()).isEqualTo(learned[subtask]);
            }
        }
    }

    @Test
    void twoParallelInstancesRescaledToOneTakeAnEvenShareOfBoth() throws Exception {
        int maxParallelism = 128;
        OperatorSubtaskState[] snapshots = new OperatorSubtaskState[2];
        for (int subtask = 0; subtask < 2; subtask++) {
            KeyedProcessOperator<String, Event, Event> op = new KeyedProcessOperator<>(new UserBehaviourFunction(config));
            try (var h = new KeyedOneInputStreamOperatorTestHarness<>(op, new UserKey(), Types.STRING, maxParallelism, 2, subtask)) {
                h.open();
                // Each instance sees only the users whose key group it owns.
                long t = 0;
                int taught = 0;
                for (int i = 0; taught < 100; i++) {
                    String user = "user" + i;
                    int group = org.apache.flink.runtime.state.KeyGroupRangeAssignment.assignKeyToParallelOperator(user, maxParallelism, 2);
                    if (group == subtask) {
                        teach(h, user, 1, t += 100, false);
                        taught++;
                    }
                }
                assertThat(((UserBehaviourFunction) op.getUserFunction()).populationEvents()).isEqualTo(300);
                snapshots[subtask] = h.snapshot(1L, t + 1000);
            }
        }
        OperatorSubtaskState merged = AbstractStreamOperatorTestHarness.repartitionOperatorState(
                AbstractStreamOperatorTestHarness.repackageState(snapshots), maxParallelism, 2, 1, 0);
        KeyedProcessOperator<String, Event, Event> op = new KeyedProcessOperator<>(new UserBehaviourFunction(config));
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(op, new UserKey(), Types.STRING, maxParallelism, 1, 0)) {
            h.initializeState(merged);
            h.open();
            // Both instances taught the same steps 300 times each: the average of the two models (one
            // instance's worth, whatever the number of rescales), so (300 + 300) / 2 per step.
            assertThat(((UserBehaviourFunction) op.getUserFunction()).populationEvents()).isEqualTo(300);
        }
    }

    /** Teaches n users a login, a view and a logout each (one in ten failing first); returns the last event time. */
    private static long teach(KeyedOneInputStreamOperatorTestHarness<String, Event, Event> h, String prefix, int n, long t,
            boolean someFail) throws Exception {
        for (int i = 0; i < n; i++) {
            String user = n == 1 ? prefix : prefix + i;
            if (someFail && i % 10 == 0) {
                t += 10;
                h.processElement(event(user, "login", t, true), t);
            }
            for (String action : new String[] {"login", "view_item", "logout"}) {
                t += 10;
                h.processElement(event(user, action, t, false), t);
            }
        }
        h.processWatermark(new Watermark(t + 1));
        return t;
    }

    @Test
    void velocityRunsAsAPartItsAlertListsItsEventsFromStateAndAQuietUserLeavesNoneOfItsState() throws Exception {
        long t0 = 1_800_000_000_000L;
        long last = t0;
        for (int i = 0; i < 20 * 8; i++) {
            last = t0 + i * 3000L + (i % 3) * 700L; // ~20 a minute for 8 minutes
            send("crawler", "view_item", last);
        }
        harness.processWatermark(new Watermark(last));
        List<Alert> velocity = harness.getSideOutput(Descriptors.ALERTS).stream().map(StreamRecord::getValue)
                .filter(a -> a.detector.equals("velocity")).collect(Collectors.toList());
        assertThat(velocity).singleElement().satisfies(a -> {
            assertThat(a.user).isEqualTo("crawler");
            assertThat(a.unit).isEqualTo("events/min");
            assertThat(a.events).hasSize(20).extracting(e -> e.ts).isSorted();
            assertThat(a.group).as("a part's alert carries no behaviour group").isNull();
        });
        assertThat(profile("crawler").partSlices).containsKey("velocity");
        int withRing = harness.numKeyedStateEntries();

        // Quiet for longer than any run lasts (5 minutes), not yet the session's gap (30): the pace and its ring go.
        harness.processWatermark(new Watermark(last + 6 * 60_000L));
        assertThat(profile("crawler").partSlices).as("the pace goes with the ring").doesNotContainKey("velocity");
        assertThat(profile("crawler").sessionOpen()).isTrue();
        assertThat(harness.numKeyedStateEntries()).isLessThan(withRing);
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(profile("crawler").sessionOpen()).isFalse();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).as("the profile and the behaviour group").isEqualTo(2);
    }

    @Test
    void aPartSwitchedOffLeavesNeitherItsSliceNorItsEventsOnceTheUserIsSeenAgain() throws Exception {
        long t0 = 1_800_000_000_000L;
        long last = t0;
        for (int i = 0; i < 30; i++) {
            last = t0 + i * 3000L + (i % 3) * 700L; // a crawl, not yet long enough to alert
            send("crawler", "view_item", last);
        }
        harness.processWatermark(new Watermark(last));
        assertThat(profile("crawler").partSlices).containsKey("velocity");
        assertThat(velocityEvents(opened.operator, "crawler")).as("the ring of the events an alert would list").isNotEmpty();
        OperatorSubtaskState snapshot = harness.snapshot(1L, last);

        SurprisalConfig withoutVelocity = ConfigLoader.load(null, List.of(
                "state.ttl=1d", "model.transition.min-population-events=300", "model.session.min-sessions=1",
                "detectors.session.threshold-bits=1", "detectors.transition.threshold-bits=5", "detectors.velocity.enabled=false"));
        KeyedProcessOperator<String, Event, Event> restoredOp = new KeyedProcessOperator<>(new UserBehaviourFunction(withoutVelocity));
        try (var restored = new KeyedOneInputStreamOperatorTestHarness<>(restoredOp, new UserKey(), Types.STRING)) {
            restored.initializeState(snapshot);
            restored.open();
            Event e = new Event();
            e.user = "crawler";
            e.action = "view_item";
            e.ts = last + 3000;
            e.eventId = "crawler@" + e.ts;
            e.session = "crawler-s1";
            restored.processElement(e, e.ts);
            restored.processWatermark(new Watermark(e.ts));

            restoredOp.setCurrentKey("crawler");
            UserProfile p = restoredOp.getKeyedStateBackend().getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                    Descriptors.userProfile(withoutVelocity.state().ttl())).value();
            assertThat(p.partSlices).doesNotContainKey("velocity");
            assertThat(velocityEvents(restoredOp, "crawler")).isEmpty();
        }
    }

    /** The events velocity's ring holds for {@code user} in {@code op}'s state. */
    private List<Integer> velocityEvents(KeyedProcessOperator<String, Event, Event> op, String user) throws Exception {
        op.setCurrentKey(user);
        List<Integer> slots = new java.util.ArrayList<>();
        op.getKeyedStateBackend().getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                Descriptors.partEvents("velocity", config.state().ttl())).keys().forEach(slots::add);
        return slots;
    }

    private static Event event(String user, String action, long ts, boolean fail) {
        Event e = new Event();
        e.user = user;
        e.action = action;
        e.fail = fail;
        e.ts = ts;
        e.eventId = user + "@" + ts;
        e.session = user + "-s1";
        return e;
    }

    private void send(String user, String action, long ts) throws Exception {
        send(user, action, ts, false);
    }

    private void send(String user, String action, long ts, boolean fail) throws Exception {
        Event e = new Event();
        e.user = user;
        e.action = action;
        e.fail = fail;
        e.ts = ts;
        e.eventId = user + "@" + ts;
        e.session = user + "-s1";
        harness.processElement(e, ts);
    }

    private UserProfile profile(String user) throws Exception {
        UserProfile p = profileOrNull(user);
        assertThat(p).as("profile of " + user).isNotNull();
        return p;
    }

    private UserProfile profileOrNull(String user) throws Exception {
        return opened.profileOrNull(user);
    }
}
