package io.surprisal.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.Event;
import io.surprisal.event.EventParser;
import io.surprisal.event.UserKey;
import io.surprisal.flink.Descriptors;
import io.surprisal.novelty.LoginRecency;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The sequence floor routes as the job does, and keeps each user's last failed login through its cache. */
class CepFloorOperatorTest {
    private static final long T0 = 1_800_000_000_000L;
    private static final String THEN_BUY = "cep-failed-login-then-buy";

    /** An event as the job reads it: a line of JSON, parsed. */
    private static StreamRecord<Event> event(String user, long ts, String action, boolean fail) throws Exception {
        Event e = EventParser.parse(String.format("{\"ts\":\"%s\",\"event_id\":\"%s-%d-%s\",\"user\":\"%s\",\"action\":\"%s\",\"status\":\"%s\"}",
                Instant.ofEpochMilli(ts), user, ts, action, user, action, fail ? "fail" : "success"));
        return new StreamRecord<>(e, ts);
    }

    /** The ids of the events routed to pattern {@code uid}. */
    private static List<String> routed(KeyedOneInputStreamOperatorTestHarness<String, Event, Event> h, String uid) {
        var routed = h.getSideOutput(Descriptors.cepEvents(uid));
        return routed == null ? List.of() : routed.stream().map(r -> r.getValue().eventId).toList();
    }

