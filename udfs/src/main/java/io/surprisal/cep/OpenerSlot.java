package io.surprisal.cep;

/**
 * Per user and sequence pattern: the current slot (an eighth of the pattern's window, from the
 * first event that opened a partial match in it) and how many events opened one in it. A Flink POJO.
 */
public class OpenerSlot {
    /** Event time at which the slot began; {@link Long#MIN_VALUE} before the first. */
    public long start = Long.MIN_VALUE;
    /** Events that opened a partial match in this slot. */
    public int opened;

    public OpenerSlot() {}

    /** The slots of a pattern with window {@code withinMillis}: an eighth of it, at least 1 ms. */
    public static long slotMillis(long withinMillis) {
        return Math.max(1, withinMillis / 8);
    }

    /**
     * Whether an event at {@code ts} that would open a partial match may: at most {@code perSlot}
     * in a slot. A slot begins at the first such event at least {@code slotMillis} after the
     * previous slot began, so a window holds at most 9 slots' worth of open partial matches.
     */
    public boolean admit(long ts, long slotMillis, int perSlot) {
        if (start == Long.MIN_VALUE || ts - start >= slotMillis) {
            start = ts;
            opened = 0;
        }
        if (opened >= perSlot) {
            return false;
        }
        opened++;
        return true;
    }
}
