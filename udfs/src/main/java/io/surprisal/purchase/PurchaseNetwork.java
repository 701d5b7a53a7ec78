package io.surprisal.purchase;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The social network of buyers and their recent purchases, answering "is this purchase anomalous
 * for the buyer's D-degree network?" (the InsightDataScience purchase-network challenge).
 *
 * <ul>
 *   <li>Friendships are undirected; {@link #befriend} and {@link #unfriend} apply as they arrive.</li>
 *   <li>The network of a buyer is every user within {@code D} hops, the buyer excluded.</li>
 *   <li>A purchase is flagged when its amount is strictly above mean + 3 sd (population sd) of the
 *       {@code T} latest purchases made by the network, given at least two; "latest" orders by
 *       timestamp, and equal timestamps by input order (a global sequence number).</li>
 * </ul>
 *
 * <p>Data layout: user ids are interned to dense ints; each user has an {@link IntHashSet} of
 * friends and a {@link PurchaseHistory} of its own {@code T} latest purchases (enough, since the
 * network's {@code T} latest are among the union of its members' {@code T} latest). The judging
 * (merge and statistics) is {@link NewestFirstMerge} and {@link NetworkStats}, shared with the
 * streaming job's {@link StoredPurchaseNetwork}.
 *
 * <p>Cost of judging one purchase: a breadth-first search to depth {@code D} over the buyer's
 * network, then a k-way merge (a binary max-heap heapified in linear time) of the members'
 * histories, newest first, stopping after {@code T}: {@code O(|network| + edges within it + T log
 * |network|)} time, i.e. {@code O(|network| + T log |network|)} for bounded degree. Nothing scans
 * all purchases or the whole graph, and the BFS queue, visited marks (epoch-stamped, so never
 * cleared) and heap are reused, so a judgement allocates only its small result.
 *
 * <p>Not thread-safe; one instance per detector.
 */
public final class PurchaseNetwork {

    private final int degrees;
    private final int trackedPurchases;

    private final Map<String, Integer> idsByName = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    private IntHashSet[] friends = new IntHashSet[16];
    private PurchaseHistory[] histories = new PurchaseHistory[16];
    private long nextSequence;

    // Reusable scratch space for judging.
    private int[] visitedEpoch = new int[16];
    private int epoch;
    private int[] queue = new int[16];
    private final NewestFirstMerge merge = new NewestFirstMerge();
    private final NetworkStats stats = new NetworkStats();

    /**
     * @param degrees D, the network radius in friendship hops, at least 1
     * @param trackedPurchases T, how many of the network's latest purchases are compared, at least 2
     */
    public PurchaseNetwork(int degrees, int trackedPurchases) {
        if (degrees < 1) {
            throw new IllegalArgumentException("D (degrees) must be at least 1, got " + degrees);
        }
        if (trackedPurchases < 2) {
            throw new IllegalArgumentException("T (tracked purchases) must be at least 2, got " + trackedPurchases);
        }
        this.degrees = degrees;
        this.trackedPurchases = trackedPurchases;
    }

    /** D, the network radius in hops. */
    public int degrees() {
        return degrees;
    }

    /** T, how many latest network purchases a purchase is compared with. */
    public int trackedPurchases() {
        return trackedPurchases;
    }

    /** How many distinct users have appeared. */
    public int userCount() {
        return names.size();
    }

    /**
     * Makes two users friends (idempotent). A self-friendship is meaningless and ignored.
     *
     * @return whether the friendship is new
     */
    public boolean befriend(String user, String other) {
        if (user.equals(other)) {
            return false;
        }
        int a = intern(user);
        int b = intern(other);
        boolean added = friendsOf(a).add(b);
        friendsOf(b).add(a);
        return added;
    }

    /**
     * Ends a friendship; unknown users or non-friends are a no-op.
     *
     * @return whether there was such a friendship
     */
    public boolean unfriend(String user, String other) {
        Integer a = idsByName.get(user);
        Integer b = idsByName.get(other);
        if (a == null || b == null || friends[a] == null || friends[b] == null) {
            return false;
        }
        boolean removed = friends[a].remove(b);
        friends[b].remove(a);
        return removed;
    }

    /**
     * Adds a purchase to the history without judging it (the batch log).
     *
     * @param timestamp an order-preserving timestamp key, e.g. {@code 20170613113301} for 2017-06-13 11:33:01
     */
    public void recordPurchase(String buyer, long timestamp, long amountCents) {
        record(intern(buyer), timestamp, amountCents);
    }

    /**
     * Judges a purchase against the buyer's network, then adds it to the history (flagged or not).
     */
    public PurchaseJudgement judgeAndRecord(String buyer, long timestamp, long amountCents) {
        int id = intern(buyer);
        PurchaseJudgement judgement = judge(id, amountCents);
        record(id, timestamp, amountCents);
        return judgement;
    }

    /** Judges a purchase against the buyer's network without recording it. */
    public PurchaseJudgement judge(String buyer, long amountCents) {
        Integer id = idsByName.get(buyer);
        return id == null ? PurchaseJudgement.notEnoughHistory(0) : judge(id, amountCents);
    }

    /** The buyer's D-degree network (buyer excluded), sorted; for inspection and tests, not the hot path. */
    public List<String> networkOf(String buyer) {
        Integer id = idsByName.get(buyer);
        if (id == null) {
            return List.of();
        }
        int members = collectNetwork(id);
        List<String> network = new ArrayList<>(members);
        for (int i = 1; i <= members; i++) {
            network.add(names.get(queue[i]));
        }
        network.sort(null);
        return network;
    }

    private PurchaseJudgement judge(int buyer, long amountCents) {
        int members = collectNetwork(buyer);
        for (int i = 1; i <= members; i++) {
            merge.add(histories[queue[i]]);
        }
        merge.takeNewest(trackedPurchases, stats);
        return stats.judge(amountCents);
    }

    /**
     * Breadth-first search to depth D. Leaves the buyer in {@code queue[0]} and the network members
     * in {@code queue[1..n]}; returns n.
     */
    private int collectNetwork(int buyer) {
        if (++epoch == Integer.MAX_VALUE) { // epoch wrap-around: clear the marks once in 2^31 searches
            Arrays.fill(visitedEpoch, 0);
            epoch = 1;
        }
        visitedEpoch[buyer] = epoch;
        queue[0] = buyer;
        int tail = 1;
        int levelStart = 0;
        for (int depth = 0; depth < degrees && levelStart < tail; depth++) {
            int levelEnd = tail;
            for (int q = levelStart; q < levelEnd; q++) {
                IntHashSet adjacent = friends[queue[q]];
                if (adjacent == null) {
                    continue;
                }
                for (int friend : adjacent.slots()) {
                    if (friend != IntHashSet.EMPTY && visitedEpoch[friend] != epoch) {
                        visitedEpoch[friend] = epoch;
                        queue[tail++] = friend; // queue is sized to userCount, cannot overflow
                    }
                }
            }
            levelStart = levelEnd;
        }
        return tail - 1;
    }

    private void record(int user, long timestamp, long amountCents) {
        PurchaseHistory history = histories[user];
        if (history == null) {
            history = new PurchaseHistory(trackedPurchases);
            histories[user] = history;
        }
        history.add(timestamp, nextSequence++, amountCents);
    }

    private IntHashSet friendsOf(int user) {
        IntHashSet set = friends[user];
        if (set == null) {
            set = new IntHashSet();
            friends[user] = set;
        }
        return set;
    }

    private int intern(String name) {
        Integer existing = idsByName.get(name);
        if (existing != null) {
            return existing;
        }
        int id = names.size();
        idsByName.put(name, id);
        names.add(name);
        if (id == friends.length) {
            int capacity = id * 2;
            friends = Arrays.copyOf(friends, capacity);
            histories = Arrays.copyOf(histories, capacity);
            visitedEpoch = Arrays.copyOf(visitedEpoch, capacity);
            queue = new int[capacity];
        }
        return id;
    }
}
