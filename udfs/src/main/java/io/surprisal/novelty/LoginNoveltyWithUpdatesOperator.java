package io.surprisal.novelty;

import io.surprisal.config.SurprisalConfig.StateConfig;
import io.surprisal.event.Event;
import io.surprisal.flink.Descriptors;
import java.util.List;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;

/**
 * Runs {@link LoginNoveltyWithUpdatesFunction} (events keyed by user, allowlist and model updates
 * broadcast) with the write-back cache of users, as {@link LoginNoveltyOperator} runs the function
 * without updates.
 */
public final class LoginNoveltyWithUpdatesOperator extends CoBroadcastWithKeyedOperator<String, Event, LoginNoveltyUpdate, Event> {
    private static final long serialVersionUID = 1L;

    private final StateConfig cache;

    /** @param cache how many users per instance are kept on the heap ({@code state.cache-users}; 0: none) */
    public LoginNoveltyWithUpdatesOperator(LoginNoveltyWithUpdatesFunction function, StateConfig cache) {
        super(function, List.of(Descriptors.ALLOWLIST, Descriptors.LOGIN_MODEL));
        this.cache = cache;
    }

    @Override
    public void open() throws Exception {
        // Heap state keeps the objects it is given; RocksDB their bytes.
        ((LoginNoveltyWithUpdatesFunction) userFunction).cacheUsersWith(this, !getKeyedStateBackend().isSafeToReuseKVState(), cache);
        super.open();
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        ((LoginNoveltyWithUpdatesFunction) userFunction).writeBackCachedUsers();
    }
}
