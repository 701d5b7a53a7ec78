package io.surprisal.sim;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Command line for the simulator:
 *
 * <pre>
 * java -cp surprisal-src-test-data.jar io.surprisal.sim.SimulatorCli \
 *     --users 10000 --days 2 --seed 42 [--start 2026-11-02T00:00:00Z] [--max-events N] \
 *     [--min-per-kind K] [--visit-cap 5000] --out events.jsonl --labels labels.csv
 * </pre>
 *
 * <p>{@code --max-events} stops after that many events (benchmark mode; with {@code --days}
 * omitted, enough days are chosen for the budget). Prints a one-line summary to stderr. Library
 * code never exits the JVM; bad arguments raise {@link IllegalArgumentException}.
 */
public final class SimulatorCli {
  private SimulatorCli() {}

  public static void main(String[] args) throws IOException {
    run(args, System.err);
  }

  /** Runs with {@code args}; returns the number of events written. */
  public static long run(String[] args, PrintStream log) throws IOException {
    int users = 10_000;
    Integer days = null;
    long seed = 42;
    Instant start = SimulatorConfig.DEFAULT_START;
    long maxEvents = Long.MAX_VALUE;
    int minPerKind = 0;
    int visitCap = SimulatorConfig.DEFAULT_MAX_EVENTS_PER_VISIT;
    Path out = null;
    Path labels = null;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value for " + flag);
      }
      String value = args[++i];
      switch (flag) {
        case "--users" -> users = Integer.parseInt(value);
        case "--days" -> days = Integer.parseInt(value);
        case "--seed" -> seed = Long.parseLong(value);
        case "--start" -> start = Instant.parse(value);
        case "--max-events" -> maxEvents = Long.parseLong(value);
        case "--min-per-kind" -> minPerKind = Integer.parseInt(value);
        case "--visit-cap" -> visitCap = Integer.parseInt(value);
        case "--out" -> out = Path.of(value);
        case "--labels" -> labels = Path.of(value);
        default -> throw new IllegalArgumentException("unknown option " + flag);
      }
    }
    if (out == null) {
      throw new IllegalArgumentException("--out is required");
    }
    int effectiveDays = days != null ? days
        : maxEvents == Long.MAX_VALUE ? 2
        : SimulatorConfig.forEventBudget(users, maxEvents, seed).days();
    SimulatorConfig config =
        new SimulatorConfig(users, effectiveDays, seed, start, minPerKind, visitCap);
    Simulator simulator = new Simulator(config);
    long begin = System.nanoTime();
    long written;
    try (Writer w = writer(out)) {
      written = simulator.writeEvents(w, maxEvents);
    }
    if (labels != null) {
      try (Writer w = writer(labels)) {
        simulator.writeLabels(w);
      }
    }
    log.printf("%d events, %d users, %d days, seed %d -> %s in %.2f s%n", written, users,
        effectiveDays, seed, out, (System.nanoTime() - begin) / 1e9);
    return written;
  }

  private static Writer writer(Path path) throws IOException {
    return new BufferedWriter(
        new OutputStreamWriter(Files.newOutputStream(path), StandardCharsets.UTF_8), 1 << 16);
  }
}
