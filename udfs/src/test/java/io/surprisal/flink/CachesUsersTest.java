package io.surprisal.flink;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/** Whether the write-back cache trades copies with the state backend ({@link CachesUsers#keepsObjects}). */
class CachesUsersTest {

    @Test
    void heapStateKeepsTheObjectsItIsGiven() throws Exception {
        try (var harness = harness(null)) {
            assertTrue(CachesUsers.keepsObjects(backendOf(harness)));
        }
    }

    @Test
    void rocksDbSerializesValuesEvenWithHeapTimers() throws Exception {
        EmbeddedRocksDBStateBackend rocksDb = new EmbeddedRocksDBStateBackend();
        rocksDb.setPriorityQueueStateType(EmbeddedRocksDBStateBackend.PriorityQueueStateType.HEAP);
        try (var harness = harness(rocksDb)) {
            KeyedStateBackend<?> backend = backendOf(harness);
            // Flink's own flag says no (the heap timers keep their keys), yet values are bytes in RocksDB.
            assertFalse(backend.isSafeToReuseKVState());
            assertFalse(CachesUsers.keepsObjects(backend));
        }
    }

    @Test
    void rocksDbWithItsOwnTimersSerializesValues() throws Exception {
        try (var harness = harness(new EmbeddedRocksDBStateBackend())) {
            assertFalse(CachesUsers.keepsObjects(backendOf(harness)));
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, String, String> harness(EmbeddedRocksDBStateBackend backend) throws Exception {
        var operator = new KeyedProcessOperator<String, String, String>(new KeyedProcessFunction<>() {
            @Override
            public void processElement(String value, Context ctx, Collector<String> out) {
                out.collect(value);
            }
        });
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(operator, (String s) -> s, Types.STRING);
        if (backend != null) {
            harness.setStateBackend(backend);
        }
        harness.open();
        return harness;
    }

    private static KeyedStateBackend<?> backendOf(KeyedOneInputStreamOperatorTestHarness<String, String, String> harness) {
        return ((KeyedProcessOperator<?, ?, ?>) harness.getOneInputOperator()).getKeyedStateBackend();
    }
}
