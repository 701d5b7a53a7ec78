package io.surprisal.flink;

import io.surprisal.event.Event;
import java.util.List;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;

/**
 * Runs {@link UserBehaviourWithModelUpdatesFunction} (events keyed by user, model updates
 * broadcast) with the wrapped function's write-back cache of users, as {@link UserBehaviourOperator}
 * runs the function alone.
 */
public final class UserBehaviourWithModelUpdatesOperator extends CoBroadcastWithKeyedOperator<String, Event, String, Event> {
    private static final long serialVersionUID = 1L;

    public UserBehaviourWithModelUpdatesOperator(UserBehaviourWithModelUpdatesFunction function) {
        super(function, List.of(Descriptors.MODEL));
    }

    @Override
    public void open() throws Exception {
        // Heap state keeps the objects it is given; RocksDB their bytes.
        ((UserBehaviourWithModelUpdatesFunction) userFunction).cacheUsersWith(this, !getKeyedStateBackend().isSafeToReuseKVState());
        super.open();
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        ((UserBehaviourWithModelUpdatesFunction) userFunction).writeBackCachedUsers();
    }
}
