package io.surprisal.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertBuilder;
import io.surprisal.alert.Severity;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.DeadLetter;
import io.surprisal.event.DeadLetterReason;
import io.surprisal.event.Event;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Alerts and dead letters through {@link Connectors#attachRecordSinks} into a real in-process Kafka
 * broker, exactly once: the job fails once after a checkpoint, restarts from it, and a
 * read_committed consumer still sees every alert id exactly once.
 */
class KafkaAlertsExactlyOnceITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final int ALERTS = 1200;
    private static final String ALERTS_TOPIC = "it-alerts";
    private static final String DEAD_LETTERS_TOPIC = "it-dead-letters";
    private static final Pattern ALERT_ID = Pattern.compile("\"alert_id\":\"([^\"]+)\"");

    private static KafkaClusterTestKit kafka;

    /** Shared with the operators: the MiniCluster runs in this JVM. */
    static final AtomicBoolean CHECKPOINT_DONE = new AtomicBoolean();
    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicInteger SINCE_CHECKPOINT = new AtomicInteger();

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = KafkaTestBroker.start(new NewTopic(ALERTS_TOPIC, 2, (short) 1), new NewTopic(DEAD_LETTERS_TOPIC, 1, (short) 1));
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    static Alert alert(long i) {
        Event e = new Event();
        e.ts = 1_700_000_000_000L + i * 1000;
        e.eventId = "e" + i;
        e.user = "user" + (i % 13);
        e.action = "login";
        return AlertBuilder.of(i % 2 == 0 ? "transition" : "session", e, 1)
                .severity(Severity.values()[(int) (i % 4)])
                .bits(20, 15)
                .summary("alert " + i)
                .reason("transition", "a -> b" + i, "population p=0.0001", 20)
                .event(e)
                .build();
    }

    /** Passes alerts through; throws once, some records after the first completed checkpoint. */
    static final class FailOnceAfterCheckpoint extends RichMapFunction<Long, Alert> implements CheckpointListener {
        @Override
        public Alert map(Long i) throws Exception {
            Thread.sleep(2);
            if (CHECKPOINT_DONE.get() && SINCE_CHECKPOINT.incrementAndGet() > 40 && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("planned failure after a checkpoint");
            }
            return alert(i);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINT_DONE.set(true);
        }
    }

    static final class ToDeadLetter implements MapFunction<Long, DeadLetter> {
        @Override
        public DeadLetter map(Long i) {
            return new DeadLetter(DeadLetterReason.MALFORMED_JSON, "bad line " + i, "{oops " + i, "file.jsonl:" + i);
        }
    }

    @Test
    void aRestartFromACheckpointDoesNotDuplicateAlertsOrDeadLetters() throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(300, CheckpointingMode.EXACTLY_ONCE);

        DataStream<Long> numbers = env.fromSequence(0, ALERTS - 1);
        DataStream<Alert> alerts = numbers.map(new FailOnceAfterCheckpoint()).name("alerts, failing once");
        DataStream<DeadLetter> deadLetters = numbers.filter(i -> i % 10 == 0).map(new ToDeadLetter());
        SurprisalConfig config = ConfigLoader.load(null, List.of(
                "sinks.type=kafka", "sinks.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "sinks.kafka.alerts-topic=" + ALERTS_TOPIC, "sinks.kafka.dead-letters-topic=" + DEAD_LETTERS_TOPIC));
        Connectors.attachRecordSinks(alerts, deadLetters, config);
        env.execute("exactly-once alerts");

        assertThat(FAILED).isTrue();
        List<ConsumerRecord<byte[], byte[]>> committed = readAll(ALERTS_TOPIC, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> everything = readAll(ALERTS_TOPIC, "read_uncommitted");
        System.out.printf("alerts topic: %d records read_committed, %d read_uncommitted (aborted included), %d distinct alerts sent%n",
                committed.size(), everything.size(), ALERTS);

        Map<String, Integer> perId = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : committed) {
            String json = new String(r.value(), StandardCharsets.UTF_8);
            Matcher m = ALERT_ID.matcher(json);
            assertThat(m.find()).isTrue();
            perId.merge(m.group(1), 1, Integer::sum);
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(field(json, "user"));
            assertThat(header(r, "detector")).isEqualTo(field(json, "detector"));
            assertThat(header(r, "severity")).isEqualTo(field(json, "severity"));
            assertThat(json).endsWith("\"repeats\":1}");
        }
        List<String> expected = new ArrayList<>();
        for (long i = 0; i < ALERTS; i++) {
            expected.add(alert(i).alertId);
        }
        assertThat(perId.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(perId.values()).containsOnly(1);
        assertThat(committed).hasSize(ALERTS);

        List<ConsumerRecord<byte[], byte[]>> dead = readAll(DEAD_LETTERS_TOPIC, "read_committed");
        assertThat(dead).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).doesNotHaveDuplicates().hasSize(ALERTS / 10);
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, String isolation) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(pi -> partitions.add(new TopicPartition(topic, pi.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline) {
                boolean done = true;
                for (TopicPartition tp : partitions) {
                    done &= consumer.position(tp) >= end.get(tp);
                }
                if (done) {
                    break;
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
