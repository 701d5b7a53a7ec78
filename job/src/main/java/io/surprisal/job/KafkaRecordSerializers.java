package io.surprisal.job;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertJson;
import io.surprisal.event.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Kafka records of alerts (key = user, headers detector and severity) and dead letters. Each names
 * its topic ({@link KafkaDatasetFacetProvider}): Flink's lineage, and the sink's POOLING transaction
 * naming (not used: it needs the topics to exist before the job starts) need it.
 */
public final class KafkaRecordSerializers {
    private KafkaRecordSerializers() {}

    /** An alert as the alerts topic carries it. */
    public static final class AlertRecord implements KafkaRecordSerializationSchema<Alert>, KafkaDatasetFacetProvider {
        private final String topic;

        public AlertRecord(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(Alert a, KafkaSinkContext context, Long timestamp) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("detector", a.detector.getBytes(StandardCharsets.UTF_8));
            headers.add("severity", a.severity.label().getBytes(StandardCharsets.UTF_8));
            return new ProducerRecord<>(topic, null, a.ts, a.user.getBytes(StandardCharsets.UTF_8),
                    AlertJson.toJson(a).getBytes(StandardCharsets.UTF_8), headers);
        }

        @Override
        public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
            return facetOf(topic);
        }
    }

    /** A dead letter, keyed by its source position. */
    public static final class DeadLetterRecord implements KafkaRecordSerializationSchema<DeadLetter>, KafkaDatasetFacetProvider {
        private final String topic;

        public DeadLetterRecord(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(DeadLetter d, KafkaSinkContext context, Long timestamp) {
            byte[] key = d.source == null ? null : d.source.getBytes(StandardCharsets.UTF_8);
            return new ProducerRecord<>(topic, key, AlertJson.toJson(d).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
            return facetOf(topic);
        }
    }

    static Optional<KafkaDatasetFacet> facetOf(String topic) {
        return Optional.of(new DefaultKafkaDatasetFacet(DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
    }
}
