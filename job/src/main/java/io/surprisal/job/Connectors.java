package io.surprisal.job;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertJson;
import io.surprisal.config.ConfigException;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.DeadLetter;
import io.surprisal.event.SourceRecord;
import io.surprisal.event.UserKey;
import io.surprisal.flink.EventTimestamps;
import io.surprisal.flink.JsonLinesFormat;
import io.surprisal.flink.KafkaLineDeserializer;
import io.surprisal.alert.MailGroupingFunction;
import io.surprisal.job.mail.MailSink;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.java.functions.KeySelector;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Builds the sources and sinks the configuration names. */
public final class Connectors {
    private Connectors() {}

    /** The configured source: parsed records, event time checked and watermarks generated per split. */
    public static DataStream<SourceRecord> source(StreamExecutionEnvironment env, SurprisalConfig config) {
        var s = config.source();
        return switch (s.type()) {
            case FILE -> fileSource(env, s.file().path(), s, s.file().maxEventsPerSecond());
            case KAFKA -> env.fromSource(kafkaSource(s.kafka(), s), watermarks(s), "events: kafka " + s.kafka().topic())
                    .uid("source-kafka");
        };
    }

    /**
     * Event time and watermarks, given to the source so that each split (a file, a Kafka partition)
     * has its own: lag or replay in one partition never makes another's events late.
     */
    public static WatermarkStrategy<SourceRecord> watermarks(SurprisalConfig.SourceConfig s) {
        return EventTimestamps.strategy(s.outOfOrderness(), s.idleness());
    }

    /** A bounded file of JSON lines, as fast as the job takes them: the job ends at its end. */
    public static DataStream<SourceRecord> fileSource(StreamExecutionEnvironment env, String path, SurprisalConfig.SourceConfig s) {
        return fileSource(env, path, s, 0);
    }

    /**
     * A bounded file of JSON lines, at most {@code maxEventsPerSecond} lines a second per reader
     * when that is above 0 ({@link PacedSource}). Paced or not, the source has the same uid and
     * state, so a savepoint of one resumes the other.
     */
    public static DataStream<SourceRecord> fileSource(StreamExecutionEnvironment env, String path, SurprisalConfig.SourceConfig s,
            double maxEventsPerSecond) {
        FileSource<SourceRecord> file = fileSourceOf(path, s);
        if (maxEventsPerSecond <= 0) {
            return env.fromSource(file, watermarks(s), "events: file " + path).uid("source-file");
        }
        return env.fromSource(new PacedSource<>(file, file.getProducedType(), maxEventsPerSecond), watermarks(s),
                        "events: file " + path + " (at most " + maxEventsPerSecond + "/s)", file.getProducedType())
                .uid("source-file");
    }

    /** The file source itself, before it joins an environment (for a source that wraps it). */
    public static FileSource<SourceRecord> fileSourceOf(String path, SurprisalConfig.SourceConfig s) {
        return FileSource
                .forRecordStreamFormat(new JsonLinesFormat(new Path(path).getName(), s.maxLineBytes(), s.outOfOrderness(), s.maxAhead()),
                        new Path(path))
                .build();
    }

    public static KafkaSource<SourceRecord> kafkaSource(SurprisalConfig.KafkaSourceConfig k, SurprisalConfig.SourceConfig s) {
        return KafkaSource.<SourceRecord>builder()
                .setBootstrapServers(k.bootstrapServers())
                .setTopics(k.topic())
                .setGroupId(k.groupId())
                .setStartingOffsets(startingOffsets(k.startingOffsets()))
                .setDeserializer(new KafkaLineDeserializer(s.maxLineBytes(), s.outOfOrderness(), s.maxAhead()))
                .setProperty("commit.offsets.on.checkpoint", "true")
                // New partitions (and a topic created after the job started) are picked up within 10 s.
                .setProperty("partition.discovery.interval.ms", "10000")
                .build();
    }

    static OffsetsInitializer startingOffsets(String spec) {
        String s = spec.trim();
        if (s.equals("committed")) {
            return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        }
        if (s.equals("earliest")) {
            return OffsetsInitializer.earliest();
        }
        if (s.equals("latest")) {
            return OffsetsInitializer.latest();
        }
        if (s.startsWith("timestamp:")) {
            try {
                return OffsetsInitializer.timestamp(Long.parseLong(s.substring("timestamp:".length())));
            } catch (NumberFormatException e) {
                throw new ConfigException("source.kafka.starting-offsets: timestamp:<epoch-millis> expected, got '" + spec + "'");
            }
        }
        throw new ConfigException("source.kafka.starting-offsets must be committed, earliest, latest or timestamp:<epoch-millis>, got '" + spec + "'");
    }

