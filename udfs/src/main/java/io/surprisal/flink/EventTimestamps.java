package io.surprisal.flink;

import io.surprisal.event.SourceRecord;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time from the parsed event of a {@link SourceRecord}, with bounded out-of-orderness and
 * idleness. Given to the source, so watermarks are generated per split (file, Kafka partition);
 * dead letters carry no event time and never move a watermark.
 */
public final class EventTimestamps implements SerializableTimestampAssigner<SourceRecord> {
    @Override
    public long extractTimestamp(SourceRecord r, long recordTimestamp) {
        return r.eventTime();
    }

    public static WatermarkStrategy<SourceRecord> strategy(Duration outOfOrderness, Duration idleness) {
        WatermarkStrategy<SourceRecord> s = WatermarkStrategy.<SourceRecord>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner(new EventTimestamps());
        return idleness.isZero() ? s : s.withIdleness(idleness);
    }
}
