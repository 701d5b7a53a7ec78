package io.surprisal.job;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real in-process Kafka broker for tests (KRaft, one combined node), configured for a single
 * node: internal topics and transactions with replication factor 1, so exactly-once sinks work.
 */
public final class KafkaTestBroker {
    private KafkaTestBroker() {}

    /** Starts a broker and creates the given topics on it. */
    public static KafkaClusterTestKit start(NewTopic... topics) throws Exception {
        KafkaClusterTestKit kafka = new KafkaClusterTestKit.Builder(
                // The metadata version a released broker formats with by default, not the test kit's
                // (the newest, unreleased one, under which a restored sink's re-commit of a committed
                // transaction is reported as fenced).
                new TestKitNodes.Builder(BootstrapMetadata.fromVersion(MetadataVersion.latestProduction(), "surprisal tests")).setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                // Records are never deleted by age. Alerts carry their events' time as the record
                // timestamp, and the samples' events are weeks old: under the default 7-day retention
                // the broker's first retention check (30 s after start) deleted the earliest alerts.
                .setConfigProp("log.retention.ms", "-1")
                // Timed-out transactions (left open by a failed attempt) aborted within a second, not ten.
                .setConfigProp("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000")
                .build();
        kafka.format();
        kafka.startup();
        kafka.waitForReadyBrokers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(topics)).all().get();
        }
        return kafka;
    }

    /**
     * The job's settings for reading {@code events} from this broker and writing alerts and dead
     * letters to it, exactly once, with transactions of their own ({@code transactionalIdPrefix}).
     */
    public static List<String> jobSettings(KafkaClusterTestKit kafka, String events, String alerts, String deadLetters,
            String transactionalIdPrefix) {
        return List.of(
                "source.type=kafka",
                "source.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "source.kafka.topic=" + events,
                "source.kafka.starting-offsets=earliest",
                "source.idleness=1s",
                "sinks.type=kafka",
                "sinks.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "sinks.kafka.alerts-topic=" + alerts,
                "sinks.kafka.dead-letters-topic=" + deadLetters,
                "sinks.kafka.transactional-id-prefix=" + transactionalIdPrefix,
                // Shorter than the default, so that a transaction left open holds back read_committed
                // readers for seconds, not minutes.
                "sinks.kafka.transaction-timeout=30s");
    }

    /** A producer's settings: string keys and values. */
    public static Properties producerProperties(KafkaClusterTestKit kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }

    /** Sends every line of a gzipped file to {@code topic}, in order; returns how many. */
    static int produceLines(KafkaClusterTestKit kafka, String topic, Path gzipped) throws Exception {
        int lines = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties(kafka));
                BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gzipped)), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                producer.send(new ProducerRecord<>(topic, line));
                lines++;
            }
        }
        return lines;
    }

    /** A read_committed consumer's settings, in a group of its own, from the start of the topic. */
    public static Properties readCommittedProperties(KafkaClusterTestKit kafka, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "all-" + topic + "-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return p;
    }

    /**
     * Everything committed on the topic (read_committed), read until it has gone quiet (3 s without
     * a record) with at least {@code expected} records, or until {@code deadline} has passed: a
     * transaction a failed attempt left open holds back readers of its partition until the broker
     * aborts it, so committed records may show up late, never twice or not at all.
     */
    static List<String> readCommitted(KafkaClusterTestKit kafka, String topic, int expected, Duration deadline) {
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(readCommittedProperties(kafka, topic))) {
            c.subscribe(List.of(topic));
            int idle = 0;
            long end = System.currentTimeMillis() + deadline.toMillis();
            while ((idle < 6 || out.size() < expected) && System.currentTimeMillis() < end) {
                var records = c.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    idle++;
                } else {
                    idle = 0;
                    records.forEach(r -> out.add(r.value()));
                }
            }
        }
        return out;
    }
}
