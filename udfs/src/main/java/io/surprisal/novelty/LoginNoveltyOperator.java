package io.surprisal.novelty;

import io.surprisal.event.Event;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;

/**
 * Runs {@link LoginNoveltyFunction} with a write-back cache of the users seen last ({@code
 * state.cache-users}): their login profile and recency stay on the heap, written to state when they
 * leave the cache and before each checkpoint barrier, so a checkpoint holds what it would without it.
 */
public final class LoginNoveltyOperator extends KeyedProcessOperator<String, Event, Event> {
    private static final long serialVersionUID = 1L;

    private final int cacheUsers;

    /** @param cacheUsers users per instance kept on the heap; 0: none */
    public LoginNoveltyOperator(LoginNoveltyFunction function, int cacheUsers) {
        super(function);
        this.cacheUsers = cacheUsers;
    }

    @Override
    public void open() throws Exception {
        // Heap state keeps the objects it is given; RocksDB their bytes.
        ((LoginNoveltyFunction) userFunction).cacheUsersWith(this, !getKeyedStateBackend().isSafeToReuseKVState(), cacheUsers);
        super.open();
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        ((LoginNoveltyFunction) userFunction).writeBackCachedUsers();
    }
}
