package io.surprisal.tools.cli;

import io.surprisal.event.EventParser;
import io.surprisal.job.LocalRunner;
import io.surprisal.sim.eval.EvalConfig;
import io.surprisal.sim.eval.EvalReport;
import io.surprisal.sim.eval.Evaluation;
import io.surprisal.sim.eval.MatrixReport;
import io.surprisal.sim.eval.WorldMatrix;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code surprisal eval}: runs the job exactly as {@code run} does, then scores it against labels;
 * with {@code --matrix}, over a grid of simulated worlds.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Run the job over labelled events (as `run` does) and print recall, precision and false-positive rate per profile and scenario, beside the seed notebook's method.",
                "With --matrix: generate each world of a grid (default, sparse, heavy, small-site, mobile-heavy, many-new; docs/simulator-worlds.md), run the job over it the same way, score its last day, and print one table."})
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--input", paramLabel = "FILE", description = "events as JSON lines (from `generate`)")
    Path input;

    @Option(names = "--labels", paramLabel = "FILE", description = "labels CSV (from `generate`)")
    Path labels;

    @Option(names = "--matrix", description = "evaluate over the grid of simulated worlds instead of --input/--labels")
    boolean matrix;

    @Option(names = "--worlds", split = ",", paramLabel = "NAME", description = "with --matrix: only these worlds, e.g. sparse,heavy (default: all)")
    List<String> worlds = new ArrayList<>();

    @Option(names = "--seed", defaultValue = "1", description = "with --matrix: simulator seed of every world (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--scale", defaultValue = "1", description = "with --matrix: multiply every world's users by this (at least 100 users; default ${DEFAULT-VALUE})")
    double scale;

    @Option(names = "--keep", paramLabel = "DIR", description = "with --matrix: keep each world's events, labels and alerts under DIR/<world>/")
    Path keep;

    @Option(names = "--details", description = "with --matrix: before the table, print each world's full `eval` table (per profile and scenario)")
    boolean details;

    @Option(names = "--learn-days", defaultValue = "1", description = "days the detectors learn before users are scored (default ${DEFAULT-VALUE})")
    int learnDays;

    @Option(names = "--detectors", split = ",", paramLabel = "NAME",
            description = "count only these detectors' alerts, e.g. model (default: every detector's)")
    List<String> detectors = new ArrayList<>();

    @Option(names = "--users", paramLabel = "FILE",
            description = "score only the users listed in FILE, one a line, e.g. a model's holdout-users.txt from `train`")
    Path users;

    @Option(names = "--report", paramLabel = "FILE", description = "also write the table as JSON")
    Path report;

    @Option(names = "--alerts-out", paramLabel = "FILE", description = "keep the alerts (default: a temporary file)")
    Path alertsOut;

    @Mixin
    JobOptions job = new JobOptions();

    @Override
    public Integer call() throws Exception {
        if (matrix) {
            return matrix();
        }
        if (input == null || labels == null) {
            throw new IllegalArgumentException("give --input FILE and --labels FILE (or --matrix)");
        }
        Path alerts = alertsOut != null ? alertsOut : Files.createTempFile("surprisal-eval-alerts", ".jsonl");
        Path dead = RunCommand.defaultDeadLetters(alerts);
        try {
            LocalRunner.Result r = RunCommand.runAndWrite(input, alerts, dead, job);
            RunSummary.print(System.err, input.toString(), r);
            java.util.Set<String> scored = users == null ? null : new java.util.HashSet<>(Files.readAllLines(users, StandardCharsets.UTF_8));
            java.util.Set<String> counted = detectors.isEmpty() ? null : java.util.Set.copyOf(detectors);
            EvalReport rep = Evaluation.evaluate(input, labels, alerts, new EvalConfig(learnDays, firstDay(input)), scored, counted);
            System.out.println(rep.toTable());
            if (report != null) {
                Files.writeString(report, rep.toJson(), StandardCharsets.UTF_8);
            }
            return 0;
        } finally {
            if (alertsOut == null) {
                Files.deleteIfExists(alerts);
                Files.deleteIfExists(dead);
            }
        }
    }

    private int matrix() throws Exception {
        if (input != null || labels != null || alertsOut != null) {
            throw new IllegalArgumentException("--matrix generates its own events: drop --input, --labels and --alerts-out");
        }
        var selected = WorldMatrix.select(worlds, scale);
        Path work = keep != null ? Files.createDirectories(keep) : JobOptions.tempDir();
        try {
            MatrixReport rep = WorldMatrix.run(selected, seed, work, keep != null,
                    (events, alerts) -> RunSummary.print(System.err, events.toString(),
                            RunCommand.runAndWrite(events, alerts, null, job)),
                    System.err);
            if (details) {
                for (MatrixReport.WorldResult w : rep.worlds()) {
                    System.out.printf("== %s%n%s%n", w.world(), w.report().toTable());
                }
            }
            System.out.print(rep.toTable());
            if (report != null) {
                Files.writeString(report, rep.toJson(), StandardCharsets.UTF_8);
            }
            return 0;
        } finally {
            if (keep == null) {
                JobOptions.deleteTree(work);
            }
        }
    }

    /** Midnight UTC of the first event's day: day 0 of the evaluation. */
    static Instant firstDay(Path input) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    return Instant.ofEpochMilli(EventParser.parse(line).ts).truncatedTo(ChronoUnit.DAYS);
                } catch (EventParser.InvalidEventException e) {
                    // skip lines the job would dead-letter too
                }
            }
        }
        throw new IOException(input + " holds no event");
    }
}
