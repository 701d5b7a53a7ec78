package io.surprisal.jmh;

import com.amazon.randomcutforest.RandomCutForest;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.session.ActionClass;
import io.surprisal.session.SessionForestDetector;
import io.surprisal.session.SessionFeatures;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What detector session-forest pays per visit: scoring a visit's point, and learning one (the
 * default forest, 15 trees of 256, over the 17 dimensions), on synthetic ordinary visits; the
 * forest is full before measuring, as in a job that has run for a while.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SessionForestBenchmark {
    private static final int POINTS = 65_536;
    private RandomCutForest forest;
    private double[][] points;
    private int next;

    @Setup
    public void setUp() {
        SurprisalConfig c = ConfigLoader.defaults();
        forest = SessionForestDetector.newForest(c.detectors().sessionForest());
        Random r = new Random(1);
        points = new double[POINTS][];
        double[] f = new double[SessionFeatures.COUNT];
        for (int i = 0; i < POINTS; i++) {
            java.util.Arrays.fill(f, 0);
            int browse = 2 + r.nextInt(10);
            f[SessionFeatures.ACTIONS + ActionClass.LOGIN] = 1;
            f[SessionFeatures.ACTIONS + ActionClass.BROWSE] = browse;
            f[SessionFeatures.ACTIONS + ActionClass.END] = 1;
            f[SessionFeatures.EVENTS] = 2 + browse;
            f[SessionFeatures.DURATION_S] = f[SessionFeatures.EVENTS] * 30 * Math.exp(0.4 * r.nextGaussian());
            f[SessionFeatures.MEAN_GAP_S] = f[SessionFeatures.DURATION_S] / (f[SessionFeatures.EVENTS] - 1);
            f[SessionFeatures.BITS] = 2.5 * f[SessionFeatures.EVENTS];
            f[SessionFeatures.HOUR] = (14 + 3 * r.nextGaussian() + 24) % 24;
            points[i] = new double[SessionForestDetector.dimensions()];
            SessionForestDetector.toPoint(f, points[i]);
        }
        for (int i = 0; i < 10 * c.detectors().sessionForest().sampleSize(); i++) {
            forest.update(points[i % POINTS]);
        }
    }

    @Benchmark
    public double score() {
        next = (next + 1) & (POINTS - 1);
        return forest.getAnomalyScore(points[next]);
    }

    @Benchmark
    public void learn() {
        next = (next + 1) & (POINTS - 1);
        forest.update(points[next]);
    }
}
