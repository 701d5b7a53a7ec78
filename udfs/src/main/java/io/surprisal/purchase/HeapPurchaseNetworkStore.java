package io.surprisal.purchase;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link PurchaseNetworkStore} over hash maps: the plain-Java store of the detector's tests and of
 * the benchmark's detector cores, where the Flink function's is over {@code MapState}.
 */
public final class HeapPurchaseNetworkStore implements PurchaseNetworkStore {
    /** Adjacency lists by user; a user without friends has no entry. */
    final Map<String, String[]> friends = new HashMap<>();
    /** Packed purchases by user. */
    final Map<String, long[]> purchases = new HashMap<>();
    private long sequence;

    @Override
    public String[] friends(String user) {
        return friends.get(user);
    }

    @Override
    public void putFriends(String user, String[] list) {
        if (list.length == 0) {
            friends.remove(user);
        } else {
            friends.put(user, list);
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
