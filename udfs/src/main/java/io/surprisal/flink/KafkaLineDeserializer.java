package io.surprisal.flink;

import io.surprisal.event.DeadLetter;
import io.surprisal.event.EventTimeGuard;
import io.surprisal.event.SourceLine;
import io.surprisal.event.SourceRecord;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns a Kafka record's value into a {@link SourceRecord} that knows its topic/partition/offset:
 * parsed, and checked by its partition's {@link EventTimeGuard} against the time the record reached
 * Kafka (or now, if that is later or unknown).
 */
public class KafkaLineDeserializer implements KafkaRecordDeserializationSchema<SourceRecord> {
    private final int maxLineBytes;
    private final Duration outOfOrderness;
    private final Duration maxAhead;
    /** One guard per partition this reader has seen; only the reader's thread uses it. */
    private transient Map<String, EventTimeGuard> guards;

    public KafkaLineDeserializer(int maxLineBytes, Duration outOfOrderness, Duration maxAhead) {
        this.maxLineBytes = maxLineBytes;
        this.outOfOrderness = outOfOrderness;
        this.maxAhead = maxAhead;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<SourceRecord> out) {
        byte[] v = record.value();
        String where = record.topic() + "/" + record.partition() + "/" + record.offset();
        SourceLine line;
        if (v == null) {
            line = new SourceLine("", where, 0, false);
        } else {
            boolean truncated = v.length > maxLineBytes;
            line = SourceLine.decode(v, truncated ? Math.min(v.length, DeadLetter.RAW_LIMIT) : v.length, where, v.length, truncated);
        }
        SourceRecord parsed = SourceRecord.parse(line);
        if (parsed.event == null) {
            out.collect(parsed);
            return;
        }
        long now = System.currentTimeMillis();
        long arrived = record.timestamp() >= 0 ? Math.min(record.timestamp(), now) : now;
        out.collect(guardOf(record.topic(), record.partition()).admitArrivedAt(parsed.event, line.text, arrived));
    }

    private EventTimeGuard guardOf(String topic, int partition) {
        if (guards == null) {
            guards = new HashMap<>();
        }
        return guards.computeIfAbsent(topic + "/" + partition, p -> new EventTimeGuard(outOfOrderness, maxAhead));
    }

    @Override
    public TypeInformation<SourceRecord> getProducedType() {
        return TypeInformation.of(SourceRecord.class);
    }
}
