package io.surprisal.job;

import io.surprisal.alert.AlertJson;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.novelty.LoginNoveltyLogic;
import io.surprisal.flink.SeparateDeadLettersFunction;
import io.surprisal.flink.UserBehaviourFunction;
import io.surprisal.novelty.LoginVectorJson;
import io.surprisal.session.SessionVectorJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs the job graph on an embedded MiniCluster over a file, to its end, and returns what it
 * produced, sorted (alerts by event time then id, dead letters by position), so that the same input
 * always gives the same bytes whatever the parallelism.
 */
public final class LocalRunner {
    private LocalRunner() {}

    /**
     * What a run produced: alerts and dead letters as JSON lines, in a stable order; and what the
     * detectors scored before they could alert, by accumulator name ({@link #WARM_UP_ACCUMULATORS}).
     */
    public record Result(List<String> alerts, List<String> deadLetters, long linesRead, long eventsScored, Duration elapsed,
            Map<String, Long> warmUp, List<String> closedSessions, List<String> logins) {}

    /** The accumulators of work done before a detector could alert, in the order the summary shows them (other closed-visit detectors' follow). */
    public static final List<String> WARM_UP_ACCUMULATORS = List.of(
            UserBehaviourFunction.WARMING_UP_EVENTS_ACCUMULATOR, UserBehaviourFunction.WARMING_UP_SESSIONS_ACCUMULATOR,
            UserBehaviourFunction.WARMING_UP_PURCHASES_ACCUMULATOR, UserBehaviourFunction.WARMING_UP_SESSION_MEASURES_ACCUMULATOR,
            UserBehaviourFunction.WARMING_UP_FOREST_ACCUMULATOR, UserBehaviourFunction.WARMING_UP_VISIT_LENGTH_ACCUMULATOR,
            LoginNoveltyLogic.WARMING_UP_ACCUMULATOR, LoginNoveltyLogic.WITHOUT_HISTORY_ACCUMULATOR);

    /** The job over {@code input} with Flink's runtime settings of {@link LocalClusterConfiguration} as they are. */
    public static Result run(SurprisalConfig config, Path input, Path workDir) throws Exception {
        return run(config, new Configuration(), input, workDir);
    }

    /**
     * The job over {@code input}; {@code flinkSettings} override the runtime settings of {@link
     * LocalClusterConfiguration}. Checkpoints and Flink's temporary files go to {@code workDir}, beside
     * the sinks' files.
     */
    public static Result run(SurprisalConfig config, Configuration flinkSettings, Path input, Path workDir) throws Exception {
        Configuration local = new Configuration();
        // The local sinks are not transactional: finished tasks need not wait for a final checkpoint.
        local.set(CheckpointingOptions.ENABLE_CHECKPOINTS_AFTER_TASKS_FINISH, false);
        local.addAll(flinkSettings);
        Configuration flinkConf = LocalClusterConfiguration.forRunIn(workDir, local);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(flinkConf);
        JobSettings.apply(env, config);

        SurprisalPipeline.Streams streams = SurprisalPipeline.build(config,
                Connectors.fileSource(env, input.toString(), config.source(),
                        config.source().file().maxEventsPerSecond()));
        Path alertsPrefix = workDir.resolve("alerts");
        Path deadPrefix = workDir.resolve("dead-letters");
        // A sortable key before each line: alerts by (event time, id), dead letters by position.
        streams.alerts()
                .map(a -> String.format(Locale.ROOT, "%020d\t%s\t%s", a.ts - Long.MIN_VALUE / 2, a.alertId, AlertJson.toJson(a)))
                .name("alerts as JSON").uid("alerts-json")
                .sinkTo(new LocalLinesSink(alertsPrefix)).name("alerts: local file").uid("sink-alerts-local");
        streams.deadLetters()
                .map(d -> positionKey(d.source) + "\t" + AlertJson.toJson(d))
                .name("dead letters as JSON").uid("dead-letters-json")
                .sinkTo(new LocalLinesSink(deadPrefix)).name("dead letters: local file").uid("sink-dead-letters-local");

        if (config.model().session().emitVectors()) {
            // By (last event time, start, then the line, which begins with the user): the same input gives the same bytes.
            streams.closedSessions()
                    .map(c -> String.format(Locale.ROOT, "%020d\t%020d\t%s", c.ts - Long.MIN_VALUE / 2, c.start - Long.MIN_VALUE / 2,
                            SessionVectorJson.toJson(c)))
                    .name("closed sessions as JSON").uid("closed-sessions-json")
                    .sinkTo(new LocalLinesSink(workDir.resolve("sessions"))).name("closed sessions: local file").uid("sink-closed-sessions-local");
        }
        if (config.novelty().emitVectors() && streams.loginVectors() != null) {
            // By event time, then the line, which begins with the user: the same input gives the same bytes.
            streams.loginVectors()
                    .map(l -> String.format(Locale.ROOT, "%020d\t%s", l.ts - Long.MIN_VALUE / 2, LoginVectorJson.toJson(l)))
                    .name("login vectors as JSON").uid("login-vectors-json")
                    .sinkTo(new LocalLinesSink(workDir.resolve("logins"))).name("login vectors: local file").uid("sink-login-vectors-local");
        }
        // Mail, when enabled, sees the same (suppressed) alerts as the files.
        Connectors.attachMail(streams.alerts(), config);

        long start = System.nanoTime();
        JobExecutionResult result = env.execute(config.job().name());
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        Long scored = result.getAccumulatorResult(UserBehaviourFunction.EVENTS_ACCUMULATOR);
        Long read = result.getAccumulatorResult(SeparateDeadLettersFunction.RECORDS_ACCUMULATOR);
        Map<String, Long> warmUp = new LinkedHashMap<>();
        for (String name : WARM_UP_ACCUMULATORS) {
            Long n = result.getAccumulatorResult(name);
            warmUp.put(name, n == null ? 0L : n);
        }
        // A closed-visit detector's own (UserBehaviourFunction.warmingUpAccumulator), after the ones above.
        new java.util.TreeMap<>(result.getAllAccumulatorResults()).forEach((name, n) -> {
            if (name.startsWith("warming-up:") && !warmUp.containsKey(name) && n instanceof Long count) {
                warmUp.put(name, count);
            }
        });
        return new Result(readSorted(workDir, "alerts-"), readSorted(workDir, "dead-letters-"),
                read == null ? 0 : read, scored == null ? 0 : scored, elapsed, warmUp, readSorted(workDir, "sessions-"),
                readSorted(workDir, "logins-"));
    }

    /** {@code file:12} sorts as the file then 12 zero-padded, so line 12 comes before line 100. */
    static String positionKey(String source) {
        if (source == null) {
            return "";
        }
        int i = source.lastIndexOf(':');
        if (i > 0) {
            try {
                return source.substring(0, i) + ":" + String.format(Locale.ROOT, "%020d", Long.parseLong(source.substring(i + 1)));
            } catch (NumberFormatException e) {
                // not a line number
            }
        }
        return source;
    }

    /** The lines of the files under {@code dir} whose names start with {@code prefix}, by their sort key, the key removed. */
    static List<String> readSorted(Path dir, String prefix) throws IOException {
        List<String> keyed = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.getFileName().toString().startsWith(prefix))::iterator) {
                keyed.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
            }
        }
        keyed.sort(null);
        List<String> out = new ArrayList<>(keyed.size());
        for (String k : keyed) {
            out.add(k.substring(k.lastIndexOf('\t', k.indexOf('{')) + 1));
        }
        return out;
    }
}
