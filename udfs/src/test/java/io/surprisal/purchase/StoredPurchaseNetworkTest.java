package io.surprisal.purchase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.surprisal.alert.Alert;
import io.surprisal.event.Event;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StoredPurchaseNetworkTest {

    @Test
    void challengeTest1GivesMean2910AndSd2146() throws Exception {
        StoredPurchaseNetwork network = new StoredPurchaseNetwork(3, 50, new HeapPurchaseNetworkStore());
        network.record("1", 0, 1683);
        network.record("1", 0, 5928);
        network.befriend("1", "2");
        network.befriend("3", "1");
        network.record("1", 0, 1120);
        network.unfriend("1", "3");
        PurchaseJudgement judgement = network.judgeAndRecord("2", 1, 160183);
        assertThat(judgement.flagged()).isTrue();
        assertThat(judgement.historySize()).isEqualTo(3);
        assertThat(judgement.meanText()).isEqualTo("29.10");
        assertThat(judgement.sdText()).isEqualTo("21.46");
    }

    @Test
    void networkIsLimitedToDHopsAndFollowsUnfriending() throws Exception {
        HeapPurchaseNetworkStore store = new HeapPurchaseNetworkStore();
        StoredPurchaseNetwork network = new StoredPurchaseNetwork(2, 10, store);
        network.befriend("a", "b");
        network.befriend("b", "c");
        network.befriend("c", "d");
        assertThat(network.befriend("b", "a")).isFalse(); // undirected, idempotent
        assertThat(network.network("a")).containsExactly("b", "c");
        assertThat(network.unfriend("c", "b")).isTrue();
        assertThat(network.network("a")).containsExactly("b");
        assertThat(network.unfriend("c", "b")).isFalse();
        assertThat(store.friends).containsOnlyKeys("a", "b", "c", "d");
        network.unfriend("a", "b");
        assertThat(store.friends).containsOnlyKeys("c", "d"); // empty adjacency entries are removed
    }

    @Test
    void historyKeepsOnlyTheLastTPerUser() throws Exception {
        HeapPurchaseNetworkStore store = new HeapPurchaseNetworkStore();
        StoredPurchaseNetwork network = new StoredPurchaseNetwork(1, 3, store);
        for (int i = 0; i < 5; i++) {
            network.record("a", 100 + i, 1000 + i);
        }
        assertThat(store.purchases.get("a")).containsExactly(102, 2, 1002, 103, 3, 1003, 104, 4, 1004);
    }

    /** Random graphs and purchases: the stored network and the in-memory one agree on every verdict. */
    @ParameterizedTest
    @CsvSource({"1, 2, 1", "2, 5, 2", "3, 50, 3", "2, 3, 4"})
    void agreesWithTheInMemoryNetwork(int degrees, int tracked, long seed) throws Exception {
        Random random = new Random(seed);
        PurchaseNetwork reference = new PurchaseNetwork(degrees, tracked);
        StoredPurchaseNetwork stored = new StoredPurchaseNetwork(degrees, tracked, new HeapPurchaseNetworkStore());
        long ts = 0;
        int flagged = 0;
        for (int i = 0; i < 5000; i++) {
            ts += random.nextInt(3); // many ties
            String a = "u" + random.nextInt(60);
            String b = "u" + random.nextInt(60);
            int kind = random.nextInt(10);
            if (kind < 2) {
                assertThat(stored.befriend(a, b)).isEqualTo(reference.befriend(a, b));
            } else if (kind < 3) {
                assertThat(stored.unfriend(a, b)).isEqualTo(reference.unfriend(a, b));
            } else {
                long cents = random.nextInt(10) == 0 ? 100_000 + random.nextInt(1_000_000) : random.nextInt(5_000);
                PurchaseJudgement expected = reference.judgeAndRecord(a, ts, cents);
                PurchaseJudgement actual = stored.judgeAndRecord(a, ts, cents);
                assertThat(actual).isEqualTo(expected);
                flagged += actual.flagged() ? 1 : 0;
                assertThat(stored.network(a)).containsExactlyInAnyOrderElementsOf(reference.networkOf(a));
            }
        }
        assertThat(flagged).isPositive();
    }

    @Test
    void packedHistoryRoundTripsAndKeepsTheNewestWhenTShrinks() {
        PurchaseHistory history = new PurchaseHistory(4);
        for (int i = 0; i < 6; i++) {
            history.add(10 * i, i, 100 * i);
        }
        long[] packed = history.toPacked();
        assertThat(PurchaseHistory.fromPacked(packed, 4).toPacked()).containsExactly(packed);
        PurchaseHistory shrunk = PurchaseHistory.fromPacked(packed, 2);
        assertThat(shrunk.toPacked()).containsExactly(40, 4, 400, 50, 5, 500);
        shrunk.add(60, 6, 600);
        assertThat(shrunk.toPacked()).containsExactly(50, 5, 500, 60, 6, 600);
    }

    @Test
    void gaussianTailBits() {
        assertThat(PurchaseNetworkAlerts.gaussianTailBits(0)).isCloseTo(1.0, within(1e-6));
        assertThat(PurchaseNetworkAlerts.THRESHOLD_BITS).isCloseTo(-Math.log(0.0013498980) / Math.log(2), within(1e-5));
        assertThat(PurchaseNetworkAlerts.gaussianTailBits(-3)).isCloseTo(-Math.log(1 - 0.0013498980) / Math.log(2), within(1e-6));
        // far tail: finite and close to the asymptote z^2/2 / ln 2 + log2(z sqrt(2 pi))
        double z = 70;
        double asymptote = (z * z / 2) / Math.log(2) + Math.log(z * Math.sqrt(2 * Math.PI)) / Math.log(2);
        assertThat(PurchaseNetworkAlerts.gaussianTailBits(z)).isCloseTo(asymptote, within(0.01));
    }

    @Test
    void alertExplainsTheVerdict() {
        Event purchase = new Event();
        purchase.ts = 1_497_353_582_000L;
        purchase.eventId = "p-9";
        purchase.user = "2";
        purchase.action = "purchase";
        purchase.amount = 1601.83;
        PurchaseJudgement judgement = NetworkStats.judgeAgainst(160183, 1683, 5928, 1120);
        Alert alert = PurchaseNetworkAlerts.alert(purchase, 160183, judgement, 3, 50);
        assertThat(alert.detector).isEqualTo("purchase-network");
        assertThat(alert.summary).isEqualTo(
                "purchase of 1601.83 by 2 is above mean 29.10 + 3 sd 21.46 of the last 50 purchases in their 3-degree network (3 purchases)");
        assertThat(alert.reasons).singleElement().satisfies(r -> {
            assertThat(r.observed).isEqualTo("1601.83");
            assertThat(r.expected).startsWith("<= 93.48 (mean 29.10 + 3 sd 21.46 over 3 network purchases; 73.3 sd above");
            assertThat(r.bits).isEqualTo(alert.score);
        });
        assertThat(alert.score).isGreaterThan(alert.threshold);
        assertThat(alert.events).containsExactly(purchase);
        assertThat(alert.alertId).isEqualTo(PurchaseNetworkAlerts.alert(purchase, 160183, judgement, 3, 50).alertId);
        assertThat(CentsAmount.fromAmount(1601.83)).isEqualTo(160183);
        assertThat(CentsAmount.fromAmount(0.1 + 0.2)).isEqualTo(30);
    }
}
