package io.surprisal.flink;

import io.surprisal.event.Event;
import java.util.List;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;

/**
 * Runs a keyed function with a broadcast input (events keyed by user, updates broadcast) with its
 * write-back cache of users, as {@link UserCachingOperator} runs one without.
 */
public final class UserCachingBroadcastOperator<B, F extends KeyedBroadcastProcessFunction<String, Event, B, Event> & CachesUsers>
        extends CoBroadcastWithKeyedOperator<String, Event, B, Event> {
    private static final long serialVersionUID = 1L;

    /** @param broadcastStates the descriptors of the function's broadcast state */
    public UserCachingBroadcastOperator(F function, List<MapStateDescriptor<?, ?>> broadcastStates) {
        super(function, broadcastStates);
    }

    @Override
    public void open() throws Exception {
        CachesUsers.openIn(this, userFunction);
        super.open();
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        CachesUsers.beforeBarrier(userFunction);
    }
}
