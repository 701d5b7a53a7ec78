package io.surprisal.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.alert.Alert;
import io.surprisal.config.ConfigLoader;
import io.surprisal.event.Event;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
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

    @Test
    void flagsTheChallengePurchaseOnceTheWatermarkPassesAndEmptiesThePendingBuffer() throws Exception {
        try (var h = harness()) {
            // The challenge's test_1, all at one instant but for the last purchase: arrival order decides.
            send(h,
                    purchase(1000, "1", 16.83),
                    purchase(1000, "1", 59.28),
                    friendship(1000, "befriend", "1", "2"),
                    friendship(1000, "befriend", "3", "1"),
                    purchase(1000, "1", 11.20),
                    friendship(1000, "unfriend", "1", "3"),
                    purchase(2000, "2", 1601.83));
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
            // friends, histories and the sequence remain; the pending buffer is gone
            assertThat(h.numKeyedStateEntries()).isEqualTo(3);
        }
    }

    @Test
    void unfriendingAndBefriendingChangeTheNetwork() throws Exception {
        try (var h = harness()) {
            send(h,
                    purchase(1000, "1", 16.83),
                    purchase(1000, "1", 59.28),
                    friendship(1000, "befriend", "1", "2"),
                    friendship(1000, "befriend", "3", "1"),
                    purchase(1000, "1", 11.20),
                    friendship(1000, "unfriend", "1", "3"),
                    purchase(2000, "2", 1601.83),
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
            assertThat(h.numKeyedStateEntries()).isEqualTo(3);
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
