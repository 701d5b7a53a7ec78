package io.surprisal.tools.cli;

import io.surprisal.classifier.ModelCard;
import io.surprisal.job.LocalRunner;
import io.surprisal.session.SessionFeatures;
import io.surprisal.tools.train.Candidate;
import io.surprisal.tools.train.Grid;
import io.surprisal.tools.train.GridSearch;
import io.surprisal.tools.train.ModelExport;
import io.surprisal.tools.train.SessionLabels;
import io.surprisal.tools.train.SessionRow;
import io.surprisal.tools.train.SessionVectorLines;
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
 * {@code surprisal train}: runs the job over labelled events with its closed-session vectors on (the
 * job's own vector code), splits the sessions by user and by time, cross-validates a grid of
 * classifiers, writes every combination's scores, and saves the best model the job can run.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train detector model's classifier on labelled events (docs/detectors.md, \"model\").",
                "Runs the job over --input with its session vectors on, labels each closed session (malicious: a bot, spammer, fraudster or attacker's, or an attacked user's from the attack's start), "
                        + "holds out --holdout-percent of the users and every session from --train-days on, cross-validates a grid of Tribuo classifiers (folds by user), "
                        + "and writes to --out: grid.csv (every combination's scores), the best ONNX-exportable model (model.onnx, model.json, model.tribuo) and holdout-users.txt."})
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, paramLabel = "FILE", description = "events as JSON lines (from `generate`)")
    Path input;

    @Option(names = "--labels", required = true, paramLabel = "FILE", description = "labels CSV: user,type,scenario,scenario_start")
    Path labels;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the model directory to write")
    Path out;

    @Option(names = "--sessions", paramLabel = "FILE", description = "closed sessions from `run --sessions-out` instead of running the job")
    Path sessions;

    @Option(names = "--train-days", defaultValue = "1", description = "days from the first event's midnight whose sessions train (default ${DEFAULT-VALUE}); later ones never do")
    int trainDays;

    @Option(names = "--holdout-percent", defaultValue = "30", description = "users held out of training, by hash (default ${DEFAULT-VALUE})")
    int holdoutPercent;

    @Option(names = "--folds", defaultValue = "5", description = "cross-validation folds, by user (default ${DEFAULT-VALUE})")
    int folds;

    @Option(names = "--min-probability", defaultValue = "0.9", description = "probability at which a session counts as flagged, as detectors.model.min-probability (default ${DEFAULT-VALUE})")
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
        String[] names = SessionFeatures.NAMES;
        List<String> lines = sessions != null ? Files.readAllLines(sessions, StandardCharsets.UTF_8) : runJob();
        SessionLabels l = SessionLabels.read(labels);
        Instant cut = EvalCommand.firstDay(input).plusSeconds(86_400L * trainDays);
        List<SessionRow> train = new ArrayList<>();
        TreeSet<String> heldOut = new TreeSet<>();
        long later = 0;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            SessionVectorLines.Vector v = SessionVectorLines.parse(line, names);
            if (!l.knows(v.user())) {
                continue;
            }
            if (Splits.heldOut(seed, v.user(), holdoutPercent)) {
                heldOut.add(v.user());
            } else if (v.ts() < cut.toEpochMilli()) {
                train.add(new SessionRow(v.user(), v.ts(), v.features(), l.malicious(v.user(), v.ts())));
            } else {
                later++;
            }
        }
        long malicious = train.stream().filter(SessionRow::malicious).count();
        System.err.printf(Locale.ROOT, "train: %d sessions of %d users before %s (%d malicious); %d users held out; %d later sessions left out%n",
                train.size(), train.stream().map(SessionRow::user).distinct().count(), cut, malicious, heldOut.size(), later);
        if (malicious == 0 || malicious == train.size()) {
            throw new IllegalArgumentException("the training sessions need both classes: " + malicious + " of " + train.size() + " malicious");
        }
        List<Candidate> grid = new ArrayList<>(Grid.candidates(seed));
        if (!families.isEmpty()) {
            grid.removeIf(c -> !families.contains(c.family()));
        }
        GridSearch search = new GridSearch(names, folds, minProbability, seed);
        System.err.printf(Locale.ROOT, "train: %d combinations x %d folds%n", grid.size(), folds);
        List<GridSearch.Result> results = search.run(grid, train, System.err);
        GridSearch.Result best = GridSearch.best(results);
        Files.createDirectories(out);
        GridSearch.writeCsv(out.resolve("grid.csv"), results, folds, minProbability, best.id());
        long version = System.currentTimeMillis() / 1000;
        String name = best.candidate().family() + "(" + best.candidate().paramText() + ")";
        ModelCard card = ModelExport.write(out, search.fit(best.candidate(), train), name, version, train, names, SessionFeatures.COUNT);
        Files.write(out.resolve("holdout-users.txt"), heldOut, StandardCharsets.UTF_8);
        System.out.printf(Locale.ROOT, "best: %d %s, cross-validated F1 %.3f (precision %.3f, recall %.3f) at p >= %.2f%n",
                best.id(), name, best.pooled().f1(), best.pooled().precision(), best.pooled().recall(), minProbability);
        System.out.printf(Locale.ROOT, "wrote %s: grid.csv, model.onnx, model.json (%d features, version %s), model.tribuo, holdout-users.txt (%d users)%n",
                out, card.features().size(), card.version(), heldOut.size());
        return 0;
    }

    /** The job over --input, as `run --sessions-out` runs it: its closed sessions' lines. */
    private List<String> runJob() throws Exception {
        job.sets.add("model.session.emit-vectors=true");
        Path alerts = Files.createTempFile("surprisal-train-alerts", ".jsonl");
        Path dead = RunCommand.defaultDeadLetters(alerts);
        try {
            LocalRunner.Result r = RunCommand.runAndWrite(input, alerts, dead, job);
            RunSummary.print(System.err, input.toString(), r);
            return r.closedSessions();
        } finally {
            Files.deleteIfExists(alerts);
            Files.deleteIfExists(dead);
        }
    }
}
