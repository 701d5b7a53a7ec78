package io.surprisal.purchase;

import io.surprisal.flink.Descriptors;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.alert.Alert;
import io.surprisal.config.ConfigLoader;
import io.surprisal.event.DeadLetter;
import io.surprisal.event.Event;
import java.util.List;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class PurchaseNetworkFunctionTest {

    private static KeyedOneInputStreamOperatorTestHarness<String, Event, Alert> harness() throws Exception {
        var config = ConfigLoader.load(null, List.of("detectors.purchase-network.degrees=3"));
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new PurchaseNetworkFunction(config)), new PurchaseNetworkFunction.OneKey(), Types.STRING);
        h.open();
        return h;
    }

    private static int sequence;

    private static Event friendship(long ts, String action, String user, String friend) {
        Event e = event(ts, action, user);
        e.friend = friend;
        return e;
    }

    private static Event purchase(long ts, String user, double amount) {
        Event e = event(ts, "purchase", user);
        e.amount = amount;
        return e;
    }

    private static Event event(long ts, String action, String user) {
        Event e = new Event();
        e.ts = ts;
        e.action = action;
        e.user = user;
        e.eventId = "e" + (++sequence);
        return e;
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<String, Event, Alert> h, Event... events) throws Exception {
        for (Event e : events) {
            assertThat(PurchaseNetworkFunction.isRouted(e)).isTrue();
            h.processElement(new StreamRecord<>(e, e.ts));
        }
    }

    /** The challenge's test_1, all at one instant but for the last purchase (of 1601.83 by 2). */
    private static Event[] challengeTest1() {
        return new Event[] {
                purchase(1000, "1", 16.83),
                purchase(1000, "1", 59.28),
                friendship(1000, "befriend", "1", "2"),
                friendship(1000, "befriend", "3", "1"),
                purchase(1000, "1", 11.20),
                friendship(1000, "unfriend", "1", "3"),
                purchase(2000, "2", 1601.83)};
    }

    @Test
    void flagsTheChallengePurchaseOnceTheWatermarkPassesAndEmptiesThePendingBuffer() throws Exception {
        try (var h = harness()) {
            // The challenge's test_1, all at one instant but for the last purchase: arrival order decides.
            send(h, challengeTest1());
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.numEventTimeTimers()).isEqualTo(2);
            assertThat(h.numKeyedStateEntries()).isEqualTo(2); // only the pending buffer (events and counts), under the one key

            h.processWatermark(1999);
            assertThat(h.extractOutputValues()).isEmpty();
            h.processWatermark(2000);

            List<Alert> alerts = h.extractOutputValues();
            assertThat(alerts).singleElement().satisfies(a -> {
                assertThat(a.detector).isEqualTo("purchase-network");
                assertThat(a.user).isEqualTo("2");
                assertThat(a.ts).isEqualTo(2000);
                assertThat(a.summary).isEqualTo("purchase of 1601.83 by 2 is above mean 29.10 + 3 sd 21.46"
                        + " of the last 50 purchases in their 3-degree network (3 purchases)");
                assertThat(a.events).extracting(e -> e.eventId).containsExactly("e" + sequence);
                assertThat(a.alertId).isNotBlank();
            });
            assertThat(h.numEventTimeTimers()).isZero();
            // friends (counts, blocks, positions), histories and the sequence remain; the pending buffer is gone
            assertThat(h.numKeyedStateEntries()).isEqualTo(5);
        }
    }

    @Test
    void unfriendingAndBefriendingChangeTheNetwork() throws Exception {
        try (var h = harness()) {
            send(h, challengeTest1());
            send(h,
                    // 3 has no friends left: nothing to compare with, not flagged
                    purchase(3000, "3", 1601.83),
                    // friends with 1 again: 3's network is 1 and 2 (1601.83 is now part of it)
                    friendship(4000, "befriend", "1", "3"),
                    purchase(5000, "3", 5000.00));
            h.processWatermark(5000);
            List<Alert> alerts = h.extractOutputValues();
            assertThat(alerts).extracting(a -> a.user).containsExactly("2", "3");
            assertThat(alerts.get(1).summary).isEqualTo("purchase of 5000.00 by 3 is above mean 422.28 + 3 sd 681.26"
                    + " of the last 50 purchases in their 3-degree network (4 purchases)");
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numKeyedStateEntries()).isEqualTo(5);
        }
    }

    @Test
    void aPurchaseOf50100000000000_83IsFlagged() throws Exception {
        try (var h = harness()) {
            send(h,
                    friendship(1000, "befriend", "1", "2"),
                    purchase(1000, "2", 10.00),
                    purchase(1000, "2", 12.00),
                    purchase(2000, "1", 50100000000000.83));
            h.processWatermark(2000);
            assertThat(h.extractOutputValues()).singleElement().satisfies(a -> {
                assertThat(a.summary).isEqualTo("purchase of 50100000000000.83 by 1 is above mean 11.00 + 3 sd 1.00"
                        + " of the last 50 purchases in their 3-degree network (2 purchases)");
                assertThat(a.reasons.get(0).observed).isEqualTo("50100000000000.83");
            });
            assertThat(h.getSideOutput(Descriptors.DEAD_LETTERS)).isNull();
        }
    }

    @Test
    void negativeAndUnrepresentableAmountsGoToTheDeadLettersWithTheReason() throws Exception {
        try (var h = harness()) {
            Event negative = purchase(1000, "1", -100);
            negative.source = "events.jsonl:7";
            send(h,
                    friendship(1000, "befriend", "1", "2"),
                    negative,
                    purchase(1000, "2", 1e300),
                    purchase(1000, "2", 70368744177664.0), // 2^46: a double no longer tells cents apart
                    purchase(1000, "2", 10.00),
                    purchase(1000, "2", 12.00));
            List<DeadLetter> dead = h.getSideOutput(Descriptors.DEAD_LETTERS).stream().map(StreamRecord::getValue).toList();
            assertThat(dead).extracting(d -> d.reason).containsOnly("wrong_type");
            assertThat(dead).extracting(d -> d.error).containsExactly(
                    "detector purchase-network: field 'amount': amount -100.0 is negative",
                    "detector purchase-network: field 'amount': amount 1.0E300 is too large to be read to the cent:"
                            + " numbers are read as doubles, exact to the cent below 70368744177664.00",
                    "detector purchase-network: field 'amount': amount 7.0368744177664E13 is too large to be read to the cent:"
                            + " numbers are read as doubles, exact to the cent below 70368744177664.00");
            assertThat(dead.get(0).source).isEqualTo("events.jsonl:7");
            assertThat(dead.get(0).raw).contains("\"user\":\"1\"").contains("\"amount\":-100.0");
            assertThat(dead.get(1).raw).contains("1.0E300");

            // the refused purchases are not part of any history: 1's network has 10.00 and 12.00 only
            send(h, purchase(2000, "1", 15.00));
            h.processWatermark(2000);
            assertThat(h.extractOutputValues()).singleElement().satisfies(a ->
                    assertThat(a.summary).contains("mean 11.00 + 3 sd 1.00").contains("(2 purchases)"));
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void friendsAreStoredPerEdgeInBoundedBlocks() throws Exception {
        var config = ConfigLoader.load(null, List.of());
        var operator = new KeyedProcessOperator<>(new PurchaseNetworkFunction(config));
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(operator, new PurchaseNetworkFunction.OneKey(), Types.STRING)) {
            h.open();
            int friends = 1000;
            for (int i = 0; i < friends; i++) {
                send(h, friendship(1000 + i, "befriend", "hub", "u" + i));
            }
            send(h, friendship(5000, "unfriend", "u3", "hub"));
            h.processWatermark(5000);

            operator.setCurrentKey(PurchaseNetworkFunction.KEY);
            var backend = operator.getKeyedStateBackend();
            MapState<Tuple2<String, Integer>, String[]> blocks = backend.getPartitionedState(
                    VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, PurchaseNetworkFunction.friendBlocks());
            MapState<Tuple2<String, String>, Integer> positions = backend.getPartitionedState(
                    VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, PurchaseNetworkFunction.friendPositions());
            MapState<String, Integer> counts = backend.getPartitionedState(
                    VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, PurchaseNetworkFunction.friendCounts());
            assertThat(counts.get("hub")).isEqualTo(friends - 1);
            assertThat(counts.get("u3")).isNull();
            assertThat(positions.keys()).hasSize(2 * (friends - 1)).doesNotContain(Tuple2.of("hub", "u3"));
            int hubBlocks = 0;
            int hubIds = 0;
            for (var block : blocks.entries()) {
                assertThat(block.getValue().length).isBetween(1, StoredPurchaseNetwork.FRIEND_BLOCK_SIZE);
                if (block.getKey().f0.equals("hub")) {
                    hubBlocks++;
                    hubIds += block.getValue().length;
                }
            }
            assertThat(hubIds).isEqualTo(friends - 1);
            assertThat(hubBlocks).isEqualTo((friends - 1 + StoredPurchaseNetwork.FRIEND_BLOCK_SIZE - 1) / StoredPurchaseNetwork.FRIEND_BLOCK_SIZE);
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void wholeFriendListsOfOlderStateAreMovedToPerEdgeStateOnRestore() throws Exception {
        var config = ConfigLoader.load(null, List.of("detectors.purchase-network.degrees=3"));
        OperatorSubtaskState snapshot;
        var before = new KeyedProcessOperator<>(new PurchaseNetworkFunction(config));
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(before, new PurchaseNetworkFunction.OneKey(), Types.STRING)) {
            h.open();
            before.setCurrentKey(PurchaseNetworkFunction.KEY);
            MapState<String, String[]> lists = before.getKeyedStateBackend().getPartitionedState(
                    VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, Descriptors.purchaseFriends());
            lists.put("1", new String[] {"2"});
            lists.put("2", new String[] {"1", "3"});
            lists.put("3", new String[] {"2"});
            snapshot = h.snapshot(1L, 0);
        }
        var after = new KeyedProcessOperator<>(new PurchaseNetworkFunction(config));
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(after, new PurchaseNetworkFunction.OneKey(), Types.STRING)) {
            h.initializeState(snapshot);
            h.open();
            send(h, purchase(1000, "3", 10.00), purchase(1000, "3", 12.00), purchase(2000, "1", 100.00));
            h.processWatermark(2000);
            // 1's network, 2 and 3 (through 2), comes from the migrated lists
            assertThat(h.extractOutputValues()).singleElement().satisfies(a ->
                    assertThat(a.summary).contains("mean 11.00 + 3 sd 1.00"));
            after.setCurrentKey(PurchaseNetworkFunction.KEY);
            var backend = after.getKeyedStateBackend();
            assertThat(backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                    Descriptors.purchaseFriends()).isEmpty()).isTrue();
            MapState<String, Integer> counts = backend.getPartitionedState(
                    VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, PurchaseNetworkFunction.friendCounts());
            assertThat(counts.entries()).extracting(e -> e.getKey() + "=" + e.getValue()).containsExactlyInAnyOrder("1=1", "2=2", "3=1");
        }
    }

    @Test
    void lateEventsAndEventsWithoutAnAmountAreNotApplied() throws Exception {
        Event noAmount = event(1000, "buy_item", "1");
        Event failed = purchase(1000, "1", 10.0);
        failed.fail = true;
        Event view = event(1000, "view_item", "1");
        assertThat(List.of(noAmount, failed, view)).noneMatch(PurchaseNetworkFunction::isRouted);
        try (var h = harness()) {
            h.processWatermark(5000);
            send(h, purchase(4000, "1", 10.0));
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }
}
