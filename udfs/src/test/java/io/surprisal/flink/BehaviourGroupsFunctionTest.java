package io.surprisal.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.alert.Alert;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.Event;
import io.surprisal.event.UserKey;
import io.surprisal.groups.BehaviourGroups;
import io.surprisal.groups.GroupModel;
import io.surprisal.groups.UserGroup;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Behaviour groups in the per-user operator: users typed at session close into groups learned
 * from the population, a group-change alert for a buyer whose session behaves like the attackers,
 * alerts carrying the group, the state left behind, and the groups surviving a restore.
 */
class BehaviourGroupsFunctionTest {
    private final SurprisalConfig config = ConfigLoader.load(null, List.of(
            "state.ttl=1d", "detectors.group-change.enabled=true", "detectors.group-change.threshold-bits=2"));

    private static final String[] BUYER = {"login", "view_item", "view_item", "view_item", "buy_item", "logout"};
    private static final String[] ATTACKER = {"login!", "login!", "login!", "login!", "login!", "login!", "end"};

    /** Sends one session of {@code user} and returns the time after it. */
    private static long session(KeyedOneInputStreamOperatorTestHarness<String, Event, Event> h, String user, int n, String[] steps,
            long t) throws Exception {
        for (String step : steps) {
            Event e = new Event();
            e.user = user;
            e.fail = step.endsWith("!");
            e.action = step.replace("!", "");
            e.ts = t += 1000;
            e.eventId = user + "@" + t;
            e.session = user + "-s" + n;
            h.processElement(e, t);
        }
        return t;
    }

    /** 60 buyers and 3 attackers, three sessions each, an hour apart. */
    private static long population(KeyedOneInputStreamOperatorTestHarness<String, Event, Event> h) throws Exception {
        long t = 0;
        for (int n = 0; n < 3; n++) {
            for (int i = 0; i < 60; i++) {
                t = session(h, "buyer" + i, n, BUYER, t);
            }
            for (int i = 0; i < 3; i++) {
                t = session(h, "attacker" + i, n, ATTACKER, t);
            }
            t += 3_600_000;
        }
        h.processWatermark(new Watermark(t));
        return t;
    }

    @Test
    void aBuyerWhoseSessionBehavesLikeTheAttackersIsAGroupChangeAndAlertsCarryTheGroup() throws Exception {
        var op = new KeyedProcessOperator<>(new UserBehaviourFunction(config));
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(op, new UserKey(), Types.STRING)) {
            h.open();
            long t = population(h);
            UserGroup buyer = group(op, "buyer0");
            UserGroup attacker = group(op, "attacker0");
            assertThat(buyer.group).isNotEqualTo(UserGroup.NONE);
            assertThat(attacker.group).isNotEqualTo(UserGroup.NONE).isNotEqualTo(buyer.group);
            assertThat(buyer.posterior).isGreaterThanOrEqualTo(0.99);
            BehaviourGroups groups = ((UserBehaviourFunction) op.getUserFunction()).groups();
            assertThat(groups.model().members(buyer.group)).isEqualTo(60);

            session(h, "buyer0", 9, ATTACKER, t);
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            List<Alert> alerts = h.getSideOutput(Descriptors.ALERTS).stream().map(StreamRecord::getValue).collect(Collectors.toList());
            List<Alert> changes = alerts.stream().filter(a -> a.detector.equals(BehaviourGroups.DETECTOR)).toList();
            assertThat(changes).extracting(a -> a.user).containsExactly("buyer0");
            Alert change = changes.get(0);
            assertThat(change.group).isEqualTo(GroupModel.name(attacker.group));
            assertThat(change.reasons.get(0).observed).isEqualTo(GroupModel.name(buyer.group) + " -> " + GroupModel.name(attacker.group));
            assertThat(change.score).isGreaterThanOrEqualTo(change.threshold);
            assertThat(change.events).isNotEmpty();
            // Every alert of a typed user carries the user's group.
            assertThat(alerts).filteredOn(a -> !a.detector.equals(BehaviourGroups.DETECTOR) && a.user.startsWith("buyer"))
                    .allSatisfy(a -> assertThat(a.group).isEqualTo(GroupModel.name(buyer.group)));

            // What is left: per user, the profile and the group; no timer, no top event, nothing waiting.
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numKeyedStateEntries()).isEqualTo(2 * 63);
        }
    }

    @Test
    void theGroupsSurviveARestoreFromACheckpoint() throws Exception {
        var op = new KeyedProcessOperator<>(new UserBehaviourFunction(config));
        OperatorSubtaskState snapshot;
        List<Long> ids;
        long t;
        UserGroup buyer;
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(op, new UserKey(), Types.STRING)) {
            h.open();
            t = population(h);
            ids = ((UserBehaviourFunction) op.getUserFunction()).groups().model().ids();
            buyer = group(op, "buyer0");
            snapshot = h.snapshot(1L, t);
        }
        assertThat(ids).hasSizeGreaterThanOrEqualTo(2);
        var restoredOp = new KeyedProcessOperator<>(new UserBehaviourFunction(config));
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(restoredOp, new UserKey(), Types.STRING)) {
            h.initializeState(snapshot);
            h.open();
            BehaviourGroups groups = ((UserBehaviourFunction) restoredOp.getUserFunction()).groups();
            assertThat(groups.model().ids()).isEqualTo(ids);
            assertThat(groups.model().members(buyer.group)).isEqualTo(60);
            assertThat(group(restoredOp, "buyer0").group).isEqualTo(buyer.group);
            // Typed and judged at once by the restored groups.
            session(h, "buyer0", 9, ATTACKER, t);
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(h.getSideOutput(Descriptors.ALERTS)).extracting(r -> r.getValue().detector).contains(BehaviourGroups.DETECTOR);
        }
    }

    private static UserGroup group(KeyedProcessOperator<String, Event, Event> op, String user) throws Exception {
        op.setCurrentKey(user);
        ValueState<UserGroup> state = op.getKeyedStateBackend().getPartitionedState(
                VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, Descriptors.userGroup(java.time.Duration.ofDays(1)));
        return state.value();
    }
}
