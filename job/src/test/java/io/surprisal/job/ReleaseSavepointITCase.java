package io.surprisal.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.surprisal.alert.AlertJson;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.SourceRecord;
import io.surprisal.flink.EventTimestamps;
import io.surprisal.flink.JsonLinesFormat;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.runtime.OperatorIDPair;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Savepoints of a release restore into this code. The fixture under {@code savepoints/<release>} is
 * a savepoint the release took of the whole graph (RocksDB, canonical format, parallelism 2) with
 * the first half of the quickstart sample read; this test resumes from it over the second half and
 * compares the alerts with those of this code resumed from its own savepoint at the same cut. The
 * cut does not depend on timing: the reader stops after exactly {@link #CUT} lines
 * ({@link HaltingSource}) and the watermark follows every event, so both savepoints hold the same
 * events, timers and watermark.
 *
 * <p>Alerts are compared for the detectors the release had (its {@code detectors.txt}) and on the
 * alert fields it had ({@code alert-fields.txt}), a detector renamed since under its new name
 * ({@link #RENAMED}): a detector or an alert field added since (a user's behaviour group) starts
 * from empty state in a restored job, as documented in docs/operations.md. A release's savepoint
 * that holds state of an operator retired since ({@link #WITH_RETIRED_STATE}) is restored with
 * {@code allowNonRestoredState}, after checking that it leaves out that state and nothing else.
 *
 * <p>A new fixture: {@code ./mvnw -pl job -am verify -Dtest=ReleaseSavepointITCase
 * -Dsurefire.failIfNoSpecifiedTests=false -Dsurprisal.release-savepoint.write=<release>} on the
 * release's commit writes {@code job/src/test/resources/savepoints/<release>}; add its name to
 * {@link #RELEASES}.
 */
class ReleaseSavepointITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** Releases whose savepoints must restore. */
    static final List<String> RELEASES = List.of("0.1");

    /**
     * Releases whose savepoints hold state of operators retired since ({@link
     * SurprisalPipeline#RETIRED_UIDS}): they restore with {@code allowNonRestoredState}, losing
     * only that state (velocity's runs in progress at the savepoint).
     */
    static final Set<String> WITH_RETIRED_STATE = Set.of("0.1");

    /** Detectors named otherwise since a release, by their name in its {@code detectors.txt}. */
    static final Map<String, String> RENAMED = Map.of("cep:bot-velocity", "velocity");

    private static final Path SAMPLE = Path.of("../src-test-data/samples/quickstart.jsonl.gz");
    private static final Path FIXTURES = Path.of("src/test/resources/savepoints");
    /** Lines of the sample read before the savepoint. */
    private static final long CUT = 10_000;
    private static final Configuration SETTINGS = Configuration.fromMap(Map.of(
            "parallelism.default", "2", "state.backend.type", "rocksdb", "execution.checkpointing.interval", "1h",
            // Only savepoints here: a finished task need not wait for a final checkpoint.
            "execution.checkpointing.checkpoints-after-tasks-finish", "false"));

    @TempDir
    static Path work;
    private static Path lines;
    private static long total;

    @BeforeAll
    static void uncompressSample() throws IOException {
        lines = work.resolve("quickstart.jsonl");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(SAMPLE))) {
            Files.copy(in, lines);
        }
        total = readRecords(lines.toString(), ConfigLoader.load(null, List.of()).source()).size();
    }

    @Test
    void savepointsOfEveryReleaseRestoreAndGiveTheAlertsOfThisCodesOwnSavepoint() throws Exception {
        String own = takeSavepoint(work.resolve("own"));
        assertThat(unrestoredOperators(own)).as("this build's savepoint restores whole").isEmpty();
        List<String> fromOwn = resume(own, work.resolve("own-resumed"), false);
        assertThat(fromOwn).as("the second half of the sample alerts").isNotEmpty();
        for (String release : RELEASES) {
            Path fixture = FIXTURES.resolve(release);
            Set<String> detectors = new TreeSet<>();
            for (String d : Files.readAllLines(fixture.resolve("detectors.txt"))) {
                detectors.add(RENAMED.getOrDefault(d, d));
            }
            Set<String> fields = new TreeSet<>(Files.readAllLines(fixture.resolve("alert-fields.txt")));
            String savepoint = fixture.toAbsolutePath().toString();
            assertThat(unrestoredOperators(savepoint))
                    .as("operators of release %s's savepoint this graph leaves out: the retired ones only", release)
                    .isEqualTo(WITH_RETIRED_STATE.contains(release)
                            ? new TreeSet<>(SurprisalPipeline.RETIRED_UIDS.stream().map(Uids::hashOf).toList())
                            : Set.of());
            List<String> fromRelease = resume(savepoint, work.resolve(release + "-resumed"), true);
            assertThat(asReleased(fromRelease, detectors, fields))
                    .as("alerts after restoring release %s's savepoint, detectors %s", release, detectors)
                    .isEqualTo(asReleased(fromOwn, detectors, fields));
        }
    }

    /** Writes this code's savepoint at the cut as the fixture of release {@code surprisal.release-savepoint.write}. */
    @Test
    @EnabledIfSystemProperty(named = "surprisal.release-savepoint.write", matches = "[0-9A-Za-z.-]+")
    void writeReleaseFixture() throws Exception {
        Path target = FIXTURES.resolve(System.getProperty("surprisal.release-savepoint.write"));
        String savepoint = takeSavepoint(work.resolve("fixture"));
        List<String> resumed = resume(savepoint, work.resolve("fixture-resumed"), false);
        Set<String> detectors = new TreeSet<>();
        Set<String> fields = new TreeSet<>();
        ObjectMapper json = new ObjectMapper();
        for (String alert : resumed) {
            JsonNode a = json.readTree(alert);
            detectors.add(a.path("detector").asText());
            a.fieldNames().forEachRemaining(fields::add);
        }
        Files.createDirectories(target);
        Path from = Path.of(java.net.URI.create(savepoint));
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Path to = target.resolve(from.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
        }
        Files.write(target.resolve("detectors.txt"), detectors);
        Files.write(target.resolve("alert-fields.txt"), fields);
        assertThat(target.resolve("_metadata")).exists();
        assertThat(detectors).isNotEmpty();
    }

    /** The alerts of {@code detectors}, each with only its top-level {@code fields}, in order. */
    private static List<String> asReleased(List<String> alerts, Set<String> detectors, Set<String> fields) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> kept = new ArrayList<>();
        for (String line : alerts) {
            ObjectNode a = (ObjectNode) json.readTree(line);
            if (detectors.contains(a.path("detector").asText())) {
                a.retain(fields);
                kept.add(json.writeValueAsString(a));
            }
        }
        return kept;
    }

    /** Reads {@link #CUT} lines, then stops with a savepoint; returns its path. */
    private static String takeSavepoint(Path dir) throws Exception {
        HaltingSource.EMITTED.set(0);
        StreamExecutionEnvironment env = environment(dir, new Configuration());
        graph(env, new HaltingSource<>(new NumberSequenceSource(0, total - 1), CUT), dir);
        JobClient job = env.executeAsync("release savepoint: first half");
        long deadline = System.currentTimeMillis() + 120_000;
        while (HaltingSource.EMITTED.get() < CUT && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(HaltingSource.EMITTED.get()).as("lines read before the savepoint").isEqualTo(CUT);
        String savepoint = job.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
                .get(120, TimeUnit.SECONDS);
        job.getJobExecutionResult().get(120, TimeUnit.SECONDS);
        return savepoint;
    }

    /**
     * The operator IDs (hex) of the savepoint's operators with state that this build's graph has no
     * operator for: what a restore with {@code --allowNonRestoredState} leaves out (Flink skips
     * operators without state itself).
     */
    private static Set<String> unrestoredOperators(String savepoint) throws Exception {
        StreamExecutionEnvironment env = environment(work.resolve("graph-only"), new Configuration());
        graph(env, new NumberSequenceSource(0, total - 1), work.resolve("graph-only"));
        Set<OperatorID> inGraph = new java.util.HashSet<>();
        for (JobVertex v : env.getStreamGraph().getJobGraph().getVertices()) {
            for (OperatorIDPair ids : v.getOperatorIDs()) {
                inGraph.add(ids.getUserDefinedOperatorID().orElse(ids.getGeneratedOperatorID()));
            }
        }
        Path dir = savepoint.startsWith("file:") ? Path.of(java.net.URI.create(savepoint)) : Path.of(savepoint);
        Set<String> left = new TreeSet<>();
        try (DataInputStream in = new DataInputStream(Files.newInputStream(dir.resolve("_metadata")))) {
            CheckpointMetadata metadata = Checkpoints.loadCheckpointMetadata(in, ReleaseSavepointITCase.class.getClassLoader(), savepoint);
            for (OperatorState op : metadata.getOperatorStates()) {
                if (!inGraph.contains(op.getOperatorID()) && (op.getStateSize() > 0 || op.getCoordinatorState() != null)) {
                    left.add(op.getOperatorID().toHexString());
                }
            }
        }
        return left;
    }

    /**
     * Resumes from {@code savepoint} and reads the sample to its end; returns the alerts after the
     * cut, sorted. {@code allowNonRestoredState}: as the upgrade from a release with retired operators takes it.
     */
    private static List<String> resume(String savepoint, Path dir, boolean allowNonRestoredState) throws Exception {
        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        restore.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, allowNonRestoredState);
        StreamExecutionEnvironment env = environment(dir, restore);
        graph(env, new NumberSequenceSource(0, total - 1), dir);
        env.execute("release savepoint: second half");
        List<String> alerts = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.getFileName().toString().startsWith("alerts-"))::iterator) {
                alerts.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
            }
        }
        alerts.sort(Comparator.naturalOrder());
        return alerts;
    }

    private static StreamExecutionEnvironment environment(Path dir, Configuration extra) throws IOException {
        Files.createDirectories(dir);
        Configuration c = new Configuration(SETTINGS);
        c.addAll(extra);
        return StreamExecutionEnvironment.getExecutionEnvironment(LocalClusterConfiguration.forRunIn(dir, c));
    }

    /**
     * The job's graph with the sample's lines by number as the source (its state is the numbers
     * still to read, so a fixture does not name a path of the machine that wrote it) and alerts
     * written to {@code dir}.
     */
    private static void graph(StreamExecutionEnvironment env, Source<Long, ?, ?> numbers, Path dir) {
        SurprisalConfig config = ConfigLoader.load(null, List.of());
        DataStream<SourceRecord> records = env.fromSource(numbers, WatermarkStrategy.noWatermarks(), "sample line numbers", Types.LONG)
                .uid("release-fixture-numbers").setParallelism(1)
                .map(new SampleLine(lines.toString(), config.source())).name("sample line").uid("release-fixture-lines").setParallelism(1)
                .assignTimestampsAndWatermarks(everyEvent(config.source())).name("event time").uid("release-fixture-event-time")
                .setParallelism(1);
        SurprisalPipeline.Streams streams = SurprisalPipeline.build(config, records);
        streams.alerts().map(AlertJson::toJson).name("alerts as JSON").uid("alerts-json")
                .sinkTo(new LocalLinesSink(dir.resolve("alerts"))).name("alerts: local file").uid("sink-alerts-local");
    }

    /** The job's bounded out-of-orderness, with the watermark moved on by every event rather than periodically. */
    private static WatermarkStrategy<SourceRecord> everyEvent(SurprisalConfig.SourceConfig s) {
        long outOfOrderness = s.outOfOrderness().toMillis();
        return WatermarkStrategy.<SourceRecord>forGenerator(context -> new WatermarkGenerator<>() {
            private long max = Long.MIN_VALUE + outOfOrderness + 1;

            @Override
            public void onEvent(SourceRecord r, long timestamp, WatermarkOutput output) {
                if (r.event != null && timestamp > max) {
                    max = timestamp;
                    output.emitWatermark(new Watermark(max - outOfOrderness - 1));
                }
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {}
        }).withTimestampAssigner(new EventTimestamps());
    }

    /** Line {@code n} of the sample as the file source reads it (same format, same event-time guard). */
    static final class SampleLine extends RichMapFunction<Long, SourceRecord> {
        private final String path;
        private final SurprisalConfig.SourceConfig source;
        private transient List<SourceRecord> records;

        SampleLine(String path, SurprisalConfig.SourceConfig source) {
            this.path = path;
            this.source = source;
        }

        @Override
        public void open(OpenContext context) throws IOException {
            records = readRecords(path, source);
        }

        @Override
        public SourceRecord map(Long n) {
            return records.get(n.intValue());
        }
    }

    /** The records of the uncompressed sample at {@code path}, labelled with the sample's name as the file source labels them. */
    static List<SourceRecord> readRecords(String path, SurprisalConfig.SourceConfig source) throws IOException {
        List<SourceRecord> records = new ArrayList<>();
        JsonLinesFormat format = new JsonLinesFormat(SAMPLE.getFileName().toString(), source.maxLineBytes(), source.outOfOrderness(), source.maxAhead());
        try (StreamFormat.Reader<SourceRecord> reader = format.createReader(new Configuration(),
                FileSystem.getLocalFileSystem().open(new org.apache.flink.core.fs.Path(path)))) {
            for (SourceRecord r = reader.read(); r != null; r = reader.read()) {
                records.add(r);
            }
        }
        return records;
    }
}
