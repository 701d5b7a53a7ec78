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

    private UserBehaviourHarness(KeyedProcessOperator<String, Event, Event> operator,
            KeyedOneInputStreamOperatorTestHarness<String, Event, Event> harness, SurprisalConfig config) throws Exception {
        this.config = config;
        this.operator = operator;
        this.harness = harness;
        harness.open();
    }

    private UserBehaviourHarness(KeyedProcessOperator<String, Event, Event> operator, SurprisalConfig config) throws Exception {
        this(operator, new KeyedOneInputStreamOperatorTestHarness<>(operator, new UserKey(), Types.STRING), config);
    }

    /** {@code harness} of {@code operator} (its state initialized, say from a snapshot), opened. */
    public static UserBehaviourHarness wrap(KeyedProcessOperator<String, Event, Event> operator,
            KeyedOneInputStreamOperatorTestHarness<String, Event, Event> harness, SurprisalConfig config) throws Exception {
        return new UserBehaviourHarness(operator, harness, config);
    }

    /** {@code function}, built with {@code config}, on an open harness. */
    public static UserBehaviourHarness open(UserBehaviourFunction function, SurprisalConfig config) throws Exception {
        return new UserBehaviourHarness(new KeyedProcessOperator<>(function), config);
    }

    /** {@code function} in {@link UserCachingOperator}, which caches users as {@code config} says, on an open harness. */
    public static UserBehaviourHarness openCached(UserBehaviourFunction function, SurprisalConfig config) throws Exception {
        return new UserBehaviourHarness(new UserCachingOperator<>(function), config);
    }

    /** The user's profile in the operator's state, or null. */
    /** Event time reaches {@code watermark}, then checkpoint {@code checkpointId}'s barrier comes (the cache writes back). */
    public void barrierAfter(long watermark, long checkpointId) throws Exception {
        harness.processWatermark(new org.apache.flink.streaming.api.watermark.Watermark(watermark));
        harness.prepareSnapshotPreBarrier(checkpointId);
    }

    public UserProfile profileOrNull(String user) throws Exception {
        operator.setCurrentKey(user);
        return operator.getKeyedStateBackend().getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                Descriptors.userProfile(config.state().ttl())).value();
    }

    /** The slots of the session's top events the user has in the operator's state. */
    public java.util.List<Integer> topEventSlots(String user) throws Exception {
        operator.setCurrentKey(user);
        java.util.List<Integer> slots = new java.util.ArrayList<>();
        operator.getKeyedStateBackend().getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                Descriptors.sessionTopEvents(config.state().ttl())).keys().forEach(slots::add);
        return slots;
    }

    /** The user's behaviour group in the operator's state, or null. */
    public io.surprisal.groups.UserGroup groupOrNull(String user) throws Exception {
        operator.setCurrentKey(user);
        return operator.getKeyedStateBackend().getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                Descriptors.userGroup(config.state().ttl())).value();
    }

    @Override
    public void close() throws Exception {
        harness.close();
    }
}
