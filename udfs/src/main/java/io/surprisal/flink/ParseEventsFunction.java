package io.surprisal.flink;

import io.surprisal.event.DeadLetter;
import io.surprisal.event.DeadLetterReason;
import io.surprisal.event.Event;
import io.surprisal.event.EventParser;
import io.surprisal.event.SourceLine;
import io.surprisal.event.Timestamps;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Parses source lines into events; anything unusable goes to {@link Descriptors#DEAD_LETTERS} with
 * its reason, counted per reason. Also decides lateness here, where the input order is known: an
 * event more than the allowed out-of-orderness behind the newest event this instance has seen is
 * late. The watermark assigned right after uses the same bound, so this decision is the one the
 * keyed operators would make, but it does not depend on when a periodic watermark happened to go out.
 */
public class ParseEventsFunction extends ProcessFunction<SourceLine, Event> {
    /** Accumulator: records read from the source (events and dead letters alike). */
    public static final String RECORDS_ACCUMULATOR = "records-read";

    private final long outOfOrdernessMs;
    private transient LongCounter recordsRead;

    private transient long maxTs;
    private transient Counter eventsIn;
    private transient Map<DeadLetterReason, Counter> deadLetters;

    public ParseEventsFunction(Duration outOfOrderness) {
        this.outOfOrdernessMs = outOfOrderness.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        maxTs = Long.MIN_VALUE;
        recordsRead = getRuntimeContext().getLongCounter(RECORDS_ACCUMULATOR);
        var metrics = getRuntimeContext().getMetricGroup();
        eventsIn = metrics.counter("eventsIn");
        deadLetters = new EnumMap<>(DeadLetterReason.class);
        for (DeadLetterReason r : DeadLetterReason.values()) {
            if (r != DeadLetterReason.LATE) {
                deadLetters.put(r, metrics.addGroup("deadLetters", r.label()).counter("count"));
            }
        }
        deadLetters.put(DeadLetterReason.LATE, metrics.addGroup("deadLetters", "late-at-source").counter("count"));
    }

    @Override
    public void processElement(SourceLine line, Context ctx, Collector<Event> out) {
        recordsRead.add(1L);
        Event e;
        try {
            e = EventParser.parse(line);
        } catch (EventParser.InvalidEventException ex) {
            deadLetters.get(ex.reason()).inc();
            ctx.output(Descriptors.DEAD_LETTERS, new DeadLetter(ex.reason(), ex.getMessage(), line.text, line.source));
            return;
        }
        if (maxTs != Long.MIN_VALUE && e.ts < maxTs - outOfOrdernessMs) {
            deadLetters.get(DeadLetterReason.LATE).inc();
            ctx.output(Descriptors.DEAD_LETTERS, new DeadLetter(DeadLetterReason.LATE,
                    "event time " + Timestamps.format(e.ts) + " is more than " + Duration.ofMillis(outOfOrdernessMs)
                            + " behind the newest event seen (" + Timestamps.format(maxTs) + ")",
                    line.text, line.source));
            return;
        }
        maxTs = Math.max(maxTs, e.ts);
        eventsIn.inc();
        out.collect(e);
    }
}
