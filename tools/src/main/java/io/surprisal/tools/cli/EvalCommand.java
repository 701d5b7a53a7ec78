package io.surprisal.tools.cli;

import io.surprisal.event.EventParser;
import io.surprisal.job.LocalRunner;
import io.surprisal.sim.World;
import io.surprisal.sim.eval.EvalConfig;
import io.surprisal.sim.eval.EvalReport;
import io.surprisal.sim.eval.Evaluation;
import io.surprisal.sim.eval.LawBound;
import io.surprisal.sim.eval.MatrixReport;
import io.surprisal.sim.eval.SeedsReport;
import io.surprisal.sim.eval.WorldMatrix;
import io.surprisal.tools.methods.MethodsConfig;
import io.surprisal.tools.methods.MethodsEvaluation;
import io.surprisal.tools.methods.MethodsReport;
import io.surprisal.tools.groups.GroupsReplay;
import io.surprisal.tools.groups.GroupsReport;
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
                "With --methods: also score the job's closed-session vectors offline with the seeds' methods (z-score, Local Outlier Factor, isolation forest, one-class SVM) and print their precision and recall per group beside the job's (docs/evaluation.md).",
                "With --matrix: generate each world of a grid (default, sparse, heavy, small-site, mobile-heavy, many-new; docs/simulator-worlds.md), run the job over it the same way, score its last day, and print one table; with --seeds, one table per seed and then every seed side by side and added up."})
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--input", paramLabel = "FILE", description = "events as JSON lines (from `generate`)")
    Path input;

    @Option(names = "--labels", paramLabel = "FILE", description = "labels CSV (from `generate`)")
    Path labels;

    @Option(names = "--matrix", description = "evaluate over the grid of simulated worlds instead of --input/--labels")
    boolean matrix;

    @Option(names = "--worlds", split = ",", paramLabel = "NAME", description = "with --matrix: only these worlds, e.g. sparse,heavy (default: all of the grid), or worlds outside it: lognormal-gaps, lognormal-visits, personal-chains, personal-paces, personal-spending, mixed")
    List<String> worlds = new ArrayList<>();

    @Option(names = "--seed", description = "with --matrix: simulator seed of every world (default 1)")
    Long seed;

    @Option(names = "--seeds", paramLabel = "LIST", description = "with --matrix: run the grid once per seed, e.g. 1-16 or 1,2,7, print each seed's table, then one row per seed and every seed added up (instead of --seed)")
    String seeds;

    @Option(names = "--scale", defaultValue = "1", description = "with --matrix: multiply every world's users by this (at least 100 users; default ${DEFAULT-VALUE})")
    double scale;

    @Option(names = "--keep", paramLabel = "DIR", description = "with --matrix: keep each world's events, labels and alerts under DIR/<world>/ (with --seeds, DIR/seed-<seed>/<world>/)")
    Path keep;

    @Option(names = "--law-budget", paramLabel = "BITS",
            description = "with --matrix: hold the simulator-law oracles to 2^-BITS of normal users flagged a user-day, above 0 and at most 40"
                    + " (default ${DEFAULT-VALUE}, the detectors' default threshold-bits; docs/evaluation.md)")
    double lawBudget = LawBound.DEFAULT_BUDGET_BITS;

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

    @Option(names = "--methods", description = "also score the session vectors with the seeds' methods (z-score, LOF, isolation forest, one-class SVM) beside the job")
    boolean methods;

    @Option(names = "--sessions-out", paramLabel = "FILE", description = "with --methods: keep the closed-session vectors of this run (default: a temporary file; docs/session-vectors.md)")
    Path sessionsOut;

    @Option(names = "--methods-sample", defaultValue = "4000", paramLabel = "N",
            description = "with --methods: at most N sessions of the learning days fit each method (default ${DEFAULT-VALUE})")
    int methodsSample;
    @Option(names = "--groups", description = "also print how well behaviour groups match the labels' types (purity, the confusion table, group-change alerts), and search the KL limit (--kl-limits)")
    boolean groups;

    @Option(names = "--groups-only", description = "with --input/--labels: only the behaviour groups' tables and search, without running the job")
    boolean groupsOnly;

    @Option(names = "--kl-limits", split = ",", paramLabel = "BITS", description = "with --groups: the KL limits to search (default 0.25,0.5,1,2,4,8)")
    List<Double> klLimits = new ArrayList<>(List.of(0.25, 0.5, 1.0, 2.0, 4.0, 8.0));

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
        if (groupsOnly) {
            printGroups(input, labels, true);
            return 0;
        }
        if (methods) {
            job.sets.add("model.session.emit-vectors=true"); // a side output only: the alerts stay the same
        }
        Path alerts = alertsOut != null ? alertsOut : Files.createTempFile("surprisal-eval-alerts", ".jsonl");
        Path dead = RunCommand.defaultDeadLetters(alerts);
        Path sessions = !methods ? null
                : sessionsOut != null ? sessionsOut : Files.createTempFile("surprisal-eval-sessions", ".jsonl");
        try {
            LocalRunner.Result r = RunCommand.runAndWrite(input, alerts, dead, job);
            if (sessions != null) {
                RunCommand.writeLines(sessions, r.closedSessions());
            }
            RunSummary.print(System.err, input.toString(), r);
            java.util.Set<String> scored = users == null ? null : new java.util.HashSet<>(Files.readAllLines(users, StandardCharsets.UTF_8));
            java.util.Set<String> counted = detectors.isEmpty() ? null : java.util.Set.copyOf(detectors);
            EvalConfig evalConfig = new EvalConfig(learnDays, firstDay(input));
            EvalReport rep = Evaluation.evaluate(input, labels, alerts, evalConfig, scored, counted);
            System.out.println(rep.toTable());
            if (report != null) {
                Files.writeString(report, rep.toJson(), StandardCharsets.UTF_8);
            }
            if (methods) {
                MethodsReport m = MethodsEvaluation.evaluate(input, labels, alerts, sessions, evalConfig,
                        MethodsConfig.DEFAULT.withFitSample(methodsSample));
                System.out.println();
                System.out.print(m.toTable());
            }
            if (groups) {
                printGroups(input, labels, true);
            }
            return 0;
        } finally {
            if (alertsOut == null) {
                Files.deleteIfExists(alerts);
                Files.deleteIfExists(dead);
            }
            if (sessions != null && sessionsOut == null) {
                Files.deleteIfExists(sessions);
            }
        }
    }

    private int matrix() throws Exception {
        if (input != null || labels != null || alertsOut != null) {
            throw new IllegalArgumentException("--matrix generates its own events: drop --input, --labels and --alerts-out");
        }
        if (methods) {
            throw new IllegalArgumentException("--methods scores one world: generate it (`generate --world NAME`) and give --input and --labels");
        }
        if (!(lawBudget > 0 && lawBudget <= LawBound.MOST_BUDGET_BITS)) {
            throw new IllegalArgumentException("--law-budget must be above 0 and at most " + LawBound.MOST_BUDGET_BITS + " bits, not " + lawBudget);
        }
        if (seeds != null && seed != null) {
            throw new IllegalArgumentException("give --seed or --seeds, not both");
        }
        var selected = WorldMatrix.select(worlds, scale);
        if (seeds == null) {
            MatrixReport rep = runGrid(selected, seed == null ? 1 : seed, keep);
            if (report != null) {
                Files.writeString(report, rep.toJson(), StandardCharsets.UTF_8);
            }
            return 0;
        }
        List<MatrixReport> reports = new ArrayList<>();
        for (long s : SeedsReport.parseSeeds(seeds)) {
            System.out.printf("== seed %d%n", s);
            reports.add(runGrid(selected, s, keep == null ? null : keep.resolve("seed-" + s)));
            System.out.println();
        }
        SeedsReport seedsReport = new SeedsReport(reports);
        System.out.print(seedsReport.toTable());
        if (report != null) {
            Files.writeString(report, seedsReport.toJson(), StandardCharsets.UTF_8);
        }
        return 0;
    }

    /** The grid of {@code selected} worlds at {@code seed}, its table printed; each world's files kept under {@code keepDir} when given. */
    private MatrixReport runGrid(List<World> selected, long seed, Path keepDir) throws Exception {
        Path work = keepDir != null ? Files.createDirectories(keepDir) : JobOptions.tempDir();
        List<String> groupLines = new ArrayList<>();
        try {
            MatrixReport rep = WorldMatrix.run(selected, seed, work, keepDir != null, lawBudget,
                    (events, alerts) -> {
                        RunSummary.print(System.err, events.toString(), RunCommand.runAndWrite(events, alerts, null, job));
                        if (groups) {
                            String world = events.getParent().getFileName().toString();
                            System.out.printf("== behaviour groups: %s%n", world);
                            groupLines.add(printGroups(events, events.resolveSibling("labels.csv"), false).summaryLine(world));
                        }
                    },
                    System.err);
            if (details) {
                for (MatrixReport.WorldResult w : rep.worlds()) {
                    System.out.printf("== %s%n%s%n", w.world(), w.report().toTable());
                }
            }
            System.out.print(rep.toTable());
            if (groups) {
                System.out.println();
                System.out.println("behaviour groups per world (per type: purity, untyped users counted as misses, and typed/users;"
                        + " takeover users and normal users with a group-change alert, all days)");
                System.out.println(GroupsReport.summaryHeader("world"));
                groupLines.forEach(System.out::println);
            }
            return rep;
        } finally {
            if (keepDir == null) {
                JobOptions.deleteTree(work);
            }
        }
    }

    /**
     * Behaviour groups against the labels: the job's per-user operator replayed at the job's
     * parallelism ({@link GroupsReplay}), its tables, and with {@code search} one line per KL limit.
     */
    private GroupsReport printGroups(Path events, Path labelsCsv, boolean search) throws IOException {
        var config = job.resolveLocal(events);
        int parallelism = io.surprisal.job.LocalClusterConfiguration.parallelism(job.flinkSettings());
        var labelsByUser = io.surprisal.sim.eval.Evaluation.readLabels(labelsCsv);
        var all = GroupsReplay.read(events);
        var result = GroupsReplay.replay(all, config, parallelism);
        System.out.printf(java.util.Locale.ROOT, "behaviour groups (kl-limit-bits %.2f, parallelism %d)%n",
                config.model().groups().klLimitBits(), parallelism);
        GroupsReport report = GroupsReport.of(result, labelsByUser);
        System.out.println(report.toTable());
        if (!search) {
            return report;
        }
        System.out.println("KL limit searched against the labels (per type: purity, untyped users counted as misses, and typed/users;"
                + " takeover users and normal users with a group-change alert)");
        System.out.println(GroupsReport.summaryHeader("kl-limit"));
        for (double limit : klLimits) {
            List<String> sets = new ArrayList<>(job.sets);
            sets.add("model.groups.kl-limit-bits=" + limit);
            List<String> overrides = new ArrayList<>(List.of("source.type=file", "source.file.path=" + events));
            overrides.addAll(sets);
            var c = io.surprisal.config.ConfigLoader.load(job.config, overrides);
            var rep = GroupsReport.of(GroupsReplay.replay(all, c, parallelism), labelsByUser);
            System.out.println(rep.summaryLine(String.format(java.util.Locale.ROOT, "%.2f", limit)));
        }
        return report;
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
