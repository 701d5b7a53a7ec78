package io.surprisal.event;

import java.time.Duration;

/**
 * Decides, for one source split (a file, a Kafka partition), whether an event may enter event time.
 * The split's watermark follows the newest admitted event, so this is where one record could
 * otherwise blind the job: an event dated in the future would carry the watermark forward and
 * make every later event late.
 * <ul>
 *   <li><b>late</b>: more than the allowed out-of-orderness behind the newest admitted event;</li>
 *   <li><b>future</b>, in a file: more than {@code max-ahead} beyond the newest admitted event (or
 *       the split's first event) while the split's next event falls back more than {@code
 *       max-ahead} behind it, so the stream did not move on with it. A real gap in the activity
 *       is followed by later events, and passes;</li>
 *   <li><b>future</b>, from Kafka: more than {@code max-ahead} beyond the time the record reached
 *       Kafka (the record's timestamp), which an event's own producer cannot be ahead of.</li>
 * </ul>
 * A future event does not move the watermark; it goes to the dead letters with its reason.
 */
public final class EventTimeGuard {
    private final long outOfOrdernessMs;
    private final long maxAheadMs;
    private long newest = Long.MIN_VALUE;

    public EventTimeGuard(Duration outOfOrderness, Duration maxAhead) {
        this.outOfOrdernessMs = outOfOrderness.toMillis();
        this.maxAheadMs = maxAhead.toMillis();
    }

    /** True when {@code ts} jumps ahead of the split so far, and the next event must confirm it. */
    public boolean needsNextEvent(long ts) {
        return newest == Long.MIN_VALUE || ts - newest > maxAheadMs;
    }

    /**
     * Admits a file's event given the time of the split's next event ({@link Long#MIN_VALUE} when
     * there is none): the event itself, or its dead letter.
     */
    public SourceRecord admitBeforeNext(Event e, String raw, long nextTs) {
        SourceRecord late = lateOrNull(e, raw);
        if (late != null) {
            return late;
        }
        if (needsNextEvent(e.ts) && nextTs != Long.MIN_VALUE && e.ts - nextTs > maxAheadMs) {
            return future(e, raw, "the split's next event is at " + Timestamps.format(nextTs)
                    + ": more than " + Duration.ofMillis(maxAheadMs) + " ahead of the stream");
        }
        return admit(e);
    }

    /** Admits a Kafka record's event given when the record reached Kafka. */
    public SourceRecord admitArrivedAt(Event e, String raw, long arrivedMs) {
        SourceRecord late = lateOrNull(e, raw);
        if (late != null) {
            return late;
        }
        if (e.ts - arrivedMs > maxAheadMs) {
            return future(e, raw, "the record reached Kafka at " + Timestamps.format(arrivedMs)
                    + ": more than " + Duration.ofMillis(maxAheadMs) + " ahead of it");
        }
        return admit(e);
    }

    private SourceRecord lateOrNull(Event e, String raw) {
        if (newest != Long.MIN_VALUE && newest - e.ts > outOfOrdernessMs) {
            return SourceRecord.of(new DeadLetter(DeadLetterReason.LATE,
                    "event time " + Timestamps.format(e.ts) + " is more than " + Duration.ofMillis(outOfOrdernessMs)
                            + " behind the newest event of its source split (" + Timestamps.format(newest) + ")",
                    raw, e.source));
        }
        return null;
    }

    private static SourceRecord future(Event e, String raw, String why) {
        return SourceRecord.of(new DeadLetter(DeadLetterReason.FUTURE,
                "event time " + Timestamps.format(e.ts) + " is in the future: " + why, raw, e.source));
    }

    private SourceRecord admit(Event e) {
        newest = Math.max(newest, e.ts);
        return SourceRecord.of(e);
    }
}
