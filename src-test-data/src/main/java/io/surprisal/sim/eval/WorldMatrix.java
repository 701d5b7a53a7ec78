package io.surprisal.sim.eval;

import io.surprisal.sim.Simulator;
import io.surprisal.sim.World;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the evaluation over several worlds: for each, generate its events and labels, run the job
 * over them (the caller's {@link JobRun}, the same code path as {@code eval}), and score the last
 * day. The result is one {@link MatrixReport}.
 */
public final class WorldMatrix {

  /** Runs the job over an events file and writes its alerts as JSON lines. */
  @FunctionalInterface
  public interface JobRun {
    void run(Path events, Path alerts) throws Exception;
  }

  private WorldMatrix() {}

  /** The presets named in {@code names} (all of them when empty), each scaled by {@code scale}. */
  public static List<World> select(List<String> names, double scale) {
    List<World> out = new ArrayList<>();
    if (names == null || names.isEmpty()) {
      World.PRESETS.forEach(w -> out.add(w.scaled(scale)));
    } else {
      names.forEach(n -> out.add(World.named(n).scaled(scale)));
    }
    return out;
  }

  /**
   * Evaluates every world in order, holding the simulator-law oracles to a budget of 2^-{@code
   * lawBudgetBits} per normal user. Files go to {@code workDir/<world>/} and are deleted after
   * scoring unless {@code keepFiles}. Progress, one line per step, goes to {@code log}.
   */
  public static MatrixReport run(List<World> worlds, long seed, Path workDir, boolean keepFiles,
      double lawBudgetBits, JobRun job, PrintStream log) throws Exception {
    List<MatrixReport.WorldResult> results = new ArrayList<>();
    for (World world : worlds) {
      Path dir = Files.createDirectories(workDir.resolve(world.name()));
      Path events = dir.resolve("events.jsonl");
      Path labels = dir.resolve("labels.csv");
      Path alerts = dir.resolve("alerts.jsonl");
      long begin = System.nanoTime();
      Simulator sim = new Simulator(world.config(seed));
      long count;
      try (Writer w = writer(events)) {
        count = sim.writeEvents(w);
      }
      try (Writer w = writer(labels)) {
        sim.writeLabels(w);
      }
      log.printf(Locale.ROOT, "matrix: %s: %,d events generated; running the job...%n", world,
          count);
      job.run(events, alerts);
      EvalConfig scoring = new EvalConfig(world.learnDays(), world.config(seed).start());
      EvalReport report = Evaluation.evaluate(events, labels, alerts, scoring);
      double seconds = (System.nanoTime() - begin) / 1e9;
      log.printf(Locale.ROOT, "matrix: %s done in %.1f s%n", world.name(), seconds);
      // Each law holds only in the worlds that draw by it.
      LawVisits.Sample sample = LawVisits.Sample.of(events, labels, scoring.scoredStart());
      LawBound lengthLaw = LengthLawOracle.holdsIn(world)
          ? LengthLawOracle.evaluate(sample, lawBudgetBits, world.config(seed).maxEventsPerVisit())
          : null;
      LawBound paceLaw = PaceLawOracle.holdsIn(world)
          ? PaceLawOracle.evaluate(sample, lawBudgetBits, sim::longestGapSeconds)
          : null;
      results.add(new MatrixReport.WorldResult(world, count, report, seconds, lengthLaw, paceLaw));
      if (!keepFiles) {
        deleteFilesAndDir(dir);
      }
    }
    return new MatrixReport(seed, List.copyOf(results), lawBudgetBits);
  }

  /** Deletes the files of one world's directory (the job writes dead letters beside the alerts). */
  private static void deleteFilesAndDir(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(dir);
  }

  private static Writer writer(Path path) throws IOException {
    return new BufferedWriter(Files.newBufferedWriter(path, StandardCharsets.UTF_8), 1 << 16);
  }
}
