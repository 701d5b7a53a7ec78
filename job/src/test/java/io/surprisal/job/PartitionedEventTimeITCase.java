package io.surprisal.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.DeadLetter;
import io.surprisal.event.Event;
import io.surprisal.event.SourceRecord;
import io.surprisal.event.Timestamps;
import io.surprisal.flink.KafkaLineDeserializer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Event time per Kafka partition: one reader reads two partitions whose event times are three
 * hours apart (one lagging, as in a backfill or a producer running behind), interleaved. Every
 * event of both is scored and none is late; one record dated a day after it reached Kafka is a
 * dead letter ({@code future}) and blinds nothing.
 */
class PartitionedEventTimeITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    private static final String TOPIC = "partitioned-events";
    private static final long T0 = Timestamps.parse("2026-11-02T08:00:00Z");
    private static final int PER_PARTITION = 300;

    @Test
    void partitionsHoursApartLoseNothingAndAForgedFutureRecordBlindsNothing(@TempDir Path work) throws Exception {
        try (KafkaClusterTestKit kafka = KafkaTestBroker.start(new NewTopic(TOPIC, 2, (short) 1))) {
            produce(kafka);
            SurprisalConfig config = ConfigLoader.load(null, List.of("detectors.velocity.enabled=false"));
            Configuration flink = LocalClusterConfiguration.forRunIn(work,
                    Configuration.fromMap(Map.of("parallelism.default", "1", "state.backend.type", "hashmap")));
            // No checkpoints: the bounded job ends without waiting for a final one.
            flink.removeConfig(CheckpointingOptions.CHECKPOINTING_INTERVAL);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
            JobSettings.apply(env, config);
            KafkaSource<SourceRecord> source = KafkaSource.<SourceRecord>builder()
                    .setBootstrapServers(kafka.bootstrapServers())
                    .setTopics(TOPIC)
                    .setGroupId("partitioned")
                    .setStartingOffsets(OffsetsInitializer.earliest())
                    .setBounded(OffsetsInitializer.latest())
                    .setDeserializer(new KafkaLineDeserializer(1 << 20, config.source().outOfOrderness(), config.source().maxAhead()))
                    .build();
            DataStream<SourceRecord> records = env.fromSource(source, Connectors.watermarks(config.source()), "events: kafka")
                    .uid("source-kafka");
            SurprisalPipeline.Streams streams = SurprisalPipeline.build(config, records);
            CloseableIterator<Event> scored = streams.scoredEvents().collectAsync();
            CloseableIterator<DeadLetter> dead = streams.deadLetters().collectAsync();
            env.execute("partitioned event time");

            List<Event> events = new ArrayList<>();
            scored.forEachRemaining(events::add);
            List<DeadLetter> deadLetters = new ArrayList<>();
            dead.forEachRemaining(deadLetters::add);

            assertThat(deadLetters).extracting(d -> d.reason).containsExactly("future");
            assertThat(deadLetters.get(0).raw).contains("\"user\":\"forger\"");
            assertThat(events).hasSize(2 * PER_PARTITION);
            assertThat(events).filteredOn(e -> e.user.startsWith("late-")).hasSize(PER_PARTITION);
        }
    }

    /** Partition 0 three hours behind partition 1, the two interleaved; a forged record in partition 1. */
    private static void produce(KafkaClusterTestKit kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < PER_PARTITION; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, null, line(T0 + i * 10_000L, "late-" + i % 20, i)));
                producer.send(new ProducerRecord<>(TOPIC, 1, null, line(T0 + 3 * 3_600_000L + i * 10_000L, "early-" + i % 20, i)));
                if (i == PER_PARTITION / 2) {
                    producer.send(new ProducerRecord<>(TOPIC, 1, null, line(System.currentTimeMillis() + 86_400_000L, "forger", i)));
                }
            }
        }
    }

    private static String line(long ts, String user, int i) {
        String action = i % 10 == 0 ? "login" : "view_item";
        return "{\"ts\":\"" + Timestamps.format(ts) + "\",\"user\":\"" + user + "\",\"action\":\"" + action + "\",\"session\":\"s-" + user
                + "-" + i / 10 + "\",\"event_id\":\"" + user + "-" + i + "\"}";
    }

}
