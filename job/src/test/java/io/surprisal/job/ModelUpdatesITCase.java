package io.surprisal.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surprisal.alert.AlertJson;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.SourceRecord;
import io.surprisal.session.SessionVectorJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Detector model replaced while the job runs (parallelism 2, a watched directory of updates, the
 * real file source): the sessions that close, and the logins made, after the replacement are
 * scored by the new session and login models (one model directory holds both), those before by the
 * old, and nothing else changes. Two runs over the same events: one with the
 * first model throughout, one that halts after the first visits (their sessions all closed and
 * scored), takes the update on both instances, and reads on. Every session alerts (a tiny
 * min-probability), so every score is visible; suppression is off.
 */
class ModelUpdatesITCase {
    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    static final Path LOGISTIC = Path.of("../src-test-data/models/quickstart-logistic").toAbsolutePath();
    static final Path FM = Path.of("../src-test-data/models/quickstart-fm").toAbsolutePath();
    static final Path LOGIN_LOGISTIC = Path.of("../src-test-data/models/quickstart-login-logistic").toAbsolutePath();
    static final Path LOGIN_FM = Path.of("../src-test-data/models/quickstart-login-fm").toAbsolutePath();
    static final Instant T0 = Instant.parse("2026-11-02T08:00:00Z");
    static final int USERS = 12;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The events: each user's visit, a clock event that moves event time past them, then each user's second visit. */
    static List<String> events() {
        List<String> lines = new ArrayList<>();
        String[] actions = {"login", "view_item", "search", "view_item", "buy_item", "logout"};
        for (int day = 0; day < 2; day++) {
            for (int u = 0; u < USERS; u++) {
                Instant start = T0.plus(Duration.ofDays(day)).plusSeconds(60L * u);
                for (int i = 0; i < actions.length && !(u % 3 == 0 && actions[i].equals("buy_item")); i++) {
                    lines.add(String.format(Locale.ROOT,
                            "{\"ts\":\"%s\",\"user\":\"u%02d\",\"session\":\"s%02d-%d\",\"action\":\"%s\"%s}",
                            start.plusSeconds((long) (u + 3) * i), u, u, day, actions[i],
                            actions[i].equals("buy_item") ? ",\"amount\":" + (10 + u) : ""));
                }
            }
            // Past every visit of the day by more than the out-of-orderness: the watermark closes them.
            lines.add(String.format(Locale.ROOT, "{\"ts\":\"%s\",\"user\":\"clock\",\"action\":\"view_item\"}",
                    T0.plus(Duration.ofDays(day)).plus(Duration.ofHours(2))));
        }
        return lines;
    }

