package io.surprisal.purchase;

/**
 * Where {@link StoredPurchaseNetwork} keeps the graph and the purchase histories: a key-value view
 * that the streaming job implements over Flink {@code MapState} (RocksDB) and tests over hash maps.
 * Every method may throw what the backing state throws.
 *
 * <p>A user's friends are kept per edge, never as one list: a count, the friends' ids in blocks of
 * at most {@link StoredPurchaseNetwork#FRIEND_BLOCK_SIZE} (block {@code b} holds the friends at
 * positions {@code b * size} to {@code b * size + size - 1}), and each friend's position. So a
 * friendship change writes a bounded amount whatever the user's degree.
 */
public interface PurchaseNetworkStore {

    /** How many friends the user has; 0 when none. */
    int friendCount(String user) throws Exception;

    /** Sets how many friends the user has; 0 removes the entry. */
    void putFriendCount(String user, int count) throws Exception;

    /** Block {@code block} of the user's friends, or {@code null} when there is none. */
    String[] friendBlock(String user, int block) throws Exception;

    /** Replaces block {@code block} of the user's friends; an empty array removes it. */
    void putFriendBlock(String user, int block, String[] friends) throws Exception;

    /** The position of {@code friend} among the user's friends, or -1 when they are not friends. */
    int friendPosition(String user, String friend) throws Exception;

    /** Sets the position of {@code friend} among the user's friends; -1 removes the entry. */
    void putFriendPosition(String user, String friend, int position) throws Exception;

    /** The user's latest purchases as packed {@code (timestamp, sequence, cents)} triples, oldest first; or {@code null}. */
    long[] purchases(String user) throws Exception;

    /** Replaces the user's latest purchases (packed as {@link #purchases} returns them). */
    void putPurchases(String user, long[] packed) throws Exception;

    /** The next value of a sequence that orders purchases of equal timestamps by their processing order. */
    long nextSequence() throws Exception;
}