    /** The last failed login the state backend holds for {@code user}, or null when it holds none. */
    private static Long storedFailedLogin(KeyedOneInputStreamOperatorTestHarness<String, Event, Event> h, String user, SurprisalConfig c)
            throws Exception {
        KeyedStateBackend<String> backend = h.getOperator().getKeyedStateBackend();
        String current = backend.getCurrentKey();
        backend.setCurrentKey(user);
        ValueState<LoginRecency> state = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                Descriptors.loginRecency(c.state().ttl()));
        LoginRecency r = state.value();
        backend.setCurrentKey(current);
        return r == null ? null : r.lastFailedLogin;
    }

    @Test
    void aBuyAfterAFailedLoginReachesThePatternThroughTheCacheAndTheMatchClosesTheGate() throws Exception {
        SurprisalConfig c = ConfigLoader.load(null, List.of());
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new CepFloorOperator(2, c.cep(), c.state().ttl()), new UserKey(), Types.STRING)) {
            h.open();
            h.processElement(event("jane", T0, "login", true));
            h.processElement(event("joe", T0 + 1_000, "buy_item", false));
            // A third user: jane, seen longest ago, leaves the cache with her failed login written.
            h.processElement(event("ann", T0 + 2_000, "view_item", false));
            assertThat(storedFailedLogin(h, "jane", c)).isEqualTo(T0);
            // Read back from the backend: her buy completes a match with the failed login that waited for it.
            h.processElement(event("jane", T0 + 3_000, "buy_item", false));
            assertThat(storedFailedLogin(h, "jane", c)).as("the change waits on the heap for the barrier").isEqualTo(T0);
            // The match closed the gate: nothing more of jane's reaches the pattern.
            h.processElement(event("jane", T0 + 4_000, "login", false));
            h.processElement(event("jane", T0 + 5_000, "buy_item", false));

            assertThat(routed(h, THEN_BUY)).containsExactly("jane-" + T0 + "-login", "jane-" + (T0 + 3_000) + "-buy_item");
            assertThat(routed(h, "cep-account-takeover")).as("nothing is novel without login novelty").isEmpty();
            assertThat(h.extractOutputValues()).as("every event goes on").hasSize(6);

            h.prepareSnapshotPreBarrier(1);
            assertThat(storedFailedLogin(h, "jane", c)).as("the match closed the gate").isEqualTo(Long.MIN_VALUE);
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(value = CepFloorOperator.Ordering.class, names = {"TIMERS", "QUEUE"})
    void orderedTheEventsWaitForTheWatermarkAndAreRoutedInEventTimeOrder(CepFloorOperator.Ordering ordering) throws Exception {
        SurprisalConfig c = ConfigLoader.load(null, List.of());
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new CepFloorOperator(2, c.cep(), c.state().ttl(), ordering), new UserKey(),
                Types.STRING)) {
            h.open();
            // The buy arrives before the failed login it follows in event time; joe's view comes between them.
            h.processElement(event("jane", T0 + 3_000, "buy_item", false));
            h.processElement(event("joe", T0 + 1_000, "view_item", false));
            h.processElement(event("jane", T0, "login", true));
            assertThat(h.extractOutputValues()).as("nothing goes on before the watermark").isEmpty();
            assertThat(routed(h, THEN_BUY)).isEmpty();
            assertThat(h.numEventTimeTimers()).isEqualTo(ordering == CepFloorOperator.Ordering.TIMERS ? 3 : 0);

            h.processWatermark(T0 + 3_000);

            assertThat(h.extractOutputValues()).extracting(e -> e.eventId).containsExactly("jane-" + T0 + "-login",
                    "joe-" + (T0 + 1_000) + "-view_item", "jane-" + (T0 + 3_000) + "-buy_item");
            assertThat(routed(h, THEN_BUY)).containsExactly("jane-" + T0 + "-login", "jane-" + (T0 + 3_000) + "-buy_item");
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(value = CepFloorOperator.Ordering.class, names = {"TIMERS", "QUEUE"})
    void orderedTheWaitingEventsComeBackFromACheckpoint(CepFloorOperator.Ordering ordering) throws Exception {
        var snapshot = checkpointOfWaiting(ordering, event("jane", T0, "login", true), event("jane", T0 + 3_000, "buy_item", false));
        try (var h = restored(ordering, snapshot)) {
            assertThat(h.extractOutputValues()).isEmpty();

            h.processWatermark(T0 + 3_000);

            assertThat(routed(h, THEN_BUY)).containsExactly("jane-" + T0 + "-login", "jane-" + (T0 + 3_000) + "-buy_item");
            assertThat(h.extractOutputValues()).hasSize(2);
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(value = CepFloorOperator.Ordering.class, names = {"TIMERS", "QUEUE"})
    void orderedEventsOfOneTimeKeepTheirArrivalOrderThroughACheckpoint(CepFloorOperator.Ordering ordering) throws Exception {
        var snapshot = checkpointOfWaiting(ordering, event("jane", T0 + 5_000, "view_item", false), event("jane", T0, "login", false),
                event("jane", T0 + 5_000, "add_to_cart", false), event("jane", T0, "view_item", false));
        try (var h = restored(ordering, snapshot)) {

            h.processWatermark(T0 + 5_000);

            assertThat(h.extractOutputValues()).extracting(e -> e.eventId).containsExactly("jane-" + T0 + "-login",
                    "jane-" + T0 + "-view_item", "jane-" + (T0 + 5_000) + "-view_item", "jane-" + (T0 + 5_000) + "-add_to_cart");
        }
    }

    /** A checkpoint of a floor with {@code ordering} taken while {@code events} wait for the watermark. */
    @SafeVarargs
    private static org.apache.flink.runtime.checkpoint.OperatorSubtaskState checkpointOfWaiting(CepFloorOperator.Ordering ordering,
            StreamRecord<Event>... events) throws Exception {
        try (var h = floor(ordering)) {
            h.open();
            for (StreamRecord<Event> e : events) {
                h.processElement(e);
            }
            return h.snapshot(1, T0 + 10_000);
        }
    }

    /** A floor with {@code ordering} restored from {@code snapshot} and open. */
    private static KeyedOneInputStreamOperatorTestHarness<String, Event, Event> restored(CepFloorOperator.Ordering ordering,
            org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot) throws Exception {
        var h = floor(ordering);
        h.initializeState(snapshot);
        h.open();
        return h;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Event, Event> floor(CepFloorOperator.Ordering ordering) throws Exception {
        SurprisalConfig c = ConfigLoader.load(null, List.of());
        return new KeyedOneInputStreamOperatorTestHarness<>(new CepFloorOperator(2, c.cep(), c.state().ttl(), ordering), new UserKey(), Types.STRING);
    }
}
