package io.surprisal.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.surprisal.alert.Alert;
import io.surprisal.classifier.ModelFiles;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.DeadLetter;
import io.surprisal.event.Event;
import io.surprisal.event.UserKey;
import io.surprisal.session.ClosedSession;
import io.surprisal.session.SessionFeatures;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Detector model in the per-user operator with model updates, in a harness: each closed session is
 * scored by the model of the last usable update, exactly as that model scores the session's vector
 * (the operator's own side output); an unusable update is a dead letter; the model and the users'
 * state survive the replacement and a restore.
 */
class UserBehaviourWithModelUpdatesFunctionTest {
    static final Path LOGISTIC = Path.of("../src-test-data/models/quickstart-logistic");
    static final Path FM = Path.of("../src-test-data/models/quickstart-fm");
    static final long T0 = 1_800_000_000_000L;
    static final long HOUR = 3_600_000L;

    /** Every session alerts, so each alert shows the probability its model gave. */
    static final SurprisalConfig CONFIG = ConfigLoader.load(null, List.of(
            "detectors.model.min-probability=0.000001", "detectors.model.updates.type=kafka", "model.session.emit-vectors=true"));

    /** The same with the job's operator and its cache of users, room for all three of the test. */
    static final SurprisalConfig CACHED = ConfigLoader.load(null, List.of(
            "detectors.model.min-probability=0.000001", "detectors.model.updates.type=kafka", "model.session.emit-vectors=true",
            "state.cache-users=3"));

    static KeyedBroadcastOperatorTestHarness<String, Event, String, Event> harness() throws Exception {
        return new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(new UserBehaviourWithModelUpdatesFunction(CONFIG), List.of(Descriptors.MODEL)),
                new UserKey(), Types.STRING, 1, 1, 0);
    }

    static KeyedBroadcastOperatorTestHarness<String, Event, String, Event> cachedHarness() throws Exception {
        return new KeyedBroadcastOperatorTestHarness<>(
                new UserCachingBroadcastOperator<>(new UserBehaviourWithModelUpdatesFunction(CACHED), List.of(Descriptors.MODEL)),
                new UserKey(), Types.STRING, 1, 1, 0);
    }

    /** Opens a harness. */
    private interface Harnesses {
        KeyedBroadcastOperatorTestHarness<String, Event, String, Event> open() throws Exception;
    }

    static Event event(String user, String action, long ts) {
        Event e = new Event();
        e.user = user;
        e.action = action;
        e.ts = ts;
        e.eventId = user + "@" + ts;
        e.session = user + "-" + ts / HOUR;
        return e;
    }

    /** A visit of {@code user} at {@code t}, closed by its logout once the watermark passes it. */
    static void visit(KeyedBroadcastOperatorTestHarness<String, Event, String, Event> h, String user, long t) throws Exception {
        String[] actions = {"login", "view_item", "view_item", "search", "view_item", "logout"};
        for (int i = 0; i < actions.length; i++) {
            Event e = event(user, actions[i], t + i * 20_000L);
            h.processElement(new StreamRecord<>(e, e.ts));
        }
        // The updates input carries no event time (in the job it is idle): only the events' watermark counts.
        h.processBroadcastWatermark(Long.MAX_VALUE);
        h.processWatermark(new Watermark(t + actions.length * 20_000L));
    }

    static List<Alert> modelAlerts(KeyedBroadcastOperatorTestHarness<String, Event, String, Event> h) {
        return ModelHarness.modelAlerts(h);
    }

    static ClosedSession lastClosed(KeyedBroadcastOperatorTestHarness<String, Event, String, Event> h) {
        return ModelHarness.last(h, Descriptors.CLOSED_SESSIONS);
    }

    /** The bits the model of {@code dir} gives the operator's last closed session. */
    static double bitsOf(Path dir, ClosedSession s) {
        return ModelHarness.bitsOf(dir, ModelFiles.SESSION, SessionFeatures.NAMES, SessionFeatures.COUNT, s.features);
    }

    @Test
    void eachSessionIsScoredByTheLastUsableUpdateAndARestoreKeepsIt() throws Exception {
        scoredByTheLastUsableUpdateAndKeptByARestore(UserBehaviourWithModelUpdatesFunctionTest::harness);
    }

    /** The same in the job's operator, whose users wait in its cache until the checkpoint barrier. */
    @Test
    void theCachedOperatorWritesItsUsersBeforeTheBarrierAndARestoreKeepsThemAndTheModel() throws Exception {
        scoredByTheLastUsableUpdateAndKeptByARestore(UserBehaviourWithModelUpdatesFunctionTest::cachedHarness);
    }

    private static void scoredByTheLastUsableUpdateAndKeptByARestore(Harnesses harnesses) throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harnesses.open()) {
            h.open();
            visit(h, "u1", T0);
            assertThat(lastClosed(h).user).isEqualTo("u1");
            assertThat(modelAlerts(h)).as("no model yet").isEmpty();

            h.processBroadcastElement(new StreamRecord<>(LOGISTIC.toString()));
            visit(h, "u2", T0 + HOUR);
            assertThat(modelAlerts(h)).hasSize(1);
            assertThat(modelAlerts(h).get(0).user).isEqualTo("u2");
            assertThat(modelAlerts(h).get(0).score).isCloseTo(bitsOf(LOGISTIC, lastClosed(h)), within(1e-9));

            h.processBroadcastElement(new StreamRecord<>("{\"card\": {\"features\": [\"typing_speed\"]}, \"onnx\": \"AAAA\"}"));
            assertThat(h.getSideOutput(Descriptors.DEAD_LETTERS)).extracting(r -> ((DeadLetter) r.getValue()).reason)
                    .containsExactly("unusable_model");
            visit(h, "u3", T0 + 2 * HOUR);
            assertThat(modelAlerts(h).get(1).score).as("the model in use goes on").isCloseTo(bitsOf(LOGISTIC, lastClosed(h)), within(1e-9));

            h.processBroadcastElement(new StreamRecord<>(ModelFiles.read(FM).toUpdateLine()));
            visit(h, "u1", T0 + 3 * HOUR);
            ClosedSession again = lastClosed(h);
            assertThat(modelAlerts(h).get(2).score).isCloseTo(bitsOf(FM, again), within(1e-9));
            assertThat(bitsOf(FM, again)).isNotCloseTo(bitsOf(LOGISTIC, again), within(1e-3));
            // u1's state went through the replacement: the job knows when its previous visit ended.
            assertThat(again.features[SessionFeatures.VISIT_GAP_S]).isEqualTo((3 * HOUR - 100_000L) / 1000.0);
            h.prepareSnapshotPreBarrier(1); // as the task does before it snapshots
            snapshot = h.snapshot(1, T0 + 3 * HOUR);
        }
        try (var h = harnesses.open()) {
            h.initializeState(snapshot);
            h.open();
            visit(h, "u2", T0 + 4 * HOUR);
            ClosedSession restored = lastClosed(h);
            assertThat(restored.features[SessionFeatures.VISIT_GAP_S]).as("u2's state came back").isEqualTo((3 * HOUR - 100_000L) / 1000.0);
            assertThat(modelAlerts(h)).hasSize(1);
            assertThat(modelAlerts(h).get(0).score).as("the restored model is the last update's").isCloseTo(bitsOf(FM, restored), within(1e-9));
        }
    }
}
