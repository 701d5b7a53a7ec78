package io.surprisal.velocity;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertBuilder;
import io.surprisal.alert.Severity;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.config.SurprisalConfig.VelocityDetectorConfig;
import io.surprisal.detector.UserDetectorPart;
import io.surprisal.event.Event;
import io.surprisal.model.TopEventStore;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Locale;

/**
 * Detector {@code velocity}, a part of the per-user operator: {@link VelocityTracker} over the
 * user's slice of state, a {@link VelocityState}. Not a CEP pattern, because "more than K a minute for 5
 * minutes" and "gaps too regular" are counts and moments over a sliding run, which a pattern of
 * single-event conditions cannot express without keeping every event of the run as a partial match.
 *
 * <p>An alert lists the run's last {@code alerts.max-events} events, kept in a ring of event slots
 * (sequence number modulo max-events). Only an event that an alert may still list is written
 * ({@link #mayBeListed}): for most users, most minutes, no run can reach an alert within that many
 * events. The slice resets itself when the user has been idle longer than {@link
 * VelocityTracker#idleMillis} (no run survives that), and is dropped with the ring when the
 * user has been quiet that long (the operator's timer, {@link #quietAt}).
 */
public final class VelocityPart implements UserDetectorPart<VelocityState> {
    private static final int RATE_ALERTED = 1;
    private static final int REGULAR_ALERTED = 2;
    /** The alerts' {@code detector}. */
    public static final String DETECTOR = "velocity";

    private final VelocityDetectorConfig config;
    private final VelocityTracker tracker;
    private final int maxEvents;

    public VelocityPart(SurprisalConfig config) {
        this.config = config.detectors().velocity();
        this.tracker = new VelocityTracker(this.config);
        this.maxEvents = config.alerts().maxEvents();
    }

    @Override
    public String detector() {
        return DETECTOR;
    }

    @Override
    public VelocityState newSlice() {
        return new VelocityState();
    }

    @Override
    public boolean isEmpty(VelocityState s) {
        return s.isEmpty();
    }

    @Override
    public Alert onEvent(VelocityState s, Event e, TopEventStore ring) {
        if (!s.isEmpty() && e.ts - s.lastTs > tracker.idleMillis()) {
            // Every run ended with the gap: the same findings as going on from s, and the ring
            // lists this new stretch only.
            reset(s, ring);
        }
        long seq = s.events;
        VelocityTracker.Finding finding = tracker.onEvent(s, e.ts);
        if (finding != VelocityTracker.Finding.NONE || mayBeListed(s)) {
            int slot = (int) (seq % maxEvents);
            ring.put(slot, e);
            s.ringSlots = Math.max(s.ringSlots, slot + 1);
        }
        return finding == VelocityTracker.Finding.NONE ? null : alert(finding, s, e, ring);
    }

    @Override
    public long quietAt(VelocityState s) {
        return s.isEmpty() ? Long.MIN_VALUE : s.lastTs + tracker.idleMillis() + 1;
    }

    @Override
    public void onQuiet(VelocityState s, long now, TopEventStore ring) {
        if (!s.isEmpty() && now >= quietAt(s)) {
            reset(s, ring);
        }
    }

    private static void reset(VelocityState s, TopEventStore ring) {
        if (s.ringSlots > 0) {
            ring.clear(s.ringSlots);
        }
        s.clear();
    }

    @Override
    public void writeSlice(VelocityState s, DataOutput out) throws IOException {
        out.writeByte((s.rateAlerted ? RATE_ALERTED : 0) | (s.regularAlerted ? REGULAR_ALERTED : 0));
        out.writeLong(s.lastTs);
        out.writeLong(s.events);
        out.writeLong(s.minute);
        out.writeInt(s.minuteCount);
        out.writeInt(s.fastRun);
        out.writeLong(s.lastFastMinute);
        out.writeInt(s.gaps.length);
        for (long gap : s.gaps) {
            out.writeLong(gap);
        }
        out.writeInt(s.gapCount);
        out.writeInt(s.gapNext);
        out.writeLong(s.gapSum);
        out.writeLong(s.gapSumSquares);
        out.writeInt(s.ringSlots);
    }

    @Override
    public VelocityState readSlice(DataInput in) throws IOException {
        VelocityState s = new VelocityState();
        int flags = in.readByte();
        s.rateAlerted = (flags & RATE_ALERTED) != 0;
        s.regularAlerted = (flags & REGULAR_ALERTED) != 0;
        s.lastTs = in.readLong();
        s.events = in.readLong();
        s.minute = in.readLong();
        s.minuteCount = in.readInt();
        s.fastRun = in.readInt();
        s.lastFastMinute = in.readLong();
        s.gaps = new long[in.readInt()];
        for (int i = 0; i < s.gaps.length; i++) {
            s.gaps[i] = in.readLong();
        }
        s.gapCount = in.readInt();
        s.gapNext = in.readInt();
        s.gapSum = in.readLong();
        s.gapSumSquares = in.readLong();
        s.ringSlots = in.readInt();
        return s;
    }

