package io.surprisal.novelty;

import io.surprisal.config.SurprisalConfig.StateConfig;
import io.surprisal.event.Event;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;

/**
 * Runs {@link LoginNoveltyFunction} with a write-back cache of the users seen last ({@code
 * state.cache-users}): their login profile and recency stay on the heap, written to state when they
 * leave the cache and before each checkpoint barrier, so a checkpoint holds what it would without it.
 */
public final class LoginNoveltyOperator extends KeyedProcessOperator<String, Event, Event> {
    private static final long serialVersionUID = 1L;

    private final StateConfig cache;

    /** @param cache how many users per instance are kept on the heap ({@code state.cache-users}; 0: none) */
    public LoginNoveltyOperator(LoginNoveltyFunction function, StateConfig cache) {
        super(function);
        this.cache = cache;
    }

    @Override
    public void open() throws Exception {
        // Heap state keeps the objects it is given; RocksDB their bytes.
        ((LoginNoveltyFunction) userFunction).cacheUsersWith(this, !getKeyedStateBackend().isSafeToReuseKVState(), cache);
        super.open();
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        ((LoginNoveltyFunction) userFunction).writeBackCachedUsers();
    }
}
