package io.surprisal.flink;

import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.Event;
import io.surprisal.event.UserKey;
import io.surprisal.model.UserProfile;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/** A per-user operator ({@link UserBehaviourFunction} or a subclass) open on Flink's keyed test harness, and the profiles in its state. */
public final class UserBehaviourHarness implements AutoCloseable {
    public final KeyedProcessOperator<String, Event, Event> operator;
    public final KeyedOneInputStreamOperatorTestHarness<String, Event, Event> harness;
    private final SurprisalConfig config;

    private UserBehaviourHarness(UserBehaviourFunction function, SurprisalConfig config) throws Exception {
        this.config = config;
        operator = new KeyedProcessOperator<>(function);
        harness = new KeyedOneInputStreamOperatorTestHarness<>(operator, new UserKey(), Types.STRING);
        harness.open();
    }

    /** {@code function}, built with {@code config}, on an open harness. */
    public static UserBehaviourHarness open(UserBehaviourFunction function, SurprisalConfig config) throws Exception {
        return new UserBehaviourHarness(function, config);
    }

    /** The user's profile in the operator's state, or null. */
    public UserProfile profileOrNull(String user) throws Exception {
        operator.setCurrentKey(user);
        return operator.getKeyedStateBackend().getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                Descriptors.userProfile(config.state().ttl())).value();
    }

    @Override
    public void close() throws Exception {
        harness.close();
    }
}