    /**
     * Allowlist updates for login novelty (JSON lines) from the configured source: a watched
     * directory or file, or a Kafka topic; empty when there are none ({@code none}).
     */
    public static java.util.Optional<DataStream<String>> allowlistUpdates(StreamExecutionEnvironment env, SurprisalConfig config) {
        return updates(env, config.novelty().allowlist().updates(), "allowlist updates", "source-allowlist");
    }

    /** Feedback records (JSON lines) from {@code feedback.updates}; empty when there are none ({@code none}). */
    public static java.util.Optional<DataStream<String>> feedbackUpdates(StreamExecutionEnvironment env, SurprisalConfig config) {
        return updates(env, config.feedback().updates(), "feedback", "source-feedback");
    }

    /**
     * Lines of changes from an update source, named {@code what} with uids {@code uidPrefix}-file
     * and -kafka. The updates carry no event time: their stream is always idle, so that it never
     * holds the events' watermark back and never carries it forward either (an input at the end of
     * time would, whenever the events go quiet, make every later event late downstream). The idle
     * mark is given again after the source ({@code -idle} uids): a source with no split yet (an
     * empty directory) never runs its watermark generator and would hold event time at its start.
     */
    static java.util.Optional<DataStream<String>> updates(StreamExecutionEnvironment env, SurprisalConfig.UpdatesSourceConfig u,
            String what, String uidPrefix) {
        return switch (u.type()) {
            case NONE -> java.util.Optional.empty();
            case FILE -> java.util.Optional.of(env.fromSource(
                            FileSource.forRecordStreamFormat(new org.apache.flink.connector.file.src.reader.TextLineInputFormat(),
                                            new Path(u.path()))
                                    .monitorContinuously(u.pollInterval())
                                    .build(),
                            AlwaysIdle.strategy(), what + ": file " + u.path())
                    .uid(uidPrefix + "-file")
                    .assignTimestampsAndWatermarks(AlwaysIdle.strategy()).name(what + ": idle").uid(uidPrefix + "-file-idle"));
            case KAFKA -> java.util.Optional.of(env.fromSource(
                            KafkaSource.<String>builder()
                                    .setBootstrapServers(u.bootstrapServers())
                                    .setTopics(u.topic())
                                    .setGroupId(u.groupId())
                                    // Every instance must see every update: read the topic from the start.
                                    .setStartingOffsets(OffsetsInitializer.earliest())
                                    .setValueOnlyDeserializer(new org.apache.flink.api.common.serialization.SimpleStringSchema())
                                    // A dashboard writes in transactions, or not: never read what it aborted.
                                    .setProperty("isolation.level", "read_committed")
                                    .build(),
                            AlwaysIdle.strategy(), what + ": kafka " + u.topic())
                    .uid(uidPrefix + "-kafka")
                    .assignTimestampsAndWatermarks(AlwaysIdle.strategy()).name(what + ": idle").uid(uidPrefix + "-kafka-idle"));
        };
    }

    /**
     * Detector model's replacement models (lines: a model directory's path, or the model itself)
     * from {@code detectors.model.updates}, as {@link #allowlistUpdates}; empty when there are none.
     */
    public static java.util.Optional<DataStream<String>> modelUpdates(StreamExecutionEnvironment env, SurprisalConfig config) {
        return updates(env, config.detectors().model().updates(), "model updates", "source-model-updates");
    }

    /** No watermarks, ever: the stream is idle, and an idle input takes no part in an operator's event time. */
    static final class AlwaysIdle implements org.apache.flink.api.common.eventtime.WatermarkGenerator<String> {
        static WatermarkStrategy<String> strategy() {
            return WatermarkStrategy.forGenerator(ctx -> new AlwaysIdle());
        }

        @Override
        public void onEvent(String event, long eventTimestamp, org.apache.flink.api.common.eventtime.WatermarkOutput output) {
            output.markIdle();
        }

        @Override
        public void onPeriodicEmit(org.apache.flink.api.common.eventtime.WatermarkOutput output) {
            output.markIdle();
        }
    }

    /** Attaches the configured sinks of a submitted job: print or Kafka, and mail when enabled. */
    public static void attachSinks(SurprisalPipeline.Streams streams, SurprisalConfig config) {
        attachRecordSinks(streams.alerts(), streams.deadLetters(), config);
        attachMail(streams.alerts(), config);
    }