    /**
     * Whether an alert within the next max-events - 1 events (the reach of an alert's list back
     * from its trigger) is still possible, judged on the state just after this event. Necessary
     * conditions only, so every event an alert lists has been written:
     *
     * <ul>
     *   <li>Rate: an alert comes at the (max + 1)th event of a minute that ends a run of
     *       sustained-minutes fast minutes (more than max events each). If this minute is d minutes
     *       before that one, the run's sustained - 1 - d minutes before this one are already fast,
     *       and at least max(0, max + 1 - this minute's count) + d * (max + 1) events follow this
     *       one up to the alert. A run that has alerted must break and build again first.
     *   <li>Regularity: an alert's gaps are its last regular-gaps gaps, one run without a long gap.
     *       Listed events whose own gap is in that window are in the current run with at least
     *       regular-gaps - (max-events - 1) of its gaps behind them; a run that has alerted never
     *       alerts again. Only when the list reaches further back than the window is every event
     *       a candidate.
     * </ul>
     */
    boolean mayBeListed(VelocityState s) {
        long reach = maxEvents - 1L;
        return rateMayAlertWithin(s, reach) || regularityMayAlertWithin(s, reach);
    }

    private boolean rateMayAlertWithin(VelocityState s, long reach) {
        long perFastMinute = config.maxEventsPerMinute() + 1L;
        int sustained = config.sustainedMinutes();
        if (reach >= sustained * perFastMinute) {
            return true; // the list can reach back before any run
        }
        if (s.rateAlerted) {
            return false;
        }
        int fastBefore = s.lastFastMinute == s.minute - 1 ? s.fastRun : 0;
        long minutesAhead = Math.max(0, sustained - 1 - fastBefore);
        if (minutesAhead == 0 && s.minuteCount > perFastMinute) {
            minutesAhead = 1; // this minute's chance has passed
        }
        long eventsAhead = Math.max(0, perFastMinute - s.minuteCount) + minutesAhead * perFastMinute;
        return eventsAhead <= reach;
    }

    private boolean regularityMayAlertWithin(VelocityState s, long reach) {
        int window = config.regularGaps();
        if (window == 0) {
            return false;
        }
        if (reach >= window) {
            return true;
        }
        return !s.regularAlerted && s.gapCount >= window - reach;
    }

    private Alert alert(VelocityTracker.Finding finding, VelocityState s, Event trigger, TopEventStore ring) {
        AlertBuilder a = AlertBuilder.of(DETECTOR, trigger, maxEvents);
        // The ring, oldest first: the events that made the finding (the last ones of the run).
        long n = Math.min(s.events, maxEvents);
        double bits = 0;
        for (long seq = s.events - n; seq < s.events; seq++) {
            Event e = ring.get((int) (seq % maxEvents));
            if (e != null) {
                a.event(e);
                bits += e.bits;
            }
        }
        if (finding == VelocityTracker.Finding.RATE) {
            a.score(s.minuteCount, config.maxEventsPerMinute(), "events/min")
                    .severity(Severity.HIGH)
                    .summary(String.format(Locale.ROOT,
                            "%s made more than %d events a minute for %d consecutive minutes, faster than a person keeps up",
                            trigger.user, config.maxEventsPerMinute(), config.sustainedMinutes()))
                    .reason("events_per_minute",
                            String.format(Locale.ROOT, "> %d in each of %d consecutive minutes", config.maxEventsPerMinute(), s.fastRun + 1),
                            String.format(Locale.ROOT, "<= %d in at least one of %d consecutive minutes",
                                    config.maxEventsPerMinute(), config.sustainedMinutes()),
                            bits);
        } else {
            double cv = VelocityTracker.gapCv(s);
            double meanSeconds = VelocityTracker.meanGap(s) / 1000.0;
            a.score(cv, config.maxGapCv(), "cv")
                    .severity(Severity.MEDIUM)
                    .summary(String.format(Locale.ROOT,
                            "%s's last %d gaps between events averaged %.1f s with a coefficient of variation of %.3f, below %.3f: too regular for a person",
                            trigger.user, s.gapCount, meanSeconds, cv, config.maxGapCv()))
                    .reason("gap_regularity",
                            String.format(Locale.ROOT, "cv %.3f over %d gaps, mean %.1f s", cv, s.gapCount, meanSeconds),
                            String.format(Locale.ROOT, ">= %.3f (people are irregular, typically 0.5 or more)", config.maxGapCv()),
                            bits);
        }
        return a.build();
    }
}