    /** A model directory with the files of {@code session}'s and {@code login}'s. */
    Path both(String name, Path session, Path login) throws java.io.IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        for (Path from : List.of(session, login)) {
            try (var files = Files.list(from)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.copy(f, d.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return d;
    }

    SurprisalConfig config(Path updates) throws java.io.IOException {
        // Every session and login alerts; suppression would hold back a user's second alert.
        return ConfigLoader.load(null, List.of(
                "detectors.model.path=" + both("logistic", LOGISTIC, LOGIN_LOGISTIC),
                "detectors.model.logins=true",
                "novelty.emit-vectors=true",
                "detectors.model.min-probability=1e-30",
                "detectors.model.updates.type=file",
                "detectors.model.updates.path=" + updates,
                "detectors.model.updates.poll-interval=100ms",
                "suppression.enabled=false",
                "model.session.emit-vectors=true"));
    }

    record Run(List<String> alerts, List<String> sessions, List<String> logins) {}

    /** Runs the job; with {@code update}, halts after the first day, puts {@code update} in the updates directory, and reads on once both instances took it. */
    Run run(String name, Path update) throws Exception {
        Path work = Files.createDirectories(dir.resolve(name));
        Path events = work.resolve("events.jsonl");
        List<String> lines = events();
        Files.write(events, lines, StandardCharsets.UTF_8);
        Path updates = Files.createDirectories(work.resolve("updates"));
        SurprisalConfig config = config(updates);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        JobSettings.apply(env, config);
        int firstDay = lines.size() / 2;
        var file = Connectors.fileSourceOf(events.toString(), config.source());
        DataStream<SourceRecord> records = env.fromSource(new HaltingSource<>(file, update == null ? Long.MAX_VALUE : firstDay),
                        Connectors.watermarks(config.source()), "events", file.getProducedType())
                .setParallelism(1);
        SurprisalPipeline.Streams streams = SurprisalPipeline.build(config, records, null, null, Connectors.modelUpdates(env, config).orElseThrow());
        String alertsKey = name + "/alerts";
        String sessionsKey = name + "/sessions";
        String loginsKey = name + "/logins";
        streams.alerts()
                .map(a -> String.format(Locale.ROOT, "%020d\t%s\t%s", a.ts - Long.MIN_VALUE / 2, a.alertId, AlertJson.toJson(a)))
                .sinkTo(new Collected(alertsKey));
        streams.closedSessions()
                .map(c -> String.format(Locale.ROOT, "%020d\t%020d\t%s", c.ts - Long.MIN_VALUE / 2, c.start - Long.MIN_VALUE / 2,
                        SessionVectorJson.toJson(c)))
                .sinkTo(new Collected(sessionsKey));
        streams.loginVectors()
                .map(l -> String.format(Locale.ROOT, "%020d\t%s", l.ts - Long.MIN_VALUE / 2, io.surprisal.novelty.LoginVectorJson.toJson(l)))
                .sinkTo(new Collected(loginsKey));
        HaltingSource.RELEASE = new java.util.concurrent.CompletableFuture<>();
        JobClient job = env.executeAsync(name);
        java.util.function.Supplier<String> state = () -> String.format(Locale.ROOT,
                "events scored %d of %d, sessions %d, model alerts %d, models loaded %d, logins scored %d, login models loaded %d, source emitted %d",
                counted(job.getJobID(), ".eventsScored"), lines.size(), Collected.lines(sessionsKey).size(),
                counted(job.getJobID(), ".alerts.model.count"), counted(job.getJobID(), ".model.loaded"),
                counted(job.getJobID(), ".model.loginsScored"), counted(job.getJobID(), ".model.loginModelsLoaded"), HaltingSource.EMITTED.get());
        try {
            if (update != null) {
                // The first day's visits all closed and scored, by the configured model on both instances.
                await(() -> counted(job.getJobID(), ".alerts.model.count") == USERS && counted(job.getJobID(), ".model.loaded") == 2
                        && counted(job.getJobID(), ".model.loginsScored") == USERS && counted(job.getJobID(), ".model.loginModelsLoaded") == 2, state);
                // Written beside the directory, then moved in whole: the watcher never sees half a file.
                Path written = Files.writeString(work.resolve("update-1"), update + "\n", StandardCharsets.UTF_8);
                Files.move(written, updates.resolve("update-1"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                await(() -> counted(job.getJobID(), ".model.loaded") == 4 && counted(job.getJobID(), ".model.loginModelsLoaded") == 4, state);
            }
            HaltingSource.RELEASE.complete(null);
            // The updates source never ends, so the job does not: it is done once every event was scored
            // and every session closed (the events' end of input closes the last ones), and what it
            // emitted reached the sinks (the collected lines stop changing).
            long eventCount = lines.size();
            int sessions = 2 * USERS + 2; // and the clock's two
            await(() -> counted(job.getJobID(), ".eventsScored") == eventCount
                    && Collected.lines(sessionsKey).size() == sessions
                    && counted(job.getJobID(), ".alerts.model.count") == sessions
                    && counted(job.getJobID(), ".model.loginsScored") == 2 * USERS, state);
            settle(alertsKey);
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
            HaltingSource.RELEASE = new java.util.concurrent.CompletableFuture<>();
        }
        return new Run(sorted(Collected.lines(alertsKey)), sorted(Collected.lines(sessionsKey)), sorted(Collected.lines(loginsKey)));
    }

    /** Lines by their sort key, the key removed (as {@link LocalRunner#readSorted}). */
    private static List<String> sorted(List<String> keyed) {
        List<String> k = new ArrayList<>(keyed);
        k.sort(null);
        return k.stream().map(l -> l.substring(l.lastIndexOf('\t', l.indexOf('{')) + 1)).toList();
    }

    /** Waits until the collected lines of {@code key} have not changed for a second. */
    private static void settle(String key) throws InterruptedException {
        int seen = -1;
        while (Collected.lines(key).size() != seen) {
            seen = Collected.lines(key).size();
            Thread.sleep(1000);
        }
    }

    /** A sink into this JVM's memory: the MiniCluster runs here. */
    static final class Collected implements org.apache.flink.api.connector.sink2.Sink<String> {
        private static final Map<String, java.util.Queue<String>> LINES = new java.util.concurrent.ConcurrentHashMap<>();
        private final String key;

        Collected(String key) {
            this.key = key;
            LINES.put(key, new java.util.concurrent.ConcurrentLinkedQueue<>());
        }

        static List<String> lines(String key) {
            return List.copyOf(LINES.get(key));
        }

        @Override
        public org.apache.flink.api.connector.sink2.SinkWriter<String> createWriter(org.apache.flink.api.connector.sink2.WriterInitContext context) {
            java.util.Queue<String> q = LINES.get(key);
            return new org.apache.flink.api.connector.sink2.SinkWriter<>() {
                @Override
                public void write(String line, Context c) {
                    q.add(line);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }

    @Test
    void sessionsClosedAfterTheReplacementAreScoredByTheNewModelAndNothingIsLost() throws Exception {
        Run before = run("first-model-throughout", null);
        Run replaced = run("replaced", both("fm", FM, LOGIN_FM));

        long dayTwo = T0.plus(Duration.ofDays(1)).toEpochMilli();
        // The users' visits; the clock's sessions close only after the replacement, in both runs.
        Predicate<String> model = a -> a.contains("\"detector\":\"model\"") && a.contains("\"summary\":\"session ")
                && !a.contains("\"user\":\"clock\"");
        List<String> firstDayModel = filter(replaced.alerts(), a -> model.test(a) && ts(a) < dayTwo);
        List<String> secondDayModel = filter(replaced.alerts(), a -> model.test(a) && ts(a) >= dayTwo);
        // Every session scored once: no alert lost, none twice.
        assertThat(firstDayModel).hasSize(USERS);
        assertThat(secondDayModel).hasSize(USERS);
        // Before the replacement: the same alerts, byte for byte.
        assertThat(firstDayModel).isEqualTo(filter(before.alerts(), a -> model.test(a) && ts(a) < dayTwo));
        // After it: every score differs, and the alert names the new model.
        List<String> secondDayBefore = filter(before.alerts(), a -> model.test(a) && ts(a) >= dayTwo);
        for (int i = 0; i < USERS; i++) {
            JsonNode was = JSON.readTree(secondDayBefore.get(i));
            JsonNode now = JSON.readTree(secondDayModel.get(i));
            assertThat(now.path("user").asText()).isEqualTo(was.path("user").asText());
            assertThat(now.path("score").asDouble()).isNotEqualTo(was.path("score").asDouble());
            assertThat(now.path("summary").asText()).contains("factorization-machine").doesNotContain("logistic-regression");
            assertThat(was.path("summary").asText()).contains("logistic-regression");
        }
        // No state lost: the same vectors (visit gaps from the first day's visits, population bits),
        // and every other detector's alerts as they were.
        assertThat(replaced.sessions()).isEqualTo(before.sessions()).hasSize(2 * USERS + 2);
        assertThat(replaced.sessions()).filteredOn(s -> s.contains("-1\"")).allSatisfy(s -> assertThat(s).doesNotContain("\"visit_gap_s\":null"));
        // Each login scored once, by the login model in use when it was made.
        Predicate<String> login = a -> a.contains("\"detector\":\"model\"") && a.contains("\"summary\":\"successful login of ");
        List<String> firstDayLogins = filter(replaced.alerts(), a -> login.test(a) && ts(a) < dayTwo);
        List<String> secondDayLogins = filter(replaced.alerts(), a -> login.test(a) && ts(a) >= dayTwo);
        assertThat(firstDayLogins).hasSize(USERS).isEqualTo(filter(before.alerts(), a -> login.test(a) && ts(a) < dayTwo));
        assertThat(secondDayLogins).hasSize(USERS).allSatisfy(a -> assertThat(a).contains("model factorization-machine"));
        assertThat(filter(before.alerts(), a -> login.test(a) && ts(a) >= dayTwo)).hasSize(USERS)
                .allSatisfy(a -> assertThat(a).contains("model logistic-regression"));
        // The users' login profiles went through the replacement: the same login vectors, the second
        // day's knowing the first's login.
        assertThat(replaced.logins()).isEqualTo(before.logins()).hasSize(2 * USERS);
        assertThat(replaced.logins()).filteredOn(l -> l.contains("-1\"")).allSatisfy(l -> assertThat(l).contains("\"user_logins\":1"));
        Predicate<String> other = a -> !a.contains("\"detector\":\"model\"");
        assertThat(filter(replaced.alerts(), other)).isEqualTo(filter(before.alerts(), other));
    }

    private static List<String> filter(List<String> lines, Predicate<String> p) {
        return lines.stream().filter(p).toList();
    }

    private static long ts(String alert) {
        try {
            return Instant.parse(JSON.readTree(alert).path("ts").asText()).toEpochMilli();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sum over the job's instances of the counters whose identifier ends with {@code suffix}. */
    private static long counted(JobID job, String suffix) {
        long sum = 0;
        for (Map.Entry<MetricGroup, Map<String, Metric>> g : REPORTER.getMetricsByGroup().entrySet()) {
            if (!job.toString().equals(g.getKey().getAllVariables().get("<job_id>"))) {
                continue;
            }
            for (Map.Entry<String, Metric> m : g.getValue().entrySet()) {
                if (m.getValue() instanceof Counter c && g.getKey().getMetricIdentifier(m.getKey()).endsWith(suffix)) {
                    sum += c.getCount();
                }
            }
        }
        return sum;
    }

    private static void await(java.util.function.BooleanSupplier condition, java.util.function.Supplier<String> state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached in 60 s: " + state.get());
            }
            Thread.sleep(50);
        }
    }
}
