package io.surprisal.purchase;

/**
 * Where {@link StoredPurchaseNetwork} keeps the graph and the purchase histories: a key-value view
 * that the streaming job implements over Flink {@code MapState} (RocksDB) and tests over hash maps.
 * Every method may throw what the backing state throws.
 */
public interface PurchaseNetworkStore {

    /** The user's friends, or {@code null} when none. */
    String[] friends(String user) throws Exception;

    /** Replaces the user's friends; an empty array removes the entry. */
    void putFriends(String user, String[] friends) throws Exception;

    /** The user's latest purchases as packed {@code (timestamp, sequence, cents)} triples, oldest first; or {@code null}. */
    long[] purchases(String user) throws Exception;

    /** Replaces the user's latest purchases (packed as {@link #purchases} returns them). */
    void putPurchases(String user, long[] packed) throws Exception;

    /** The next value of a sequence that orders purchases of equal timestamps by their processing order. */
    long nextSequence() throws Exception;
}
