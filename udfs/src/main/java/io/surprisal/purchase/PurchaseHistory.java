package io.surprisal.purchase;

/**
 * One user's latest purchases, at most {@code limit} of them, ordered oldest to newest by
 * (timestamp, sequence number). A circular buffer that grows lazily up to its limit.
 *
 * <p>Keeping only each user's {@code T} latest purchases is enough: the {@code T} latest purchases
 * of a network are always among the union of its members' {@code T} latest.
 */
final class PurchaseHistory {

    private final int limit;
    private long[] timestamps;
    private long[] sequences;
    private long[] amounts;
    private int head; // physical index of the oldest entry
    private int size;

    PurchaseHistory(int limit) {
        this(limit, Math.min(limit, 8));
    }

    private PurchaseHistory(int limit, int capacity) {
        this.limit = limit;
        timestamps = new long[capacity];
        sequences = new long[capacity];
        amounts = new long[capacity];
    }

    int size() {
        return size;
    }

    /** Timestamp of the i-th entry, 0 = oldest. */
    long timestamp(int i) {
        return timestamps[physical(i)];
    }

    long sequence(int i) {
        return sequences[physical(i)];
    }

    long amount(int i) {
        return amounts[physical(i)];
    }

    /**
     * Records a purchase. Usually it is the newest and lands at the end in O(1); an out-of-order
     * timestamp is inserted in place, and one older than all of a full history is dropped.
     */
    void add(long timestamp, long sequence, long amountCents) {
        if (size == limit) {
            if (isBefore(timestamp, sequence, timestamps[head], sequences[head])) {
                return; // not among this user's latest `limit`
            }
            head = (head + 1) % timestamps.length; // evict the oldest
            size--;
        } else if (size == timestamps.length) {
            grow();
        }
        int position = size; // logical index where the new entry goes; shift newer entries right
        while (position > 0) {
            int previous = physical(position - 1);
            if (!isBefore(timestamp, sequence, timestamps[previous], sequences[previous])) {
                break;
            }
            int target = physical(position);
            timestamps[target] = timestamps[previous];
            sequences[target] = sequences[previous];
            amounts[target] = amounts[previous];
            position--;
        }
        int target = physical(position);
        timestamps[target] = timestamp;
        sequences[target] = sequence;
        amounts[target] = amountCents;
        size++;
    }

    /**
     * The history as packed {@code (timestamp, sequence, cents)} triples, oldest first: the form
     * kept in Flink state by {@link StoredPurchaseNetwork}.
     */
    long[] toPacked() {
        long[] packed = new long[size * 3];
        for (int i = 0; i < size; i++) {
            int from = physical(i);
            packed[3 * i] = timestamps[from];
            packed[3 * i + 1] = sequences[from];
            packed[3 * i + 2] = amounts[from];
        }
        return packed;
    }

    /**
     * A history from {@link #toPacked()} triples (ordered oldest first), keeping the newest
     * {@code limit} of them (fewer than were stored when T was lowered since).
     */
    static PurchaseHistory fromPacked(long[] packed, int limit) {
        int stored = packed.length / 3;
        int keep = Math.min(stored, limit);
        PurchaseHistory history = new PurchaseHistory(limit, Math.max(keep, 1));
        for (int i = stored - keep; i < stored; i++) {
            int j = i - (stored - keep);
            history.timestamps[j] = packed[3 * i];
            history.sequences[j] = packed[3 * i + 1];
            history.amounts[j] = packed[3 * i + 2];
        }
        history.size = keep;
        return history;
    }

    static boolean isBefore(long timestamp, long sequence, long otherTimestamp, long otherSequence) {
        return timestamp < otherTimestamp || (timestamp == otherTimestamp && sequence < otherSequence);
    }

    private int physical(int logical) {
        int index = head + logical;
        return index < timestamps.length ? index : index - timestamps.length;
    }

    private void grow() {
        int capacity = (int) Math.min(limit, Math.max(4L, timestamps.length * 2L));
        long[] newTimestamps = new long[capacity];
        long[] newSequences = new long[capacity];
        long[] newAmounts = new long[capacity];
        for (int i = 0; i < size; i++) {
            int from = physical(i);
            newTimestamps[i] = timestamps[from];
            newSequences[i] = sequences[from];
            newAmounts[i] = amounts[from];
        }
        timestamps = newTimestamps;
        sequences = newSequences;
        amounts = newAmounts;
        head = 0;
    }
}