    /** Alerts and dead letters to stdout or, exactly once, to their Kafka topics. */
    public static void attachRecordSinks(DataStream<Alert> alerts, DataStream<DeadLetter> deadLetters, SurprisalConfig config) {
        var s = config.sinks();
        switch (s.type()) {
            case PRINT -> {
                alerts.map(AlertJson::toJson).name("alerts as JSON").uid("alerts-json")
                        .print("alert").name("alerts: stdout").uid("sink-alerts-print");
                deadLetters.map(AlertJson::toJson).name("dead letters as JSON").uid("dead-letters-json")
                        .print("dead-letter").name("dead letters: stdout").uid("sink-dead-letters-print");
            }
            case KAFKA -> {
                requireCheckpointsFor(s.kafka(), alerts.getExecutionEnvironment().getCheckpointConfig().getCheckpointInterval());
                alerts
                        .sinkTo(kafkaSink(s.kafka(), s.kafka().alertsTopic(), s.kafka().transactionalIdPrefix() + "-alerts",
                                new KafkaRecordSerializers.AlertRecord(s.kafka().alertsTopic())))
                        .name("alerts: kafka " + s.kafka().alertsTopic()).uid("sink-alerts-kafka");
                deadLetters
                        .sinkTo(kafkaSink(s.kafka(), s.kafka().deadLettersTopic(), s.kafka().transactionalIdPrefix() + "-dead-letters",
                                new KafkaRecordSerializers.DeadLetterRecord(s.kafka().deadLettersTopic())))
                        .name("dead letters: kafka " + s.kafka().deadLettersTopic()).uid("sink-dead-letters-kafka");
            }
        }
    }

    /**
     * Alerts at or above {@code mail.min-severity}, grouped per user ({@link MailGroupingFunction}),
     * to the mail sink (parallelism 1: the rate limit is global). Nothing when mail is disabled.
     */
    public static void attachMail(DataStream<Alert> alerts, SurprisalConfig config) {
        var m = config.mail();
        if (!m.enabled()) {
            return;
        }
        alerts.filter(new AtLeastSeverity(m.minSeverity())).name("alerts for mail (>= " + m.minSeverity().label() + ")")
                .uid("mail-min-severity")
                .keyBy(new AlertUser())
                .process(new MailGroupingFunction(m.groupWindow())).name("group alerts per user for mail").uid("mail-grouping")
                .sinkTo(new MailSink(m)).setParallelism(1).name("alerts: mail " + m.host()).uid("sink-alerts-mail");
    }

    /** Keeps alerts at or above a severity. */
    static final class AtLeastSeverity implements FilterFunction<Alert> {
        private final io.surprisal.alert.Severity min;

        AtLeastSeverity(io.surprisal.alert.Severity min) {
            this.min = min;
        }

        @Override
        public boolean filter(Alert a) {
            return a.severity.compareTo(min) >= 0;
        }
    }

    /** The user an alert is about, with its tenant ({@link UserKey}). */
    static final class AlertUser implements KeySelector<Alert, String> {
        @Override
        public String getKey(Alert a) {
            return UserKey.of(a.tenant, a.user);
        }
    }

    /**
     * Transactions commit on checkpoints: without checkpoints no alert would ever be visible, and a
     * transaction that times out before its checkpoint completes is lost. The interval is Flink's
     * setting ({@code intervalMillis} as the environment has it, -1 when off), the timeout the job's.
     */
    static void requireCheckpointsFor(SurprisalConfig.KafkaSinkConfig k, long intervalMillis) {
        if (intervalMillis <= 0) {
            throw new ConfigException("sinks.type kafka needs checkpoints: set execution.checkpointing.interval in Flink's "
                    + "configuration (conf/flink/config.yaml, -Dexecution.checkpointing.interval=..., the FlinkDeployment's flinkConfiguration)");
        }
        if (k.transactionTimeout().toMillis() <= intervalMillis) {
            throw new ConfigException("sinks.kafka.transaction-timeout (" + k.transactionTimeout()
                    + ") must be longer than Flink's execution.checkpointing.interval (" + java.time.Duration.ofMillis(intervalMillis) + ")");
        }
    }

    /** Exactly once: transactional, committed on checkpoints. */
    static <T> KafkaSink<T> kafkaSink(SurprisalConfig.KafkaSinkConfig k, String topic, String txPrefix,
            KafkaRecordSerializationSchema<T> serializer) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(k.bootstrapServers())
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(txPrefix)
                .setProperty("transaction.timeout.ms", String.valueOf(k.transactionTimeout().toMillis()))
                // Twice the largest alert (AlertBounds): a record of the job never fails the sink as too large.
                .setProperty("max.request.size", String.valueOf(2 * io.surprisal.alert.AlertBounds.ALERT_MAX_BYTES))
                .build();
    }
}
