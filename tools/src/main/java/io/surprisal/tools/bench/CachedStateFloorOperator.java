package io.surprisal.tools.bench;

import io.surprisal.event.Event;
import io.surprisal.flink.CachedValue;
import io.surprisal.flink.HotUsers;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The state floor behind the job's write-back cache of users ({@link HotUsers}, as the per-user
 * operator and login novelty use it): one keyed value per user (a count) kept on the heap for the
 * {@code capacity} users seen last, read from the state backend on a miss, and written to it when a
 * user leaves the cache or before each checkpoint barrier. Every cached user may wait changed until
 * the barrier (no dirty bound). A checkpoint therefore holds every count, as the uncached floor's
 * does. It prices a per-user operator that reads and writes its users' state once per visit rather
 * than once per event.
 */
public final class CachedStateFloorOperator extends AbstractStreamOperator<Event> implements OneInputStreamOperator<Event, Event> {
    /** Accumulator: values written to the state backend. */
    public static final String BACKEND_WRITES_ACCUMULATOR = "state-floor-backend-writes";

    private final int capacity;
    private transient HotUsers hot;
    private transient CachedValue<Long> count;
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
        // No TTL on the floor's state; a count is a Long, never changed in place, so heap state needs no copies.
        hot = new HotUsers(capacity, capacity, Long.MAX_VALUE, 1, 0, System::currentTimeMillis, this, (user, now) -> {
            count.writeBack(user, now);
            backendWrites.add(1);
        });
        count = new CachedValue<>(getPartitionedState(new ValueStateDescriptor<>("state-floor-0", Types.LONG)), hot, 0, n -> n);
        writes = getRuntimeContext().getLongCounter(StateFloorFunction.WRITES_ACCUMULATOR);
        backendWrites = getRuntimeContext().getLongCounter(BACKEND_WRITES_ACCUMULATOR);
    }

    @Override
    public void processElement(StreamRecord<Event> element) throws Exception {
        hot.enter((String) getCurrentKey());
        Long n = count.value();
        count.update(n == null ? 1L : n + 1);
        writes.add(1);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        hot.writeBack();
    }
}
