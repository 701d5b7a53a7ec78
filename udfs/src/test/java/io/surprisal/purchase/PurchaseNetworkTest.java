package io.surprisal.purchase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PurchaseNetworkTest {

    private static final long T0 = 20170613100000L; // 2017-06-13 10:00:00 as an order-preserving key

    @Test
    void equalTimestampsAreOrderedByInputOrder() {
        PurchaseNetwork network = new PurchaseNetwork(1, 2);
        network.befriend("a", "b");
        network.befriend("a", "c");
        network.recordPurchase("b", T0, 100);
        network.recordPurchase("c", T0, 300);
        network.recordPurchase("b", T0, 500);
        // all at the same second: the two that came last in the input are the latest
        PurchaseJudgement judgement = network.judge("a", 0);
        assertThat(judgement.meanText()).isEqualTo("4.00");
        assertThat(judgement.sdText()).isEqualTo("1.00");
    }

    @Test
    void latestIsByTimestampNotArrivalOrder() {
        PurchaseNetwork network = new PurchaseNetwork(1, 2);
        network.befriend("a", "b");
        network.befriend("a", "c");
        network.recordPurchase("b", T0 + 5, 5000);
        network.recordPurchase("b", T0 + 1, 100);  // older, arrives later
        network.recordPurchase("c", T0 + 3, 300);
        network.recordPurchase("b", T0 + 2, 200);  // older than b's kept ones: dropped from b's history of 2
        assertThat(network.judge("a", 0).meanText()).isEqualTo("26.50"); // 50.00 and 3.00
    }

    @Test
    void unfriendingRemovesFromTheNetwork() {
        PurchaseNetwork network = new PurchaseNetwork(2, 10);
        network.befriend("a", "b");
        network.befriend("b", "c");
        network.recordPurchase("b", T0, 100);
        network.recordPurchase("c", T0, 100);
        network.recordPurchase("c", T0, 100);
        assertThat(network.networkOf("a")).containsExactly("b", "c");
        assertThat(network.judge("a", 200).flagged()).isTrue();

        assertThat(network.unfriend("b", "c")).isTrue();
        assertThat(network.networkOf("a")).containsExactly("b");
        assertThat(network.judge("a", 200).flagged()).isFalse(); // only b's single purchase left
        assertThat(network.unfriend("b", "c")).isFalse();
        assertThat(network.unfriend("x", "y")).isFalse();

        network.befriend("c", "b"); // direction does not matter
        assertThat(network.networkOf("a")).containsExactly("b", "c");
    }

    @Test
    void fewerThanTwoNetworkPurchasesAreNeverFlagged() {
        PurchaseNetwork network = new PurchaseNetwork(1, 50);
        assertThat(network.judgeAndRecord("a", T0, 1_000_000).flagged()).isFalse(); // unknown buyer, no network
        network.befriend("a", "b");
        assertThat(network.judgeAndRecord("a", T0 + 1, 1_000_000).flagged()).isFalse(); // no purchases
        network.recordPurchase("b", T0 + 2, 1);
        PurchaseJudgement one = network.judgeAndRecord("a", T0 + 3, 1_000_000);
        assertThat(one.flagged()).isFalse();
        assertThat(one.historySize()).isEqualTo(1);
        network.recordPurchase("b", T0 + 4, 1);
        assertThat(network.judgeAndRecord("a", T0 + 5, 1_000_000).flagged()).isTrue();
    }

    @Test
    void buyersOwnPurchasesAreNotTheirNetworks() {
        PurchaseNetwork network = new PurchaseNetwork(3, 50);
        network.befriend("a", "b");
        network.befriend("b", "c");
        network.befriend("c", "a"); // a cycle back to the buyer
        network.recordPurchase("a", T0, 1_000_000);
        network.recordPurchase("a", T0, 1_000_000);
        network.recordPurchase("b", T0, 100);
        network.recordPurchase("c", T0, 100);
        assertThat(network.networkOf("a")).containsExactly("b", "c");
        PurchaseJudgement judgement = network.judge("a", 101);
        assertThat(judgement.historySize()).isEqualTo(2);
        assertThat(judgement.flagged()).isTrue();
    }

    @ParameterizedTest(name = "D = {0}")
    @CsvSource({"1, '2', 2.00, 2", "2, '2,3', 2.50, 2", "3, '2,3,4', 3.00, 3", "4, '2,3,4,5', 3.50, 3", "9, '2,3,4,5', 3.50, 3"})
    void degreesOnAChain(int degrees, String expectedNetwork, String expectedMean, int highlyAnomalousFrom) {
        // chain 1 - 2 - 3 - 4 - 5; user k has bought k dollars twice
        PurchaseNetwork network = new PurchaseNetwork(degrees, 50);
        for (int k = 1; k < 5; k++) {
            network.befriend(String.valueOf(k), String.valueOf(k + 1));
        }
        for (int k = 1; k <= 5; k++) {
            network.recordPurchase(String.valueOf(k), T0 + k, k * 100L);
            network.recordPurchase(String.valueOf(k), T0 + k, k * 100L);
        }
        assertThat(network.networkOf("1")).containsExactly(expectedNetwork.split(","));
        PurchaseJudgement judgement = network.judge("1", 10_000);
        assertThat(judgement.meanText()).isEqualTo(expectedMean);
        assertThat(judgement.historySize()).isEqualTo(2 * expectedNetwork.split(",").length);
        assertThat(judgement.flagged()).isTrue();
        assertThat(network.judge("1", highlyAnomalousFrom * 100L - 100).flagged()).isFalse();
    }

    @Test
    void onlyTheLatestTOfTheNetworkCount() {
        PurchaseNetwork network = new PurchaseNetwork(1, 3);
        network.befriend("a", "b");
        network.befriend("a", "c");
        network.recordPurchase("b", T0, 100_000); // pushed out by the three below
        network.recordPurchase("c", T0 + 1, 100);
        network.recordPurchase("b", T0 + 2, 200);
        network.recordPurchase("c", T0 + 3, 300);
        PurchaseJudgement judgement = network.judge("a", 0);
        assertThat(judgement.historySize()).isEqualTo(3);
        assertThat(judgement.meanText()).isEqualTo("2.00");
    }

    @Test
    void rejectsInvalidParameters() {
        assertThatThrownBy(() -> new PurchaseNetwork(0, 50)).hasMessageContaining("D (degrees) must be at least 1");
        assertThatThrownBy(() -> new PurchaseNetwork(1, 1)).hasMessageContaining("T (tracked purchases) must be at least 2");
    }

    @Test
    void selfFriendshipIsIgnored() {
        PurchaseNetwork network = new PurchaseNetwork(2, 5);
        assertThat(network.befriend("a", "a")).isFalse();
        assertThat(network.networkOf("a")).isEmpty();
    }

    /** Random operations checked against a naive model that scans everything. */
    @Test
    void matchesANaiveModelOnRandomOperations() {
        Random random = new Random(7);
        for (int scenario = 0; scenario < 40; scenario++) {
            int degrees = 1 + random.nextInt(4);
            int tracked = 2 + random.nextInt(6);
            int users = 3 + random.nextInt(25);
            PurchaseNetwork network = new PurchaseNetwork(degrees, tracked);
            NaiveModel naive = new NaiveModel(degrees, tracked);
            for (int step = 0; step < 1500; step++) {
                String a = "u" + random.nextInt(users);
                String b = "u" + random.nextInt(users);
                long timestamp = T0 + random.nextInt(40); // many ties, out of order
                long amount = random.nextInt(4) == 0 ? random.nextInt(100_000) : random.nextInt(1_000);
                switch (random.nextInt(6)) {
                    case 0 -> {
                        network.befriend(a, b);
                        naive.befriend(a, b);
                    }
                    case 1 -> {
                        network.unfriend(a, b);
                        naive.unfriend(a, b);
                    }
                    case 2, 3 -> {
                        network.recordPurchase(a, timestamp, amount);
                        naive.record(a, timestamp, amount);
                    }
                    default -> {
                        PurchaseJudgement expected = naive.judge(a, amount);
                        PurchaseJudgement actual = network.judgeAndRecord(a, timestamp, amount);
                        naive.record(a, timestamp, amount);
                        assertThat(actual).as("scenario %d step %d D=%d T=%d", scenario, step, degrees, tracked)
                                .isEqualTo(expected);
                        assertThat(network.networkOf(a)).isEqualTo(naive.networkOf(a));
                    }
                }
            }
        }
    }

    private static final class NaiveModel {
        private record Purchase(String buyer, long timestamp, long sequence, long amount) {}

        private final int degrees;
        private final int tracked;
        private final Map<String, Set<String>> friends = new HashMap<>();
        private final List<Purchase> purchases = new ArrayList<>();

        NaiveModel(int degrees, int tracked) {
            this.degrees = degrees;
            this.tracked = tracked;
        }

        void befriend(String a, String b) {
            if (!a.equals(b)) {
                friends.computeIfAbsent(a, k -> new HashSet<>()).add(b);
                friends.computeIfAbsent(b, k -> new HashSet<>()).add(a);
            }
        }

        void unfriend(String a, String b) {
            friends.getOrDefault(a, new HashSet<>()).remove(b);
            friends.getOrDefault(b, new HashSet<>()).remove(a);
        }

        void record(String buyer, long timestamp, long amount) {
            purchases.add(new Purchase(buyer, timestamp, purchases.size(), amount));
        }

        List<String> networkOf(String buyer) {
            Map<String, Integer> distance = new HashMap<>(Map.of(buyer, 0));
            ArrayDeque<String> queue = new ArrayDeque<>(List.of(buyer));
            while (!queue.isEmpty()) {
                String user = queue.poll();
                if (distance.get(user) == degrees) {
                    continue;
                }
                for (String friend : friends.getOrDefault(user, Set.of())) {
                    if (distance.putIfAbsent(friend, distance.get(user) + 1) == null) {
                        queue.add(friend);
                    }
                }
            }
            distance.remove(buyer);
            return distance.keySet().stream().sorted().toList();
        }

        PurchaseJudgement judge(String buyer, long amount) {
            Set<String> network = new HashSet<>(networkOf(buyer));
            long[] latest = purchases.stream()
                    .filter(p -> network.contains(p.buyer()))
                    .sorted(Comparator.comparingLong(Purchase::timestamp).thenComparingLong(Purchase::sequence).reversed())
                    .limit(tracked)
                    .mapToLong(Purchase::amount)
                    .toArray();
            return NetworkStats.judgeAgainst(amount, latest);
        }
    }
}
