package io.surprisal.flink;

import io.surprisal.event.Event;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * Runs a keyed function with its write-back cache of users ({@link CachesUsers}): the function
 * writes a user leaving the cache under that user's key, set through this operator, and every
 * changed user before each checkpoint barrier, so a checkpoint holds what it would without the cache.
 * The per-user function's events wait for the watermark in its queue, which this operator empties
 * at each watermark ({@link QueuedEventsDrain}), not with a timer each.
 */
public final class UserCachingOperator<F extends KeyedProcessFunction<String, Event, Event> & CachesUsers>
        extends KeyedProcessOperator<String, Event, Event> {
    private static final long serialVersionUID = 1L;

    private transient QueuedEventsDrain queued;

    public UserCachingOperator(F function) {
        super(function);
        if (function instanceof UserBehaviourFunction f) {
            f.orderInQueue();
        }
    }

    @Override
    public void open() throws Exception {
        CachesUsers.openIn(this, userFunction);
        super.open();
        if (userFunction instanceof UserBehaviourFunction f) {
            queued = QueuedEventsDrain.of(f, this, output, ts -> timeServiceManager.advanceWatermark(new Watermark(ts)));
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (queued != null) {
            queued.drainTo(mark.getTimestamp());
        }
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        CachesUsers.beforeBarrier(userFunction);
    }
}
