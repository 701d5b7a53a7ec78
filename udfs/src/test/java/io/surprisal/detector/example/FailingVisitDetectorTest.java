package io.surprisal.detector.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surprisal.alert.Alert;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.Event;
import io.surprisal.event.UserKey;
import io.surprisal.flink.Descriptors;
import io.surprisal.flink.UserBehaviourFunction;
import io.surprisal.session.SessionCloser;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * A new closed-visit detector plugs into the per-user operator with its own package and one
 * registration: {@link FailingVisitDetector}, registered below as {@code SessionCloser.registered}
 * registers the job's, judges every visit the scorer closes, alerts on the alerts' output with the
 * visit's events, and its population comes back from a checkpoint.
 */
class FailingVisitDetectorTest {
    private static final long T0 = 1_800_000_000_000L;

    /** The per-user operator with the example registered. */
    static final class WithFailingVisits extends UserBehaviourFunction {
        final FailingVisitDetector failing = new FailingVisitDetector();
        private final boolean on;

        WithFailingVisits(SurprisalConfig config) {
            this(config, true);
        }

        WithFailingVisits(SurprisalConfig config, boolean on) {
            super(config);
            this.on = on;
        }

        @Override
        protected List<SessionCloser.Registration> visitDetectors(SurprisalConfig config) {
            List<SessionCloser.Registration> detectors = new ArrayList<>(super.visitDetectors(config));
            detectors.add(new SessionCloser.Registration(FailingVisitDetector.DETECTOR, FailingVisitDetector.STATE, on, () -> failing));
            return detectors;
        }
    }

    private final SurprisalConfig config = ConfigLoader.defaults();

    @Test
    void aVisitOfFailuresAmongOrdinaryOnesAlertsAndThePopulationSurvivesACheckpoint() throws Exception {
        WithFailingVisits function = new WithFailingVisits(config);
        OperatorSubtaskState snapshot;
        long t = T0;
        try (var h = harness(function)) {
            h.open();
            for (int i = 0; i < 30; i++) {
                t = visit(h, "user" + i, t, 0);
            }
            t = visit(h, "mallory", t, 4);
            h.processWatermark(new Watermark(t + 60_000));

            List<Alert> alerts = failingVisitAlerts(h);
            assertThat(alerts).singleElement().satisfies(a -> {
                assertThat(a.user).isEqualTo("mallory");
                assertThat(a.summary).isEqualTo("mallory's visit failed 4 times; 0 of the population's 30 visits failed as often");
                assertThat(a.score).isGreaterThanOrEqualTo(a.threshold);
                assertThat(a.events).as("the visit's events: a login, four failures, a view, a logout").hasSize(7);
            });
            assertThat(function.failing.visits()).isEqualTo(31);
            assertThat(function.failing.warmingUp()).isEqualTo(FailingVisitDetector.MIN_VISITS);
            snapshot = h.snapshot(1L, t + 60_000);
        }
        WithFailingVisits restoredFunction = new WithFailingVisits(config);
        try (var restored = harness(restoredFunction)) {
            restored.initializeState(snapshot);
            restored.open();
            assertThat(restoredFunction.failing.visits()).as("from the checkpoint").isEqualTo(31);
            t = visit(restored, "eve", t + 3_600_000, 5);
            restored.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(failingVisitAlerts(restored)).singleElement().satisfies(a -> assertThat(a.summary)
                    .isEqualTo("eve's visit failed 5 times; 1 of the population's 31 visits failed as often"));
            assertThat(restored.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void switchedOffItsPopulationIsEmptiedAndDoesNotComeBackWhenSwitchedOnAgain() throws Exception {
        OperatorSubtaskState on;
        long t = T0;
        try (var h = harness(new WithFailingVisits(config))) {
            h.open();
            for (int i = 0; i < 5; i++) {
                t = visit(h, "user" + i, t, 0);
            }
            h.processWatermark(new Watermark(t + 60_000));
            on = h.snapshot(1L, t + 60_000);
        }
        OperatorSubtaskState off;
        try (var h = harness(new WithFailingVisits(config, false))) {
            h.initializeState(on);
            h.open();
            off = h.snapshot(2L, t + 60_000);
        }
        WithFailingVisits again = new WithFailingVisits(config);
        try (var h = harness(again)) {
            h.initializeState(off);
            h.open();
            assertThat(again.failing.visits()).as("what it had learned before it was switched off").isZero();
        }
        WithFailingVisits straight = new WithFailingVisits(config);
        try (var h = harness(straight)) {
            h.initializeState(on);
            h.open();
            assertThat(straight.failing.visits()).as("restored while on").isEqualTo(5);
        }
    }

    @Test
    void twoDetectorsOfOneNameOrStateAreRefused() {
        var twice = List.of(
                new SessionCloser.Registration(FailingVisitDetector.DETECTOR, FailingVisitDetector.STATE, true, FailingVisitDetector::new),
                new SessionCloser.Registration(FailingVisitDetector.DETECTOR, "another-state", false, FailingVisitDetector::new));
        assertThatThrownBy(() -> new SessionCloser(config, twice, null, () -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two closed-visit detectors named failing-visit");
        var misnamed = List.of(new SessionCloser.Registration("other", FailingVisitDetector.STATE, true, FailingVisitDetector::new));
        assertThatThrownBy(() -> new SessionCloser(config, misnamed, null, () -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("registered as other");
    }

    @Test
    void aStateNamedAsOneOfTheOperatorsOwnIsRefused() {
        UserBehaviourFunction clash = new UserBehaviourFunction(config) {
            @Override
            protected List<SessionCloser.Registration> visitDetectors(SurprisalConfig config) {
                String taken = Descriptors.POPULATION_SESSIONS.getName();
                // Switched off, so never made: its state is registered all the same (to be emptied), and so clashes all the same.
                return List.of(new SessionCloser.Registration(FailingVisitDetector.DETECTOR, taken, false, FailingVisitDetector::new));
            }
        };
        assertThatThrownBy(() -> {
            try (var h = harness(clash)) {
                h.open();
            }
        }).isInstanceOf(IllegalStateException.class).hasMessageContaining("the name of a state of the operator's own");
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Event, Event> harness(UserBehaviourFunction f) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(f), new UserKey(), Types.STRING);
    }

    private static List<Alert> failingVisitAlerts(KeyedOneInputStreamOperatorTestHarness<String, Event, Event> h) {
        return h.getSideOutput(Descriptors.ALERTS).stream().map(StreamRecord::getValue)
                .filter(a -> a.detector.equals(FailingVisitDetector.DETECTOR)).collect(Collectors.toList());
    }

    /** A visit of {@code user} from {@code t}: a login, {@code failures} failed purchases, a view, a logout. */
    private static long visit(KeyedOneInputStreamOperatorTestHarness<String, Event, Event> h, String user, long t, int failures)
            throws Exception {
        send(h, user, "login", false, t);
        for (int i = 0; i < failures; i++) {
            send(h, user, "buy_item", true, t += 10_000);
        }
        send(h, user, "view_item", false, t += 10_000);
        send(h, user, "logout", false, t += 10_000);
        return t + 1_000;
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<String, Event, Event> h, String user, String action, boolean fail,
            long ts) throws Exception {
        Event e = new Event();
        e.user = user;
        e.action = action;
        e.fail = fail;
        e.ts = ts;
        e.eventId = user + "@" + ts;
        e.session = user + "-s1";
        e.ip = "10.0.0.1";
        h.processElement(e, ts);
    }
}
