package io.surprisal.purchase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.surprisal.alert.Alert;
import io.surprisal.event.Event;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
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
        assertThat(store.friendCounts).containsOnlyKeys("a", "b", "c", "d");
        network.unfriend("a", "b");
        // entries of users left without friends are removed
        assertThat(store.friendCounts).containsOnlyKeys("c", "d");
        assertThat(store.friendBlocks).hasSize(2);
        assertThat(store.friendPositions).hasSize(2);
    }

    /**
     * A hub befriending 60,000 users: every befriend does the same constant number of store
     * operations and writes at most one block per side, so the work does not grow with the degree.
     */
    @Test
    void befriendingDoesConstantWorkWhateverTheDegree() throws Exception {
        CountingStore store = new CountingStore();
        StoredPurchaseNetwork network = new StoredPurchaseNetwork(2, 10, store);
        int maxOperations = 0;
        int maxIdsWritten = 0;
        long totalIdsWritten = 0;
        for (int i = 0; i < 60_000; i++) {
            store.reset();
            assertThat(network.befriend("hub", "u" + i)).isTrue();
            maxOperations = Math.max(maxOperations, store.reads + store.writes);
            maxIdsWritten = Math.max(maxIdsWritten, store.idsWritten);
            totalIdsWritten += store.idsWritten;
            assertThat(store.writes).as("writes of befriend %d", i).isEqualTo(6); // per side: a block, a position, the count
        }
        // per side at most 3 reads (position, count, last block) besides the one "already friends?" read
        assertThat(maxOperations).isLessThanOrEqualTo(12);
        // the hub's last block (at most 64 ids) and the new friend's first block (1 id)
        assertThat(maxIdsWritten).isEqualTo(StoredPurchaseNetwork.FRIEND_BLOCK_SIZE + 1);
        assertThat(totalIdsWritten).isLessThanOrEqualTo(60_000L * (StoredPurchaseNetwork.FRIEND_BLOCK_SIZE + 1));
        assertThat(store.heap.friendBlocks.values()).allSatisfy(block ->
                assertThat(block.length).isBetween(1, StoredPurchaseNetwork.FRIEND_BLOCK_SIZE));
        assertThat(network.friendsOf("hub")).hasSize(60_000);

        // unfriending is bounded too: at most two blocks rewritten, whatever the position
        store.reset();
        assertThat(network.unfriend("u7", "hub")).isTrue();
        assertThat(store.idsWritten).isLessThanOrEqualTo(2 * StoredPurchaseNetwork.FRIEND_BLOCK_SIZE);
        assertThat(store.writes).isLessThanOrEqualTo(10);
        assertThat(network.friendsOf("hub")).hasSize(59_999).doesNotContain("u7").contains("u59999");
    }

    /** Friends spread over many blocks, befriended and unfriended at random, stay exactly the expected set. */
    @Test
    void friendBlocksFollowRandomBefriendsAndUnfriends() throws Exception {
        HeapPurchaseNetworkStore store = new HeapPurchaseNetworkStore();
        StoredPurchaseNetwork network = new StoredPurchaseNetwork(1, 2, store);
        Map<String, Set<String>> expected = new HashMap<>();
        Random random = new Random(64);
        for (int i = 0; i < 40_000; i++) {
            String a = "u" + random.nextInt(random.nextBoolean() ? 10 : 400); // u0..u9 are hubs
            String b = "u" + random.nextInt(400);
            boolean befriend = random.nextInt(3) > 0;
            boolean known = expected.getOrDefault(a, Set.of()).contains(b);
            if (befriend) {
                assertThat(network.befriend(a, b)).isEqualTo(!a.equals(b) && !known);
                if (!a.equals(b)) {
                    expected.computeIfAbsent(a, k -> new HashSet<>()).add(b);
                    expected.computeIfAbsent(b, k -> new HashSet<>()).add(a);
                }
            } else {
                assertThat(network.unfriend(a, b)).isEqualTo(known);
                expected.getOrDefault(a, new HashSet<>()).remove(b);
                expected.getOrDefault(b, new HashSet<>()).remove(a);
            }
        }
        int maxDegree = 0;
        for (int u = 0; u < 400; u++) {
            String user = "u" + u;
            Set<String> friends = expected.getOrDefault(user, Set.of());
            maxDegree = Math.max(maxDegree, friends.size());
            List<String> stored = network.friendsOf(user);
            assertThat(stored).as(user).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(friends);
            for (int position = 0; position < stored.size(); position++) {
                assertThat(store.friendPosition(user, stored.get(position))).isEqualTo(position);
            }
            // all blocks full but the last
            int count = store.friendCount(user);
            for (int block = 0; block * StoredPurchaseNetwork.FRIEND_BLOCK_SIZE < count; block++) {
                int expectedLength = Math.min(StoredPurchaseNetwork.FRIEND_BLOCK_SIZE, count - block * StoredPurchaseNetwork.FRIEND_BLOCK_SIZE);
                assertThat(store.friendBlock(user, block)).hasSize(expectedLength);
            }
        }
        assertThat(maxDegree).isGreaterThan(3 * StoredPurchaseNetwork.FRIEND_BLOCK_SIZE);
        int edges = expected.values().stream().mapToInt(Set::size).sum();
        assertThat(store.friendPositions).hasSize(edges);
    }

    /** A store that counts what the network does with it. */
    private static final class CountingStore implements PurchaseNetworkStore {
        final HeapPurchaseNetworkStore heap = new HeapPurchaseNetworkStore();
        int reads;
        int writes;
        int idsWritten;

        void reset() {
            reads = 0;
            writes = 0;
            idsWritten = 0;
        }

        @Override
        public int friendCount(String user) {
            reads++;
            return heap.friendCount(user);
        }

        @Override
        public void putFriendCount(String user, int count) {
            writes++;
            heap.putFriendCount(user, count);
        }

        @Override
        public String[] friendBlock(String user, int block) {
            reads++;
            return heap.friendBlock(user, block);
        }

        @Override
        public void putFriendBlock(String user, int block, String[] friends) {
            writes++;
            idsWritten += friends.length;
            heap.putFriendBlock(user, block, friends);
        }

        @Override
        public int friendPosition(String user, String friend) {
            reads++;
            return heap.friendPosition(user, friend);
        }

        @Override
        public void putFriendPosition(String user, String friend, int position) {
            writes++;
            heap.putFriendPosition(user, friend, position);
        }

        @Override
        public long[] purchases(String user) {
            reads++;
            return heap.purchases(user);
        }

        @Override
        public void putPurchases(String user, long[] packed) {
            writes++;
            heap.putPurchases(user, packed);
        }

        @Override
        public long nextSequence() {
            return heap.nextSequence();
        }
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
        assertThat(CentsAmount.fromAmount(50100000000000.83)).isEqualTo(5010000000000083L);
    }
}
