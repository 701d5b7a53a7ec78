package io.surprisal.velocity;

/**
 * One user's pace, as {@link VelocityTracker} keeps it: the events of the current event-time minute,
 * the run of consecutive minutes above the limit, and a ring of the last gaps between events with
 * their running sums. In the job it is detector velocity's slice of the user's state, written
 * field by field by {@link VelocityPart#writeSlice} (a new field needs its line there and in {@link #clear}).
 */
public class VelocityState {
    /** Event time of the user's last event; {@link Long#MIN_VALUE} before the first. */
    public long lastTs = Long.MIN_VALUE;
    /** Events seen so far (sequence number of the next event). */
    public long events;

    /** The current minute (epoch minutes) and its event count. */
    public long minute = Long.MIN_VALUE;
    public int minuteCount;
    /** Consecutive completed minutes above the limit, ending with {@link #lastFastMinute}. */
    public int fastRun;
    public long lastFastMinute = Long.MIN_VALUE;
    /** The current run of fast minutes has already raised its alert. */
    public boolean rateAlerted;

    /** Ring of the last gaps (ms), its fill and write position, and the sums over its contents. */
    public long[] gaps = new long[0];
    public int gapCount;
    public int gapNext;
    public long gapSum;
    public long gapSumSquares;
    /** The current run of short gaps has already raised its alert. */
    public boolean regularAlerted;

    /** Slots 0 to ringSlots - 1 of the ring of recent events ({@link VelocityPart}) hold an event. */
    public int ringSlots;

    public VelocityState() {}

    /** Back to no event yet: the user has been idle longer than any run lasts. */
    public void clear() {
        lastTs = Long.MIN_VALUE;
        events = 0;
        minute = Long.MIN_VALUE;
        minuteCount = 0;
        fastRun = 0;
        lastFastMinute = Long.MIN_VALUE;
        rateAlerted = false;
        gaps = new long[0];
        gapCount = 0;
        gapNext = 0;
        gapSum = 0;
        gapSumSquares = 0;
        regularAlerted = false;
        ringSlots = 0;
    }

    /** No event yet (a new user, or one whose pace was dropped after idling). */
    public boolean isEmpty() {
        return lastTs == Long.MIN_VALUE;
    }
}
