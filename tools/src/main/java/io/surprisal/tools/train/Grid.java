package io.surprisal.tools.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;
import org.tribuo.classification.sgd.fm.FMClassificationTrainer;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.math.optimisers.AdaGrad;

/**
 * The grid {@code surprisal train} searches: logistic regression by SGD and by LibLinear,
 * factorization machines, and CART trees and random forests. The job runs only what Tribuo exports
 * to ONNX faithfully: logistic regression by SGD and factorization machines. The others are scored
 * for comparison: Tribuo 4.3 exports no trees, and its LibLinear export differs (below).
 */
public final class Grid {
    private Grid() {}

    public static List<Candidate> candidates(long seed) {
        List<Candidate> c = new ArrayList<>();
        for (boolean balanced : new boolean[] {false, true}) {
            for (double lr : new double[] {0.1, 1.0}) {
                int epochs = 10;
                c.add(new Candidate("logistic-regression", params("optimiser", "adagrad", "learning_rate", lr, "epochs", epochs),
                        balanced, true, w -> new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(lr, 0.1), epochs, seed)));
            }
            for (double cost : new double[] {0.1, 1.0, 10.0}) {
                // Scored only: Tribuo 4.3.2 exports binary LibLinear logistic regression as a softmax over
                // (w.x, -w.x), which doubles the logit (OnnxParityTest), so the job would not score what CV did.
                c.add(new Candidate("liblinear-logistic", params("type", "L2R_LR", "cost", cost), balanced, false, w -> {
                    LibLinearClassificationTrainer t = new LibLinearClassificationTrainer(
                            new LinearClassificationType(LinearClassificationType.LinearType.L2R_LR), cost, 1000, 0.01, seed);
                    if (w != 1f) {
                        t.setLabelWeights(Map.of(TrainingData.MALICIOUS, w, TrainingData.BENIGN, 1f));
                    }
                    return t;
                }));
            }
            int factors = 4;
            c.add(new Candidate("factorization-machine", params("optimiser", "adagrad", "learning_rate", 0.1, "epochs", 10, "factors", factors),
                    balanced, true, w -> new FMClassificationTrainer(new LogMulticlass(), new AdaGrad(0.1, 0.1), 10, seed, factors, 0.1)));
        }
        for (int depth : new int[] {6, 12}) {
            c.add(new Candidate("cart", params("max_depth", depth), false, false, w -> new CARTClassificationTrainer(depth)));
        }
        c.add(new Candidate("random-forest", params("trees", 20, "max_depth", 10, "feature_fraction", 0.5), false, false,
                w -> new RandomForestTrainer<>(new CARTClassificationTrainer(10, 0.5f, seed), new VotingCombiner(), 20, seed)));
        return c;
    }

    private static Map<String, String> params(Object... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i].toString(), kv[i + 1].toString());
        }
        return m;
    }

    /** Trainers that take example weights ignore none; LibLinear takes label weights instead ({@link #candidates}). */
    static boolean weighsExamples(Trainer<Label> t) {
        return !(t instanceof LibLinearClassificationTrainer);
    }
}
