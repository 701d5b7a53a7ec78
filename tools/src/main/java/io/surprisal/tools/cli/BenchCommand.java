package io.surprisal.tools.cli;

import io.surprisal.config.SurprisalConfig;
import io.surprisal.job.LocalClusterConfiguration;
import io.surprisal.tools.bench.Bench;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code surprisal bench}: throughput of the bare pipeline, the full job and the detector cores; latency; state; heap. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure what every event costs, on the same simulated events: (a) the bare pipeline, (b) the full job, "
                + "(c) the detectors' plain-Java cores in one thread; alert latency at half of (b)'s rate; RocksDB state per user; peak heap.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--events", defaultValue = "2000000", description = "events (default ${DEFAULT-VALUE})")
    long events;

    @Option(names = "--users", defaultValue = "100000", description = "simulated users (default ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--seed", defaultValue = "1", description = "simulator seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--latency-seconds", defaultValue = "30",
            description = "length of the paced latency run, seconds; 0 skips it (default ${DEFAULT-VALUE})")
    double latencySeconds;

    @Option(names = "--parts", split = ",", defaultValue = "a,b,c,latency",
            description = "parts to run, of a, b, c, latency, floor; (b) always runs, the others compare with it; floor runs (a) "
                    + "with one, two and three keyed state values read and written per event, one behind a cache of users, and "
                    + "that one routing to the job's sequence detectors (default ${DEFAULT-VALUE})")
    Set<String> parts;

    private static final List<String> KNOWN_PARTS = List.of("a", "b", "c", "latency", "floor");

    @Option(names = "--warmup-events", defaultValue = "400000",
            description = "events run through (a) and (b) once before they are measured, for the JIT; 0 skips it (default ${DEFAULT-VALUE})")
    long warmupEvents;

    @Option(names = "--compare-set", paramLabel = "KEY=VALUE",
            description = "runs (b') too: the full job with these configuration overrides on top, e.g. to price a detector "
                    + "(detectors.session-forest.enabled=false); prints b/b'")
    List<String> compareSets = new ArrayList<>();

    @Option(names = "--rounds", defaultValue = "1",
            description = "times (b), and (b') with --compare-set, run, alternating; the medians are compared, and (b)'s median sets b/a and"
                    + " the latency run's pace (default ${DEFAULT-VALUE})")
    int rounds;

    @Mixin
    JobOptions job = new JobOptions();

    @Override
    public Integer call() throws Exception {
        if (events < 1) {
            throw new IllegalArgumentException("--events must be at least 1");
        }
        if (!KNOWN_PARTS.containsAll(parts)) {
            throw new IllegalArgumentException("--parts takes " + String.join(", ", KNOWN_PARTS) + "; not " + String.join(", ",
                    parts.stream().filter(p -> !KNOWN_PARTS.contains(p)).sorted().toList()));
        }
        if (warmupEvents < 0) {
            throw new IllegalArgumentException("--warmup-events must be 0 or more");
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1");
        }
        Path work = JobOptions.tempDir();
        try {
            SurprisalConfig config = job.resolveLocal(work.resolve("bench-events.jsonl"));
            SurprisalConfig compared = compareSets.isEmpty() ? null : job.resolveLocal(work.resolve("bench-events.jsonl"), compareSets);
            Configuration flink = LocalClusterConfiguration.forRunIn(work, job.flinkSettings());
            new Bench(config, compared, flink,
                    new Bench.Options(events, users, seed, latencySeconds, parts, warmupEvents, rounds, String.join(", ", compareSets)),
                    work, System.out).run();
            return 0;
        } finally {
            JobOptions.deleteTree(work);
        }
    }
}
