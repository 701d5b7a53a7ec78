package io.surprisal.detector.example;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertBuilder;
import io.surprisal.detector.UserDetectorPart;
import io.surprisal.event.Event;
import io.surprisal.model.TopEventStore;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Locale;

/**
 * An example detector part, the whole of a new detector but for its registration line: three
 * purchases within a minute. Its slice is the times of the user's last two purchases; it keeps
 * those purchases in its events so that its alert can list them, and forgets both a minute after
 * the last purchase.
 */
public final class PurchaseBurstPart implements UserDetectorPart<long[]> {
    public static final String DETECTOR = "purchase-burst";
    static final long WINDOW_MS = 60_000L;

    @Override
    public String detector() {
        return DETECTOR;
    }

    /** The times of the last two purchases, older first; {@link Long#MIN_VALUE} for none. */
    @Override
    public long[] newSlice() {
        return new long[] {Long.MIN_VALUE, Long.MIN_VALUE};
    }

    @Override
    public boolean isEmpty(long[] last) {
        return last[1] == Long.MIN_VALUE;
    }

    @Override
    public void writeSlice(long[] last, DataOutput out) throws IOException {
        out.writeLong(last[0]);
        out.writeLong(last[1]);
    }

    @Override
    public long[] readSlice(DataInput in) throws IOException {
        return new long[] {in.readLong(), in.readLong()};
    }

    @Override
    public Alert onEvent(long[] last, Event e, TopEventStore events) {
        if (!"buy_item".equals(e.action)) {
            return null;
        }
        boolean burst = last[0] != Long.MIN_VALUE && e.ts - last[0] <= WINDOW_MS;
        Alert alert = null;
        if (burst) {
            AlertBuilder a = AlertBuilder.of(DETECTOR, e, 3);
            double bits = 0;
            for (int slot = 0; slot < 2; slot++) {
                Event earlier = events.get(slot);
                if (earlier != null) {
                    a.event(earlier);
                    bits += earlier.bits;
                }
            }
            a.event(e);
            bits += e.bits;
            alert = a.score(3, 2, "purchases/min")
                    .severity(io.surprisal.alert.Severity.MEDIUM)
                    .summary(String.format(Locale.ROOT, "%s bought 3 times in %.0f s", e.user, (e.ts - last[0]) / 1000.0))
                    .reason("purchases_per_minute", "3", "at most 2", bits)
                    .build();
        }
        // The two latest purchases, in slots 0 (older) and 1.
        Event previous = events.get(1);
        if (previous != null) {
            events.put(0, previous);
        }
        events.put(1, e);
        last[0] = last[1];
        last[1] = e.ts;
        return alert;
    }

    @Override
    public long quietAt(long[] last) {
        return isEmpty(last) ? Long.MIN_VALUE : last[1] + WINDOW_MS + 1;
    }

    @Override
    public void onQuiet(long[] last, long now, TopEventStore events) {
        if (!isEmpty(last) && now >= quietAt(last)) {
            events.clear(2);
            last[0] = Long.MIN_VALUE;
            last[1] = Long.MIN_VALUE;
        }
    }
}
