package io.surprisal.flink;

import io.surprisal.event.Event;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;

/**
 * Runs a keyed function with its write-back cache of users ({@link CachesUsers}): the function
 * writes a user leaving the cache under that user's key, set through this operator, and every
 * changed user before each checkpoint barrier, so a checkpoint holds what it would without the cache.
 */
public final class UserCachingOperator<F extends KeyedProcessFunction<String, Event, Event> & CachesUsers>
        extends KeyedProcessOperator<String, Event, Event> {
    private static final long serialVersionUID = 1L;

    public UserCachingOperator(F function) {
        super(function);
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
