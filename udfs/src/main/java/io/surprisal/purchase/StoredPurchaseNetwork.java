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
 * <p>Friends are stored per edge ({@link PurchaseNetworkStore}): a count, blocks of at most
 * {@link #FRIEND_BLOCK_SIZE} ids and each friend's position. {@code befriend} appends to the last
 * block of each side; {@code unfriend} moves the last friend into the hole. Either costs a constant
 * number of store operations, each writing at most one block, whatever the degree: a user who
 * befriends 60,000 others does not rewrite a list of 60,000 each time.
 *
 * <p>Cost of judging one purchase, in store lookups: per user within {@code D - 1} hops (the BFS
 * frontier) one count read and {@code ceil(degree / FRIEND_BLOCK_SIZE)} block reads, one
 * {@code purchases} read per network member, then {@code O(|network| + T log |network|)} merge
 * steps, and one write of the buyer's history (at most T entries). The whole graph is never scanned.
 *
 * <p>Not thread-safe; one instance per operator.
 */
public final class StoredPurchaseNetwork {

    /**
     * At most this many friend ids per stored block: what a friendship change writes at most per
     * side, and what a search reads per store lookup.
     */
    public static final int FRIEND_BLOCK_SIZE = 64;

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
        if (user.equals(other) || store.friendPosition(user, other) >= 0) {
            return false;
        }
        addFriend(user, other);
        if (store.friendPosition(other, user) < 0) {
            addFriend(other, user);
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

    /** The user's friends, in their stored order (for inspection and tests). */
    public List<String> friendsOf(String user) throws Exception {
        List<String> friends = new ArrayList<>();
        int count = store.friendCount(user);
        for (int block = 0; block * FRIEND_BLOCK_SIZE < count; block++) {
            String[] ids = store.friendBlock(user, block);
            if (ids != null) {
                friends.addAll(Arrays.asList(ids));
            }
        }
        return friends;
    }

    private void addUnvisitedFriends(String user, Set<String> visited, List<String> members) throws Exception {
        int count = store.friendCount(user);
        for (int block = 0; block * FRIEND_BLOCK_SIZE < count; block++) {
            String[] ids = store.friendBlock(user, block);
            if (ids == null) {
                continue;
            }
            for (String friend : ids) {
                if (visited.add(friend)) {
                    members.add(friend);
                }
            }
        }
    }

    /** Appends {@code friend} to the user's friends: one block, one position, the count. */
    private void addFriend(String user, String friend) throws Exception {
        int count = store.friendCount(user);
        int block = count / FRIEND_BLOCK_SIZE;
        String[] ids = count % FRIEND_BLOCK_SIZE == 0 ? null : store.friendBlock(user, block);
        store.putFriendBlock(user, block, append(ids, friend));
        store.putFriendPosition(user, friend, count);
        store.putFriendCount(user, count + 1);
    }

    /**
     * Removes {@code friend} from the user's friends by moving the last friend into its place: at
     * most two blocks, two positions and the count are written.
     */
    private boolean removeFriend(String user, String friend) throws Exception {
        int position = store.friendPosition(user, friend);
        if (position < 0) {
            return false;
        }
        int last = store.friendCount(user) - 1;
        int lastBlock = last / FRIEND_BLOCK_SIZE;
        String[] tail = store.friendBlock(user, lastBlock);
        String moved = tail[tail.length - 1];
        String[] shortened = Arrays.copyOf(tail, tail.length - 1);
        if (position != last) {
            int block = position / FRIEND_BLOCK_SIZE;
            String[] target = block == lastBlock ? shortened : store.friendBlock(user, block).clone();
            target[position % FRIEND_BLOCK_SIZE] = moved;
            if (block != lastBlock) {
                store.putFriendBlock(user, block, target);
            }
            store.putFriendPosition(user, moved, position);
        }
        store.putFriendBlock(user, lastBlock, shortened);
        store.putFriendPosition(user, friend, -1);
        store.putFriendCount(user, last);
        return true;
    }

    private static String[] append(String[] friends, String user) {
        if (friends == null) {
            return new String[] {user};
        }
        String[] more = Arrays.copyOf(friends, friends.length + 1);
        more[friends.length] = user;
        return more;
    }
}
