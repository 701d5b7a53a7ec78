package io.surprisal.flink;

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
}
