package io.surprisal.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.event.Event;
import io.surprisal.event.UserKey;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The cached state floor keeps every count: written when a user leaves the cache and before each checkpoint barrier. */
class CachedStateFloorOperatorTest {
    private static StreamRecord<Event> eventOf(String user, long ts) {
        Event e = new Event();
        e.user = user;
        return new StreamRecord<>(e, ts);
    }

    /** The count the state backend holds for {@code user}, or null. */
    private static Long stored(KeyedOneInputStreamOperatorTestHarness<String, Event, Event> h, String user) throws Exception {
        KeyedStateBackend<String> backend = h.getOperator().getKeyedStateBackend();
        Object current = backend.getCurrentKey();
        backend.setCurrentKey(user);
        ValueState<Long> count = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                new ValueStateDescriptor<>("state-floor-0", Types.LONG));
        Long value = count.value();
        backend.setCurrentKey((String) current);
        return value;
    }

    @Test
    void aUserLeavingTheCacheIsWrittenAndTheRestBeforeTheBarrier() throws Exception {
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new CachedStateFloorOperator(2), new UserKey(), Types.STRING)) {
            h.open();
            h.processElement(eventOf("a", 1));
            h.processElement(eventOf("b", 2));
            h.processElement(eventOf("a", 3));
            // Three users, room for two: b, seen longest ago, leaves and is written.
            h.processElement(eventOf("c", 4));
            assertThat(stored(h, "b")).isEqualTo(1L);
            assertThat(stored(h, "a")).as("a is still only on the heap").isNull();

            h.prepareSnapshotPreBarrier(1);
            assertThat(stored(h, "a")).isEqualTo(2L);
            assertThat(stored(h, "c")).isEqualTo(1L);

            // b comes back: read from the backend, counted on.
            h.processElement(eventOf("b", 5));
            h.prepareSnapshotPreBarrier(2);
            assertThat(stored(h, "b")).isEqualTo(2L);
            assertThat(h.getOutput()).as("the floor emits nothing").isEmpty();
        }
    }
}
