package io.surprisal.tools.cli;

import io.surprisal.classifier.ModelCard;
import io.surprisal.classifier.ModelFiles;
import io.surprisal.job.LocalRunner;
import io.surprisal.novelty.LoginFeatures;
import io.surprisal.session.SessionFeatures;
import io.surprisal.tools.train.Candidate;
import io.surprisal.tools.train.Grid;
import io.surprisal.tools.train.GridSearch;
import io.surprisal.tools.train.ModelExport;
import io.surprisal.tools.train.Labels;
import io.surprisal.tools.train.LabelledRow;
import io.surprisal.tools.train.VectorLines;
import io.surprisal.tools.train.Splits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code surprisal train}: runs the job over labelled events with its closed-session and login
 * vectors on (the job's own vector code), and for each vector splits the rows by user and by time,
 * cross-validates a grid of classifiers, writes every combination's scores, and saves the best
 * model the job can run.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train detector model's classifier on labelled events (docs/detectors.md, \"model\").",
                "Runs the job over --input with its session and login vectors on, labels each closed session and login (malicious: a bot, spammer, fraudster or attacker's, or an attacked user's from the attack's start), "
                        + "holds out --holdout-percent of the users and everything from --train-days on, cross-validates a grid of Tribuo classifiers per vector (folds by user), "
                        + "and writes to --out: grid.csv and login-grid.csv (every combination's scores), the best ONNX-exportable models (model.onnx, model.json, model.tribuo; login-model.*) and holdout-users.txt."})
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, paramLabel = "FILE", description = "events as JSON lines (from `generate`)")
    Path input;

    @Option(names = "--labels", required = true, paramLabel = "FILE", description = "labels CSV: user,type,scenario,scenario_start")
    Path labels;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the model directory to write")
    Path out;

    @Option(names = "--sessions", paramLabel = "FILE", description = "closed sessions from `run --sessions-out` instead of running the job")
    Path sessions;

    @Option(names = "--logins", paramLabel = "FILE", description = "logins from `run --logins-out` instead of running the job")
    Path logins;

    @Option(names = "--vectors", split = ",", defaultValue = "session,login", paramLabel = "VECTOR",
            description = "the models to train: session, login or both (default ${DEFAULT-VALUE})")
    List<String> vectors;

    @Option(names = "--train-days", defaultValue = "1", description = "days from the first event's midnight whose sessions and logins train (default ${DEFAULT-VALUE}); later ones never do")
    int trainDays;

    @Option(names = "--holdout-percent", defaultValue = "30", description = "users held out of training, by hash (default ${DEFAULT-VALUE})")
    int holdoutPercent;

    @Option(names = "--folds", defaultValue = "5", description = "cross-validation folds, by user (default ${DEFAULT-VALUE})")
    int folds;

    @Option(names = "--min-probability", defaultValue = "0.9", description = "probability at which a session or login counts as flagged, as detectors.model.min-probability (default ${DEFAULT-VALUE})")
    double minProbability;

    @Option(names = "--families", split = ",", paramLabel = "NAME", description = "only these classifier families (default: all)")
    List<String> families = new ArrayList<>();

    @Option(names = "--seed", defaultValue = "1", description = "seed of the split, the folds and the trainers (default ${DEFAULT-VALUE})")
    long seed;

    @Mixin
    JobOptions job = new JobOptions();

    /** Tribuo logs every trainer's progress: held here, so the level stays set. */
    private static final java.util.logging.Logger TRIBUO_LOG = java.util.logging.Logger.getLogger("org.tribuo");

    @Override
    public Integer call() throws Exception {
        TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING);
        for (String v : vectors) {
            if (!ModelFiles.SESSION.equals(v) && !ModelFiles.LOGIN.equals(v)) {
                throw new IllegalArgumentException("--vectors: session or login, got " + v);
            }
        }
        boolean wantSessions = vectors.contains(ModelFiles.SESSION);
        boolean wantLogins = vectors.contains(ModelFiles.LOGIN);
        LocalRunner.Result run = (wantSessions && sessions == null) || (wantLogins && logins == null)
                ? runJob(wantSessions && sessions == null, wantLogins && logins == null) : null;
        Labels l = Labels.read(labels);
        Instant cut = EvalCommand.firstDay(input).plusSeconds(86_400L * trainDays);
        TreeSet<String> heldOut = new TreeSet<>();
        Files.createDirectories(out);
        long version = System.currentTimeMillis() / 1000;
        if (wantSessions) {
            List<String> lines = sessions != null ? Files.readAllLines(sessions, StandardCharsets.UTF_8) : run.closedSessions();
            train(ModelFiles.SESSION, SessionFeatures.NAMES, SessionFeatures.COUNT, lines, l, cut, heldOut, version, "grid.csv");
        }
        if (wantLogins) {
            List<String> lines = logins != null ? Files.readAllLines(logins, StandardCharsets.UTF_8) : run.logins();
            train(ModelFiles.LOGIN, LoginFeatures.NAMES, LoginFeatures.COUNT, lines, l, cut, heldOut, version, "login-grid.csv");
        }
        Files.write(out.resolve("holdout-users.txt"), heldOut, StandardCharsets.UTF_8);
        System.out.printf(Locale.ROOT, "wrote %s/holdout-users.txt (%d users)%n", out, heldOut.size());
        return 0;
    }

    /**
     * One vector's model: its rows split by user and time, the grid cross-validated, every
     * combination's scores to {@code gridCsv}, the best the job can run saved. The held-out users
     * join {@code heldOut}.
     */
    private void train(String vector, String[] names, int vectorVersion, List<String> lines, Labels l, Instant cut,
            TreeSet<String> heldOut, long version, String gridCsv) throws Exception {
        List<LabelledRow> train = new ArrayList<>();
        long later = 0;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            VectorLines.Vector v = VectorLines.parse(line, names);
            if (!l.knows(v.user())) {
                continue;
            }
            if (Splits.heldOut(seed, v.user(), holdoutPercent)) {
                heldOut.add(v.user());
            } else if (v.ts() < cut.toEpochMilli()) {
                train.add(new LabelledRow(v.user(), v.ts(), v.features(), l.malicious(v.user(), v.ts())));
            } else {
                later++;
            }
        }
        String what = ModelFiles.LOGIN.equals(vector) ? "logins" : "sessions";
        long malicious = train.stream().filter(LabelledRow::malicious).count();
        System.err.printf(Locale.ROOT, "train %s: %d %s of %d users before %s (%d malicious); %d later %s left out%n",
                vector, train.size(), what, train.stream().map(LabelledRow::user).distinct().count(), cut, malicious, later, what);
        if (malicious == 0 || malicious == train.size()) {
            throw new IllegalArgumentException("the training " + what + " need both classes: " + malicious + " of " + train.size() + " malicious");
        }
        List<Candidate> grid = new ArrayList<>(Grid.candidates(seed));
        if (!families.isEmpty()) {
            grid.removeIf(c -> !families.contains(c.family()));
        }
        GridSearch search = new GridSearch(names, folds, minProbability, seed);
        System.err.printf(Locale.ROOT, "train %s: %d combinations x %d folds%n", vector, grid.size(), folds);
        List<GridSearch.Result> results = search.run(grid, train, System.err);
        GridSearch.Result best = GridSearch.best(results);
        GridSearch.writeCsv(out.resolve(gridCsv), results, folds, minProbability, best.id());
        String name = best.candidate().family() + "(" + best.candidate().paramText() + ")";
        ModelCard card = ModelExport.write(out, search.fit(best.candidate(), train), name, version, train, names, vector, vectorVersion);
        System.out.printf(Locale.ROOT, "%s best: %d %s, cross-validated F1 %.3f (precision %.3f, recall %.3f) at p >= %.2f%n",
                vector, best.id(), name, best.pooled().f1(), best.pooled().precision(), best.pooled().recall(), minProbability);
        System.out.printf(Locale.ROOT, "wrote %s: %s, %s, %s (%d features, version %s)%n", out, gridCsv, ModelFiles.onnxFile(vector),
                ModelFiles.cardFile(vector), card.features().size(), card.version());
    }

    /** The job over --input, as `run --sessions-out --logins-out` runs it: its closed sessions' and logins' lines. */
    private LocalRunner.Result runJob(boolean sessionVectors, boolean loginVectors) throws Exception {
        if (sessionVectors) {
            job.sets.add("model.session.emit-vectors=true");
        }
        if (loginVectors) {
            job.sets.add("novelty.emit-vectors=true");
        }
        Path alerts = Files.createTempFile("surprisal-train-alerts", ".jsonl");
        Path dead = RunCommand.defaultDeadLetters(alerts);
        try {
            LocalRunner.Result r = RunCommand.runAndWrite(input, alerts, dead, job);
            RunSummary.print(System.err, input.toString(), r);
            return r;
        } finally {
            Files.deleteIfExists(alerts);
            Files.deleteIfExists(dead);
        }
    }
}
