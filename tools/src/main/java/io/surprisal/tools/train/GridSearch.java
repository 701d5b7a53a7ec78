package io.surprisal.tools.train;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;

/**
 * k-fold cross-validation of every {@link Candidate}, folds by user (a user's sessions are all in
 * one fold, so no fold is judged on users it learned from). A session is flagged when the model's
 * malicious probability reaches {@code threshold}, the detector's {@code min-probability}.
 */
public final class GridSearch {
    /** One combination's scores, pooled over the folds, and the spread of its folds' F1. */
    public record Result(int id, Candidate candidate, Confusion pooled, double f1Mean, double f1Sd, double seconds) {}

    private final String[] names;
    private final int folds;
    private final double threshold;
    private final long seed;

    public GridSearch(String[] names, int folds, double threshold, long seed) {
        this.names = names.clone();
        this.folds = folds;
        this.threshold = threshold;
        this.seed = seed;
    }

    /** The fold of a user: the same for every one of its sessions. */
    int foldOf(String user) {
        return Math.floorMod(Splits.hash(seed, "fold:" + user), folds);
    }

    public List<Result> run(List<Candidate> candidates, List<LabelledRow> rows, PrintStream log) {
        List<Result> results = new ArrayList<>();
        int id = 0;
        for (Candidate c : candidates) {
            long t0 = System.nanoTime();
            Confusion pooled = new Confusion();
            double[] f1 = new double[folds];
            for (int k = 0; k < folds; k++) {
                List<LabelledRow> train = new ArrayList<>();
                List<LabelledRow> test = new ArrayList<>();
                for (LabelledRow r : rows) {
                    (foldOf(r.user()) == k ? test : train).add(r);
                }
                Confusion fold = new Confusion();
                Model<Label> m = fit(c, train);
                double[] p = probabilities(m, test);
                for (int i = 0; i < p.length; i++) {
                    fold.add(test.get(i).malicious(), p[i] >= threshold);
                }
                f1[k] = fold.f1();
                pooled.add(fold);
            }
            double mean = java.util.Arrays.stream(f1).average().orElse(0);
            double sd = Math.sqrt(java.util.Arrays.stream(f1).map(x -> (x - mean) * (x - mean)).sum() / Math.max(1, folds - 1));
            Result r = new Result(++id, c, pooled, mean, sd, (System.nanoTime() - t0) / 1e9);
            results.add(r);
            log.printf(Locale.ROOT, "  %2d %-22s %-60s F1 %.3f (folds %.3f +- %.3f) precision %.3f recall %.3f%n",
                    r.id(), c.family(), c.paramText(), pooled.f1(), mean, sd, pooled.precision(), pooled.recall());
        }
        return results;
    }

    /** The candidate trained on {@code rows}. */
    public Model<Label> fit(Candidate c, List<LabelledRow> rows) {
        float w = c.balanced() ? TrainingData.balancingWeight(rows) : 1f;
        Trainer<Label> t = c.trainer().apply(w);
        float exampleWeight = Grid.weighsExamples(t) ? w : 1f;
        return t.train(TrainingData.dataset(rows, names, exampleWeight));
    }

    /** The model's malicious probability of each row (its score for the malicious label). */
    public double[] probabilities(Model<Label> m, List<LabelledRow> rows) {
        List<Example<Label>> examples = new ArrayList<>(rows.size());
        for (LabelledRow r : rows) {
            examples.add(TrainingData.example(r, names, 1f));
        }
        List<Prediction<Label>> predictions = m.predict(examples);
        double[] p = new double[rows.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = maliciousScore(predictions.get(i));
        }
        return p;
    }

    static double maliciousScore(Prediction<Label> p) {
        Label s = p.getOutputScores().get(TrainingData.MALICIOUS.getLabel());
        if (s != null && p.hasProbabilities()) {
            return s.getScore();
        }
        return p.getOutput().equals(TrainingData.MALICIOUS) ? 1.0 : 0.0;
    }

    /** The best result the job can run (exported to ONNX): highest pooled F1, then the earlier. */
    public static Result best(List<Result> results) {
        Result best = null;
        for (Result r : results) {
            if (r.candidate().onnx() && (best == null || r.pooled().f1() > best.pooled().f1())) {
                best = r;
            }
        }
        if (best == null) {
            throw new IllegalStateException("no candidate the job can run (exported to ONNX)");
        }
        return best;
    }

    /** Every combination's scores and parameters, one row each. */
    public static void writeCsv(Path file, List<Result> results, int folds, double threshold, int best) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("id,family,params,onnx_exportable,folds,threshold,tp,fp,fn,tn,precision,recall,f1,f1_fold_mean,f1_fold_sd,seconds,best\n");
            for (Result r : results) {
                Confusion c = r.pooled();
                w.write(String.format(Locale.ROOT, "%d,%s,\"%s\",%b,%d,%.3f,%d,%d,%d,%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.1f,%b%n",
                        r.id(), r.candidate().family(), r.candidate().paramText(), r.candidate().onnx(), folds, threshold,
                        c.tp, c.fp, c.fn, c.tn, c.precision(), c.recall(), c.f1(), r.f1Mean(), r.f1Sd(), r.seconds(), r.id() == best));
            }
        }
    }
}
