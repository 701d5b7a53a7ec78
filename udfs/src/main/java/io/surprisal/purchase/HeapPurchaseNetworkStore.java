package io.surprisal.purchase;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link PurchaseNetworkStore} over hash maps: the plain-Java store of the detector's tests and of
 * the benchmark's detector cores, where the Flink function's is over {@code MapState}. Entries are
 * laid out as the Flink state is, one map per kind, so tests can check what is stored.
 */
public final class HeapPurchaseNetworkStore implements PurchaseNetworkStore {
    /** Friend counts by user; a user without friends has no entry. */
    final Map<String, Integer> friendCounts = new HashMap<>();
    /** Friend blocks by (user, block index). */
    final Map<UserBlock, String[]> friendBlocks = new HashMap<>();
    /** Friend positions by (user, friend). */
    final Map<Friendship, Integer> friendPositions = new HashMap<>();
    /** Packed purchases by user. */
    final Map<String, long[]> purchases = new HashMap<>();
    private long sequence;

    record UserBlock(String user, int block) {}

    record Friendship(String user, String friend) {}

    @Override
    public int friendCount(String user) {
        return friendCounts.getOrDefault(user, 0);
    }

    @Override
    public void putFriendCount(String user, int count) {
        if (count == 0) {
            friendCounts.remove(user);
        } else {
            friendCounts.put(user, count);
        }
    }

    @Override
    public String[] friendBlock(String user, int block) {
        return friendBlocks.get(new UserBlock(user, block));
    }

    @Override
    public void putFriendBlock(String user, int block, String[] friends) {
        if (friends.length == 0) {
            friendBlocks.remove(new UserBlock(user, block));
        } else {
            friendBlocks.put(new UserBlock(user, block), friends);
        }
    }

    @Override
    public int friendPosition(String user, String friend) {
        return friendPositions.getOrDefault(new Friendship(user, friend), -1);
    }

    @Override
    public void putFriendPosition(String user, String friend, int position) {
        if (position < 0) {
            friendPositions.remove(new Friendship(user, friend));
        } else {
            friendPositions.put(new Friendship(user, friend), position);
        }
    }

    @Override
    public long[] purchases(String user) {
        return purchases.get(user);
    }

    @Override
    public void putPurchases(String user, long[] packed) {
        purchases.put(user, packed);
    }

    @Override
    public long nextSequence() {
        return sequence++;
    }
}
