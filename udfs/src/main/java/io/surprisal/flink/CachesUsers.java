package io.surprisal.flink;

import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.state.rocksdb.RocksDBKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.KeyContext;

/**
 * A keyed function that keeps the users seen last in a write-back cache ({@link HotUsers}): its
 * operator ({@link UserCachingOperator}, {@link UserCachingBroadcastOperator}) gives it the key to
 * write a user back under, and asks it to write every changed user before each checkpoint barrier.
 */
public interface CachesUsers {
    /**
     * Before the function opens: the operator's key, which the cache sets to write a user back, and
     * whether state keeps the objects it is given (heap state), so that the cache trades copies.
     */
    void cacheUsersWith(KeyContext operatorKeys, boolean stateKeepsObjects);

    /** Writes every cached user changed since the last call to state: before each checkpoint barrier. */
    void writeBackCachedUsers() throws Exception;

    /**
     * What an operator running {@code function} does in {@code open()}, before the function opens:
     * hands it the operator's key and whether state keeps the objects it is given (heap state keeps
     * them; RocksDB their bytes).
     */
    static void openIn(AbstractStreamOperator<?> operator, Object function) {
        ((CachesUsers) function).cacheUsersWith(operator, keepsObjects(operator.getKeyedStateBackend()));
    }

    /**
     * Whether {@code backend} keeps the value objects it is given. RocksDB serializes them, even
     * with heap timers (for which its {@code isSafeToReuseKVState()} says false, as the timers keep
     * their keys); any other backend may keep them, so the cache trades copies with it.
     */
    static boolean keepsObjects(KeyedStateBackend<?> backend) {
        return !(backend instanceof RocksDBKeyedStateBackend) && !backend.isSafeToReuseKVState();
    }

    /** What an operator running {@code function} does before each checkpoint barrier. */
    static void beforeBarrier(Object function) throws Exception {
        ((CachesUsers) function).writeBackCachedUsers();
    }
}
