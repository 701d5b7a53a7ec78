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
        this.limit = limit;
        int capacity = Math.min(limit, 8);
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
