package io.surprisal.purchase;

import java.util.Arrays;

/**
 * The k-way merge both purchase networks judge with: given the histories of a buyer's network
 * members, feeds the {@code T} newest of all their purchases (by timestamp, then sequence number)
 * into {@link NetworkStats}, newest first, and stops. A binary max-heap of one cursor per member,
 * heapified in linear time: {@code O(members + T log members)}.
 *
 * <p>The heap arrays are reused across judgements (grown, never shrunk). Not thread-safe.
 */
final class NewestFirstMerge {

    private PurchaseHistory[] heapHistories = new PurchaseHistory[16];
    private int[] heapCursors = new int[16];
    private long[] heapTimestamps = new long[16]; // key of each entry's current purchase, cached
    private long[] heapSequences = new long[16];  // so that sifting does not chase histories
    private int heapSize;

    /** Starts a new merge. */
    void clear() {
        Arrays.fill(heapHistories, 0, heapSize, null); // let histories from state be collected
        heapSize = 0;
    }

    /** Adds one member's history (ignored when empty). */
    void add(PurchaseHistory history) {
        if (history == null || history.size() == 0) {
            return;
        }
        if (heapSize == heapHistories.length) {
            int capacity = heapSize * 2;
            heapHistories = Arrays.copyOf(heapHistories, capacity);
            heapCursors = Arrays.copyOf(heapCursors, capacity);
            heapTimestamps = Arrays.copyOf(heapTimestamps, capacity);
            heapSequences = Arrays.copyOf(heapSequences, capacity);
        }
        int newest = history.size() - 1;
        heapHistories[heapSize] = history;
        heapCursors[heapSize] = newest;
        heapTimestamps[heapSize] = history.timestamp(newest);
        heapSequences[heapSize] = history.sequence(newest);
        heapSize++;
    }

    /**
     * Resets {@code stats} and adds to it the {@code limit} newest purchases of the histories added
     * since {@link #clear()}, then clears.
     */
    void takeNewest(int limit, NetworkStats stats) {
        int size = heapSize;
        for (int i = size / 2 - 1; i >= 0; i--) {
            siftDown(i, size);
        }
        stats.reset();
        while (size > 0 && stats.count() < limit) {
            PurchaseHistory top = heapHistories[0];
            int cursor = heapCursors[0];
            stats.add(top.amount(cursor));
            if (cursor > 0) {
                heapCursors[0] = cursor - 1;
                heapTimestamps[0] = top.timestamp(cursor - 1);
                heapSequences[0] = top.sequence(cursor - 1);
            } else {
                size--;
                heapHistories[0] = heapHistories[size];
                heapCursors[0] = heapCursors[size];
                heapTimestamps[0] = heapTimestamps[size];
                heapSequences[0] = heapSequences[size];
            }
            if (size > 1) {
                siftDown(0, size);
            }
        }
        clear();
    }

    private void siftDown(int index, int size) {
        PurchaseHistory history = heapHistories[index];
        int cursor = heapCursors[index];
        long timestamp = heapTimestamps[index];
        long sequence = heapSequences[index];
        while (true) {
            int child = 2 * index + 1;
            if (child >= size) {
                break;
            }
            int right = child + 1;
            if (right < size && PurchaseHistory.isBefore(
                    heapTimestamps[child], heapSequences[child], heapTimestamps[right], heapSequences[right])) {
                child = right;
            }
            if (!PurchaseHistory.isBefore(timestamp, sequence, heapTimestamps[child], heapSequences[child])) {
                break; // max-heap: the newest purchase on top
            }
            heapHistories[index] = heapHistories[child];
            heapCursors[index] = heapCursors[child];
            heapTimestamps[index] = heapTimestamps[child];
            heapSequences[index] = heapSequences[child];
            index = child;
        }
        heapHistories[index] = history;
        heapCursors[index] = cursor;
        heapTimestamps[index] = timestamp;
        heapSequences[index] = sequence;
    }
}
