package io.surprisal.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.SourceRecord;
import io.surprisal.flink.KafkaLineDeserializer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionJobVertex;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery, end to end on real parts (in-process Kafka, MiniCluster, RocksDB, the whole graph, the
 * exactly-once Kafka sink): a task failure in the middle of the stream, and a stop with a savepoint
 * in the middle of the stream followed by a new job resumed from it, each give exactly the alerts of
 * one uninterrupted run, once each, as a read_committed consumer sees them. Every alert depends on
 * the per-user and population state that led to it, so identical alerts mean the state came back as
 * if nothing had happened.
 */
class RecoveryITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Path SAMPLE = Path.of("../src-test-data/samples/quickstart.jsonl.gz");
    private static final String EVENTS = "recovery-events";
    private static KafkaClusterTestKit kafka;
    private static List<String> uninterrupted;
    private static int events;

    @TempDir
    static Path work;

    @BeforeAll
    static void setUp() throws Exception {
        // One partition: the events keep the file's order, as in the uninterrupted run.
        kafka = KafkaTestBroker.start(new NewTopic(EVENTS, 1, (short) 1), new NewTopic("alerts-failure", 2, (short) 1), new NewTopic("dead-failure", 1, (short) 1),
                new NewTopic("alerts-savepoint", 2, (short) 1), new NewTopic("dead-savepoint", 1, (short) 1));
        events = KafkaTestBroker.produceLines(kafka, EVENTS, SAMPLE);
        // The reference: one uninterrupted run of the same graph over the same events.
        uninterrupted = new ArrayList<>(LocalRunner.run(config("unused", "unused"), SETTINGS, SAMPLE.toAbsolutePath(), work).alerts());
        uninterrupted.sort(null);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    static SurprisalConfig config(String alertsTopic, String deadTopic, String... more) {
        List<String> sets = new ArrayList<>(List.of(
                "source.file.path=" + SAMPLE.toAbsolutePath(),
                "sinks.type=kafka",
                "sinks.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "sinks.kafka.alerts-topic=" + alertsTopic,
                "sinks.kafka.dead-letters-topic=" + deadTopic,
                // Each test its own transactions on the shared broker.
                "sinks.kafka.transactional-id-prefix=" + alertsTopic,
                // Shorter than the default, so that a transaction left open where no restored sink
                // aborts it holds back read_committed readers for seconds, not minutes; longer than
                // the slowest restart seen under load, so that no committed checkpoint times out.
                "sinks.kafka.transaction-timeout=30s"));
        sets.addAll(List.of(more));
        return ConfigLoader.load(null, sets);
    }

    /** Flink's settings of these tests over conf/flink's: parallelism 2, RocksDB, a checkpoint every 500 ms. */
    private static final Configuration SETTINGS = Configuration.fromMap(Map.of(
            "parallelism.default", "2", "state.backend.type", "rocksdb", "execution.checkpointing.interval", "500ms"));

    /**
     * Flink's configuration of these tests: conf/flink's runtime settings, {@link #SETTINGS}, a run
     * in {@code work} (checkpoints in {@code checkpoints/}, Flink's temporary files in {@code tmp/});
     * then {@code extra}.
     */
    static Configuration flink(Path work, Configuration extra) throws IOException {
        Configuration c = new Configuration(SETTINGS);
        c.addAll(extra);
        return LocalClusterConfiguration.forRunIn(work, c);
    }

    /** The job exactly as {@link SurprisalJob} builds it (configured source, Kafka sinks), on Flink's configuration {@code flink}. */
    static StreamExecutionEnvironment deployed(SurprisalConfig config, Configuration flink) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        JobSettings.apply(env, config);
        SurprisalPipeline.Streams streams = SurprisalPipeline.build(config, Connectors.source(env, config));
        Connectors.attachRecordSinks(streams.alerts(), streams.deadLetters(), config);
        return env;
    }

    /** The job as deployed, reading the events topic to its current end. */
    static StreamExecutionEnvironment job(SurprisalConfig config, Configuration extra, MapFunction<SourceRecord, SourceRecord> chaos) throws IOException {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink(work, extra));
        JobSettings.apply(env, config);
        KafkaSource<SourceRecord> source = KafkaSource.<SourceRecord>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setTopics(EVENTS)
                .setGroupId("recovery-" + config.sinks().kafka().alertsTopic())
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .setDeserializer(new KafkaLineDeserializer(1 << 20, config.source().outOfOrderness(), config.source().maxAhead()))
                .build();
        DataStream<SourceRecord> lines = env.fromSource(source, Connectors.watermarks(config.source()), "events: kafka").uid("source-kafka")
                .map(chaos).name("chaos").uid("chaos");
        SurprisalPipeline.Streams streams = SurprisalPipeline.build(config, lines);
        Connectors.attachRecordSinks(streams.alerts(), streams.deadLetters(), config);
        return env;
    }

    @Test
    void aFailureInTheMiddleOfTheStreamChangesNoAlert() throws Exception {
        Configuration restart = new Configuration();
        restart.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restart.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        restart.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        FailOnceAfterCheckpoint.reset(events / 2);
        job(config("alerts-failure", "dead-failure"), restart, new FailOnceAfterCheckpoint()).execute("recovery: failure");

        assertThat(FailOnceAfterCheckpoint.FAILED).as("the injected failure happened").isTrue();
        List<String> got = readAll("alerts-failure", uninterrupted.size());
        assertThat(new HashSet<>(got)).as("no alert twice").hasSize(got.size());
        got.sort(null);
        assertThat(got).isEqualTo(uninterrupted);
    }

    /**
     * Stop with a savepoint once the first alerts are out (committed), the file half read; then a
     * new job from that savepoint runs the file to its end. The source is the job's own file source
     * (checkpointable, resumable, bounded), paced in the first run so that the stop lands in the
     * middle of the stream, and not paced in the second: the pace is no part of the state.
     */
    @Test
    void stopWithSavepointInTheMiddleThenResumeGivesTheAlertsOfOneRun(@InjectMiniCluster MiniCluster cluster) throws Exception {
        // 21,452 events at 2,000 a second: about 11 s for the whole file, while the first alerts
        // (after min-population-events) are committed within the first few seconds.
        SurprisalConfig paced = config("alerts-savepoint", "dead-savepoint", "source.file.max-events-per-second=2000");
        JobClient first = deployed(paced, flink(work, new Configuration())).executeAsync("savepoint: before");
        int seenBeforeStop = awaitCommitted("alerts-savepoint", 1);
        awaitIdleReaderFinished(cluster, first.getJobID());
        String savepoint = first.stopWithSavepoint(false, work.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
                .get(120, TimeUnit.SECONDS);
        first.getJobExecutionResult().get(120, TimeUnit.SECONDS);
        int before = readAll("alerts-savepoint").size();
        assertThat(seenBeforeStop).isPositive();
        assertThat(before).as("the first run stopped part-way through the stream, with some alerts out")
                .isBetween(1, uninterrupted.size() - 1);

        Configuration fromSavepoint = new Configuration();
        fromSavepoint.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        deployed(config("alerts-savepoint", "dead-savepoint"), flink(work, fromSavepoint)).execute("savepoint: resumed");

        List<String> got = readAll("alerts-savepoint", uninterrupted.size());
        assertThat(new HashSet<>(got)).as("no alert twice").hasSize(got.size());
        got.sort(null);
        assertThat(got).isEqualTo(uninterrupted);
    }

    /** Waits (at most 60 s) until at least {@code atLeast} records are committed on the topic; returns how many were seen. */
    /**
     * Waits until the file source's reader without a split has finished. One file is one split, so
     * one of the two readers has nothing to read; it ends at the first checkpoint after its end of
     * input, just when the first alerts are committed, and a savepoint triggered while it exits
     * fails ("checkpoint request for unknown task"), as a `flink stop` at that moment would.
     */
    private static void awaitIdleReaderFinished(MiniCluster cluster, JobID job) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            for (AccessExecutionJobVertex vertex : cluster.getExecutionGraph(job).get().getAllVertices().values()) {
                if (vertex.getName().startsWith("Source: events: file")) {
                    for (AccessExecutionVertex reader : vertex.getTaskVertices()) {
                        if (reader.getExecutionState() == ExecutionState.FINISHED) {
                            return;
                        }
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no reader of the file source finished within 60 s");
    }

    private static int awaitCommitted(String topic, int atLeast) {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(KafkaTestBroker.readCommittedProperties(kafka, topic))) {
            c.subscribe(List.of(topic));
            int seen = 0;
            long deadline = System.currentTimeMillis() + 60_000;
            while (seen < atLeast && System.currentTimeMillis() < deadline) {
                seen += c.poll(Duration.ofMillis(100)).count();
            }
            return seen;
        }
    }

    /** Everything committed on the topic, after it has gone quiet. */
    private static List<String> readAll(String topic) {
        return readAll(topic, 0);
    }

    /** Everything committed on the topic, with at least {@code expected} records (or 60 s have passed). */
    private static List<String> readAll(String topic, int expected) {
        return KafkaTestBroker.readCommitted(kafka, topic, expected, Duration.ofSeconds(60));
    }

    /** Fails the task once, half-way through the stream, after a checkpoint has completed. */
    static final class FailOnceAfterCheckpoint implements MapFunction<SourceRecord, SourceRecord>, CheckpointListener {
        static volatile boolean FAILED;
        static volatile boolean CHECKPOINTED;
        static volatile int failAt;
        private int seen;

        static void reset(int at) {
            FAILED = false;
            CHECKPOINTED = false;
            failAt = at;
        }

        @Override
        public SourceRecord map(SourceRecord line) throws Exception {
            if (++seen % 5 == 0) {
                Thread.sleep(1); // slow enough for checkpoints to happen in the middle of the stream
            }
            if (!FAILED && CHECKPOINTED && seen >= failAt) {
                FAILED = true;
                throw new RuntimeException("injected failure, as if the TaskManager died");
            }
            return line;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTED = true;
        }
    }
}
