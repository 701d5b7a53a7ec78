package io.surprisal.flink;

import io.surprisal.event.Event;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/** Event time from {@link Event#ts}, with bounded out-of-orderness and idleness. */
public final class EventTimestamps implements SerializableTimestampAssigner<Event> {
    @Override
    public long extractTimestamp(Event e, long recordTimestamp) {
        return e.ts;
    }

    public static WatermarkStrategy<Event> strategy(Duration outOfOrderness, Duration idleness) {
        WatermarkStrategy<Event> s = WatermarkStrategy.<Event>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner(new EventTimestamps());
        return idleness.isZero() ? s : s.withIdleness(idleness);
    }
}
