package io.surprisal.flink;

import io.surprisal.event.Event;
import java.util.List;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * Runs a keyed function with a broadcast input (events keyed by user, updates broadcast) with its
 * write-back cache of users and the queue of its waiting events, as {@link UserCachingOperator}
 * runs one without.
 */
public final class UserCachingBroadcastOperator<B, F extends KeyedBroadcastProcessFunction<String, Event, B, Event> & CachesUsers>
        extends CoBroadcastWithKeyedOperator<String, Event, B, Event> {
    private static final long serialVersionUID = 1L;

    /** Empties the per-user function's queue of waiting events at each watermark. */
    private transient QueuedEventsDrain queued;

    /** @param broadcastStates the descriptors of the function's broadcast state */
    public UserCachingBroadcastOperator(F function, List<MapStateDescriptor<?, ?>> broadcastStates) {
        super(function, broadcastStates);
        if (function instanceof UserBehaviourWithModelUpdatesFunction f) {
            f.scoring().orderInQueue();
        }
    }

    @Override
    public void open() throws Exception {
        CachesUsers.openIn(this, userFunction);
        super.open();
        if (userFunction instanceof UserBehaviourWithModelUpdatesFunction f) {
            queued = QueuedEventsDrain.of(f.scoring(), this, output, ts -> timeServiceManager.advanceWatermark(new Watermark(ts)));
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
