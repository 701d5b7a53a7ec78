package io.surprisal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.amazon.randomcutforest.RandomCutForest;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig.SessionForestDetectorConfig;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The forest's early stop: a score that may reach the cutoff is every tree's; one that stops is below it. */
class ScoreUnlessBelowCutoffTest {
    @Test
    void theBoundIsTheMeanPlusFourStandardErrorsWithTheFinitePopulationCorrectionFivePercentBelowTheCutoff() {
        // The bound must stay 5% below the cutoff: 5.390 against 5.68 x 0.95 = 5.396.
        ScoreUnlessBelowCutoff s = new ScoreUnlessBelowCutoff(5.68, 15);
        for (double v : new double[] {1, 2, 3, 4}) {
            s.accept(v);
            assertThat(s.isConverged()).as("fewer than five trees never stop").isFalse();
        }
        s.accept(5.0);
        // mean 3, sample variance 2.5, standard error sqrt(2.5 x 10 / (5 x 14)) = 0.5976: 3 + 4 x 0.5976 = 5.390.
        assertThat(s.upperBound()).isCloseTo(5.390, within(1e-3));
        assertThat(s.isConverged()).isTrue();
        assertThat(s.getValuesAccepted()).isEqualTo(5);
        assertThat(s.getAccumulatedValue()).isEqualTo(15.0);

        ScoreUnlessBelowCutoff closer = new ScoreUnlessBelowCutoff(5.67, 15);
        for (double v : new double[] {1, 2, 3, 4, 5}) {
            closer.accept(v);
        }
        assertThat(closer.isConverged()).isFalse();
    }

    @Test
    void theLastTreeIsNeverSkipped() {
        ScoreUnlessBelowCutoff s = new ScoreUnlessBelowCutoff(100, 5);
        for (int i = 0; i < 5; i++) {
            s.accept(1.0);
        }
        assertThat(s.isConverged()).isFalse();
        assertThat(s.getValuesAccepted()).isEqualTo(5);
    }

    /**
     * Over a forest of the default size learned from ordinary sessions, and sessions of every kind
     * (ordinary, and with one to three features far off): with the cutoff at the top 1%, 0.1% and
     * 0.01% of the scores, every session whose full score reaches it gets exactly the full score,
     * and every one that stops early is below it; most stop early.
     */
    @Test
    void everyScoreThatReachesTheCutoffIsTheFullScore() {
        SessionForestDetectorConfig config = ConfigLoader.defaults().detectors().sessionForest();
        RandomCutForest forest = SessionForestDetector.newForest(config);
        Random r = new Random(11);
        double[] point = new double[SessionForestDetector.dimensions()];
        for (int i = 0; i < 3000; i++) {
            forest.update(floats(point(r, 0, point)));
        }
        int n = 20_000;
        float[][] points = new float[n][];
        double[] full = new double[n];
        for (int i = 0; i < n; i++) {
            points[i] = floats(point(r, i % 10 == 0 ? 1 + r.nextInt(3) : 0, point));
            full[i] = forest.getAnomalyScore(points[i]);
        }
        double[] sorted = full.clone();
        Arrays.sort(sorted);
        for (double top : new double[] {0.01, 0.001, 0.0001}) {
            double cutoff = sorted[(int) (n * (1 - top))];
            int stopped = 0;
            for (int i = 0; i < n; i++) {
                ScoreUnlessBelowCutoff trees = new ScoreUnlessBelowCutoff(cutoff, forest.getNumberOfTrees());
                double score = forest.traverseForest(points[i], SessionForestDetector.TREE_SCORES, trees, sum -> sum / trees.getValuesAccepted());
                if (trees.getValuesAccepted() < forest.getNumberOfTrees()) {
                    stopped++;
                    assertThat(full[i]).as("a score that stopped early").isLessThan(cutoff);
                    assertThat(score).as("what a score that stopped early counts as").isLessThan(cutoff);
                } else {
                    assertThat(score).isEqualTo(full[i]);
                }
            }
            System.out.printf("cutoff at the top %.2f%%: %d of %d scores stopped early%n", 100 * top, stopped, n);
            assertThat(stopped).isGreaterThan(n / 2);
        }
    }

    /** An ordinary session's point ({@link SessionForestDetectorTest#ordinary}), with {@code offFeatures} of its dimensions pushed far out. */
    private static double[] point(Random r, int offFeatures, double[] out) {
        SessionForestDetector.toPoint(SessionForestDetectorTest.ordinary(r), out);
        for (int k = 0; k < offFeatures; k++) {
            int d = r.nextInt(out.length);
            out[d] += (r.nextBoolean() ? 1 : -1) * (1 + 4 * r.nextDouble());
        }
        return out;
    }

    private static float[] floats(double[] p) {
        float[] f = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            f[i] = p[i] == 0 ? 0f : (float) p[i];
        }
        return f;
    }
}
