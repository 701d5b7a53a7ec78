package io.surprisal.purchase;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The purchase network of {@link PurchaseNetwork} over a key-value {@link PurchaseNetworkStore}
 * (in the streaming job, Flink keyed state in RocksDB) instead of heap arrays: the same rule, the
 * same judging code ({@link NewestFirstMerge} and {@link NetworkStats}) and the same per-user
 * history ({@link PurchaseHistory}), so both give identical verdicts on identical input.
 *
 * <p>Cost of judging one purchase, in store lookups: one {@code friends} read per user within
 * {@code D - 1} hops (the BFS frontier), one {@code purchases} read per network member, then
 * {@code O(|network| + T log |network|)} merge steps, and one write of the buyer's history. The
 * whole graph is never scanned. {@code befriend} / {@code unfriend} read and rewrite the two
 * adjacency entries: {@code O(degree)}.
 *
 * <p>Not thread-safe; one instance per operator.
 */
public final class StoredPurchaseNetwork {

    private static final String[] NO_FRIENDS = new String[0];

    private final int degrees;
    private final int trackedPurchases;
    private final PurchaseNetworkStore store;
    private final NewestFirstMerge merge = new NewestFirstMerge();
    private final NetworkStats stats = new NetworkStats();

    /**
     * @param degrees D, the network radius in friendship hops, at least 1
     * @param trackedPurchases T, how many of the network's latest purchases are compared, at least 2
     */
    public StoredPurchaseNetwork(int degrees, int trackedPurchases, PurchaseNetworkStore store) {
        if (degrees < 1) {
            throw new IllegalArgumentException("D (degrees) must be at least 1, got " + degrees);
        }
        if (trackedPurchases < 2) {
            throw new IllegalArgumentException("T (tracked purchases) must be at least 2, got " + trackedPurchases);
        }
        this.degrees = degrees;
        this.trackedPurchases = trackedPurchases;
        this.store = store;
    }

    /** D, the network radius in hops. */
    public int degrees() {
        return degrees;
    }

    /** T, how many latest network purchases a purchase is compared with. */
    public int trackedPurchases() {
        return trackedPurchases;
    }

    /**
     * Makes two users friends (idempotent, undirected). A self-friendship is ignored.
     *
     * @return whether the friendship is new
     */
    public boolean befriend(String user, String other) throws Exception {
        if (user.equals(other)) {
            return false;
        }
        String[] mine = orEmpty(store.friends(user));
        if (indexOf(mine, other) >= 0) {
            return false;
        }
        store.putFriends(user, append(mine, other));
        String[] theirs = orEmpty(store.friends(other));
        if (indexOf(theirs, user) < 0) {
            store.putFriends(other, append(theirs, user));
        }
        return true;
    }

    /**
     * Ends a friendship; unknown users or non-friends are a no-op.
     *
     * @return whether there was such a friendship
     */
    public boolean unfriend(String user, String other) throws Exception {
        boolean removed = removeFriend(user, other);
        removeFriend(other, user);
        return removed;
    }

    /** Judges a purchase against the buyer's network, then adds it to the buyer's history (flagged or not). */
    public PurchaseJudgement judgeAndRecord(String buyer, long timestamp, long amountCents) throws Exception {
        for (String member : network(buyer)) {
            long[] packed = store.purchases(member);
            if (packed != null) {
                merge.add(PurchaseHistory.fromPacked(packed, trackedPurchases));
            }
        }
        merge.takeNewest(trackedPurchases, stats);
        PurchaseJudgement judgement = stats.judge(amountCents);
        record(buyer, timestamp, amountCents);
        return judgement;
    }

    /** Adds a purchase to the buyer's history without judging it. */
    public void record(String buyer, long timestamp, long amountCents) throws Exception {
        long[] packed = store.purchases(buyer);
        PurchaseHistory history = packed == null
                ? new PurchaseHistory(trackedPurchases)
                : PurchaseHistory.fromPacked(packed, trackedPurchases);
        history.add(timestamp, store.nextSequence(), amountCents);
        store.putPurchases(buyer, history.toPacked());
    }

    /**
     * The buyer's D-degree network, buyer excluded, in breadth-first order: a search to depth D
     * that reads the adjacency of each user within D - 1 hops and nothing else.
     */
    public List<String> network(String buyer) throws Exception {
        Set<String> visited = new HashSet<>();
        visited.add(buyer);
        List<String> members = new ArrayList<>();
        addUnvisitedFriends(buyer, visited, members); // depth 1
        int levelStart = 0;
        for (int depth = 1; depth < degrees && levelStart < members.size(); depth++) {
            int levelEnd = members.size();
            for (int i = levelStart; i < levelEnd; i++) {
                addUnvisitedFriends(members.get(i), visited, members);
            }
            levelStart = levelEnd;
        }
        return members;
    }

    private void addUnvisitedFriends(String user, Set<String> visited, List<String> members) throws Exception {
        String[] adjacent = store.friends(user);
        if (adjacent != null) {
            for (String friend : adjacent) {
                if (visited.add(friend)) {
                    members.add(friend);
                }
            }
        }
    }

    private boolean removeFriend(String user, String other) throws Exception {
        String[] mine = store.friends(user);
        int at = mine == null ? -1 : indexOf(mine, other);
        if (at < 0) {
            return false;
        }
        String[] rest = new String[mine.length - 1];
        System.arraycopy(mine, 0, rest, 0, at);
        System.arraycopy(mine, at + 1, rest, at, mine.length - at - 1);
        store.putFriends(user, rest);
        return true;
    }

    private static String[] orEmpty(String[] friends) {
        return friends == null ? NO_FRIENDS : friends;
    }

    private static int indexOf(String[] friends, String user) {
        for (int i = 0; i < friends.length; i++) {
            if (friends[i].equals(user)) {
                return i;
            }
        }
        return -1;
    }

    private static String[] append(String[] friends, String user) {
        String[] more = Arrays.copyOf(friends, friends.length + 1);
        more[friends.length] = user;
        return more;
    }
}
