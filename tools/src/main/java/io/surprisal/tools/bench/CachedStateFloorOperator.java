package io.surprisal.tools.bench;

import io.surprisal.event.Event;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The state floor with a write-back cache: one keyed value per user (a count) kept on the heap for
 * the {@code capacity} users seen last, read from the state backend on a miss, and written to it
 * when a user leaves the cache or before each checkpoint barrier (Flink SQL's mini-batch flushes
 * its bundles there). A checkpoint therefore holds every count, as the uncached floor's does. It
 * prices a per-user operator that reads and writes its users' state once per visit rather than
 * once per event.
 */
public final class CachedStateFloorOperator extends AbstractStreamOperator<Event> implements OneInputStreamOperator<Event, Event> {
    /** Accumulator: values written to the state backend. */
    public static final String BACKEND_WRITES_ACCUMULATOR = "state-floor-backend-writes";

    private final int capacity;
    private transient ValueState<Long> count;
    private transient LinkedHashMap<String, long[]> hot;
    private transient LongCounter writes;
    private transient LongCounter backendWrites;

    public CachedStateFloorOperator(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be 1 or more: " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public void open() throws Exception {
        super.open();
        count = getPartitionedState(new ValueStateDescriptor<>("state-floor-0", Types.LONG));
        // Access order: the eldest entry is the user seen longest ago.
        hot = new LinkedHashMap<>(capacity * 2, 0.75f, true);
        writes = getRuntimeContext().getLongCounter(StateFloorFunction.WRITES_ACCUMULATOR);
        backendWrites = getRuntimeContext().getLongCounter(BACKEND_WRITES_ACCUMULATOR);
    }

    @Override
    public void processElement(StreamRecord<Event> element) throws Exception {
        String user = (String) getCurrentKey();
        long[] entry = hot.get(user);
        if (entry == null) {
            Long stored = count.value();
            entry = new long[] {stored == null ? 0 : stored, 0};
            hot.put(user, entry);
            if (hot.size() > capacity) {
                evictEldest(user);
            }
        }
        entry[0]++;
        entry[1] = 1; // dirty
        writes.add(1);
    }

    private void evictEldest(String current) throws Exception {
        Iterator<Map.Entry<String, long[]>> it = hot.entrySet().iterator();
        Map.Entry<String, long[]> eldest = it.next();
        it.remove();
        if (eldest.getValue()[1] != 0) {
            setCurrentKey(eldest.getKey());
            count.update(eldest.getValue()[0]);
            backendWrites.add(1);
            setCurrentKey(current);
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        Object current = getCurrentKey();
        for (Map.Entry<String, long[]> e : hot.entrySet()) {
            long[] entry = e.getValue();
            if (entry[1] != 0) {
                setCurrentKey(e.getKey());
                count.update(entry[0]);
                backendWrites.add(1);
                entry[1] = 0;
            }
        }
        if (current != null) {
            setCurrentKey(current);
        }
    }
}
