package io.surprisal.flink;

import io.surprisal.event.DeadLetter;
import io.surprisal.event.SourceLine;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Turns a Kafka record's value into a {@link SourceLine} that knows its topic/partition/offset. */
public class KafkaLineDeserializer implements KafkaRecordDeserializationSchema<SourceLine> {
    private final int maxLineBytes;

    public KafkaLineDeserializer(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<SourceLine> out) {
        byte[] v = record.value();
        String where = record.topic() + "/" + record.partition() + "/" + record.offset();
        if (v == null) {
            out.collect(new SourceLine("", where, 0, false));
            return;
        }
        boolean truncated = v.length > maxLineBytes;
        int keep = truncated ? Math.min(v.length, DeadLetter.RAW_LIMIT) : v.length;
        out.collect(new SourceLine(new String(v, 0, keep, StandardCharsets.UTF_8), where, v.length, truncated));
    }

    @Override
    public TypeInformation<SourceLine> getProducedType() {
        return TypeInformation.of(SourceLine.class);
    }
}
