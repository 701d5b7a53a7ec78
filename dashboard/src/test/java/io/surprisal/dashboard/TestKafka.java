package io.surprisal.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
 * A real in-process Kafka broker (KRaft, one combined node) set up as the job's tests set theirs
 * up (job's KafkaTestBroker): replication factor 1 for transactions, records never deleted by age.
 */
final class TestKafka {
    private TestKafka() {}

    static KafkaClusterTestKit start(NewTopic... topics) throws Exception {
        KafkaClusterTestKit kafka = new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder(BootstrapMetadata.fromVersion(MetadataVersion.latestProduction(), "dashboard tests"))
                        .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("log.retention.ms", "-1")
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

    static void produce(KafkaClusterTestKit kafka, String topic, List<String> values) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (String v : values) {
                producer.send(new ProducerRecord<>(topic, v)).get();
            }
        }
    }

    /** A read_committed consumer of {@code topic} from its beginning, in a group of its own. */
    static KafkaConsumer<String, String> readCommitted(KafkaClusterTestKit kafka, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + topic + "-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> c = new KafkaConsumer<>(p);
        c.subscribe(List.of(topic));
        return c;
    }

    /** Polls {@code consumer} until a record value satisfies {@code wanted} or {@code timeout} passes; every value seen is added to {@code seen}. */
    static String await(KafkaConsumer<String, String> consumer, Duration timeout, List<String> seen,
            java.util.function.Predicate<String> wanted) {
        long end = System.currentTimeMillis() + timeout.toMillis();
        for (String s : seen) {
            if (wanted.test(s)) {
                return s;
            }
        }
        while (System.currentTimeMillis() < end) {
            List<String> batch = new ArrayList<>();
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                batch.add(r.value());
            }
            seen.addAll(batch);
            for (String s : batch) {
                if (wanted.test(s)) {
                    return s;
                }
            }
        }
        return null;
    }
}
