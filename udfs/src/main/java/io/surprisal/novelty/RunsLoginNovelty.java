package io.surprisal.novelty;

import io.surprisal.flink.CachesUsers;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.operators.KeyContext;

/**
 * What a Flink function running detector {@code login-novelty} hands to {@link LoginNoveltyLogic},
 * whichever function it is ({@link LoginNoveltyFunction} on one input, {@link
 * LoginNoveltyWithUpdatesFunction} with updates): its state, its snapshots and its cache of users.
 */
interface RunsLoginNovelty extends CheckpointedFunction, CachesUsers {
    /** The detector's logic, which holds its state. */
    LoginNoveltyLogic logic();

    /** The function's runtime context (Flink's rich functions have one). */
    RuntimeContext getRuntimeContext();

    @Override
    default void initializeState(FunctionInitializationContext context) throws Exception {
        logic().initializeState(context, getRuntimeContext().getTaskInfo());
    }

    @Override
    default void snapshotState(FunctionSnapshotContext context) throws Exception {
        logic().snapshotState(getRuntimeContext().getTaskInfo());
    }

    @Override
    default void cacheUsersWith(KeyContext operatorKeys, boolean stateKeepsObjects) {
        logic().cacheUsersWith(operatorKeys, stateKeepsObjects);
    }

    @Override
    default void writeBackCachedUsers() throws Exception {
        logic().writeBackCachedUsers();
    }
}
