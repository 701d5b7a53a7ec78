package io.surprisal.flink;

import io.surprisal.event.DeadLetterReason;
import io.surprisal.event.Event;
import io.surprisal.event.SourceRecord;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The first step after the source, which has already parsed each record and checked its event time
 * per split: events go on, dead letters go to {@link Descriptors#DEAD_LETTERS}, both counted
 * (metrics {@code eventsIn} and {@code deadLetters.<reason>.count}).
 */
public class SeparateDeadLettersFunction extends ProcessFunction<SourceRecord, Event> {
    /** Accumulator: records read from the source (events and dead letters alike). */
    public static final String RECORDS_ACCUMULATOR = "records-read";

    private transient LongCounter recordsRead;
    private transient Counter eventsIn;
    private transient Map<String, Counter> deadLetters;

    @Override
    public void open(OpenContext openContext) {
        recordsRead = getRuntimeContext().getLongCounter(RECORDS_ACCUMULATOR);
        var metrics = getRuntimeContext().getMetricGroup();
        eventsIn = metrics.counter("eventsIn");
        deadLetters = new HashMap<>();
        for (DeadLetterReason r : DeadLetterReason.values()) {
            // The keyed operators count the events late against their watermark as "late".
            String group = r == DeadLetterReason.LATE ? "late-at-source" : r.label();
            deadLetters.put(r.label(), metrics.addGroup("deadLetters", group).counter("count"));
        }
    }

    @Override
    public void processElement(SourceRecord r, Context ctx, Collector<Event> out) {
        recordsRead.add(1L);
        if (r.event != null) {
            eventsIn.inc();
            out.collect(r.event);
        } else {
            deadLetters.get(r.deadLetter.reason).inc();
            ctx.output(Descriptors.DEAD_LETTERS, r.deadLetter);
        }
    }
}
