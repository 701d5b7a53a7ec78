package io.surprisal.usual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The sampling noise of a log sample variance, measured within users ({@link
 * LogPopulation#noiseInflation}), and the prior of users' spreads it sharpens ({@link
 * LogPopulation#varianceShape}).
 */
class SpreadNoiseTest {
    /** trigamma(1) + trigamma(5) = pi^2/6 + (pi^2/6 - 1 - 1/4 - 1/9 - 1/16): what normal values give a log variance of 3 values less one of 11. */
    private static final double NORMAL_NOISE = Math.PI * Math.PI / 3 - 205.0 / 144;
    /** trigamma(5): the noise of the log variance of a user's 11 values, were they normal. */
    private static final double USER_NOISE = Math.PI * Math.PI / 6 - 205.0 / 144;

    private static LogMoments user(int count, double variance) {
        LogMoments u = new LogMoments();
        u.count = count;
        u.mean = 1;
        u.m2 = variance * (count - 1);
        return u;
    }

    /** A visit of {@code n} values (2 or 3) about 1 whose sample variance is {@code variance}, of {@code user}. */
    private static void visit(LogPopulation p, int n, double variance, LogMoments user) {
        double d = Math.sqrt(variance);
        double[] values = n == 3 ? new double[] {1 - d, 1, 1 + d} : new double[] {1 - d / Math.sqrt(2), 1 + d / Math.sqrt(2)};
        double sum = 0, squares = 0, cubes = 0;
        for (double x : values) {
            sum += x;
            squares += x * x;
            cubes += x * x * x;
        }
        p.learnBatch(n, sum, squares, cubes, user, Double.NaN, n - 1);
    }

    /**
     * {@code visits} visits of 3 values by users of 11 values whose variance is 2 e^(+-userSpread)
     * (alternately), each visit's variance e^(+-visitSpread) times its user's (in pairs): the log
     * variances less their users' are +-visitSpread, less the same bias each.
     */
    private static LogPopulation population(int visits, double userSpread, double visitSpread) {
        LogPopulation p = new LogPopulation();
        for (int i = 0; i < visits; i++) {
            double userVariance = 2 * Math.exp(i % 2 == 0 ? userSpread : -userSpread);
            double visitVariance = userVariance * Math.exp((i / 2) % 2 == 0 ? visitSpread : -visitSpread);
            visit(p, 3, visitVariance, user(11, userVariance));
        }
        return p;
    }

    @Test
    void theNoiseIsHowMuchMoreVisitsVariancesScatterAboutTheirUsersThanNormalValuesWould() {
        // The differences are +-2: their variance is 4, against 1.866 from normal values.
        assertThat(NORMAL_NOISE).isCloseTo(1.8662570225853417, within(1e-12));
        assertThat(population(200, 0, 2).noiseInflation()).isCloseTo(4 / NORMAL_NOISE, within(1e-9)).isCloseTo(2.1433275, within(1e-7));
        // Where the users' spreads lie apart does not matter: within a user, the spread is one.
        assertThat(population(200, 0.5, 2).noiseInflation()).isCloseTo(4 / NORMAL_NOISE, within(1e-9));
        assertThat(population(99, 0, 2).noiseInflation()).as("fewer visits than it takes").isEqualTo(1.0);
        // Less scatter than normal values give is no reason to call the noise smaller.
        assertThat(population(200, 0, 1).noiseInflation()).isEqualTo(1.0);
    }

    @Test
    void visitsOfTwoValuesOrOfUsersWithLessHistoryMeasureNothing() {
        LogPopulation p = new LogPopulation();
        for (int i = 0; i < 200; i++) {
            double variance = 2 * Math.exp(i % 2 == 0 ? 2 : -2);
            visit(p, 2, variance, user(11, 2));
            visit(p, 3, variance, user(2, 2));
        }
        assertThat(p.visits()).isEqualTo(400);
        assertThat(p.noiseInflation()).isEqualTo(1.0);
    }

    @Test
    void theUsersSpreadsAreKnownBetterOnceTheNoiseIsMeasured() {
        // The users' log variances lie +-0.5 about their mean: 0.25 observed, less trigamma(5) per user.
        LogPopulation normalNoise = new LogPopulation();
        for (int i = 0; i < 200; i++) {
            visit(normalNoise, 2, 1, user(11, 2 * Math.exp(i % 2 == 0 ? 0.5 : -0.5)));
        }
        double v = 0.25 - USER_NOISE;
        assertThat(normalNoise.varianceShape(2, 1000)).isCloseTo((1 + Math.sqrt(1 + 2 * v)) / (2 * v), within(1e-9))
                .isCloseTo(35.364127, within(1e-6));
        // Visits scatter 1.96 / 1.866 times what normal values give: the users' own noise is that much more.
        LogPopulation measured = population(200, 0.5, 1.4);
        assertThat(measured.noiseInflation()).isCloseTo(1.96 / NORMAL_NOISE, within(1e-9));
        double w = 0.25 - 1.96 / NORMAL_NOISE * USER_NOISE;
        assertThat(measured.varianceShape(2, 1000)).isCloseTo((1 + Math.sqrt(1 + 2 * w)) / (2 * w), within(1e-7))
                .isCloseTo(57.443660, within(1e-5));
        // All of the users' scatter is noise: they spread alike, and the prior weighs the most it may.
        assertThat(population(200, 0.5, 2).varianceShape(2, 1000)).isEqualTo(1000.0);
    }

    @Test
    void theNoiseSurvivesWritingMergingAndSharing() {
        LogPopulation p = population(200, 0.5, 2);
        LogPopulation back = LogPopulation.fromTaggedBytes(p.toTaggedBytes(0, 1));
        assertThat(back.noiseInflation()).isEqualTo(p.noiseInflation());
        LogPopulation halves = population(200, 0.5, 2).sharedBy(2);
        halves.merge(population(200, 0.5, 2).sharedBy(2));
        assertThat(halves.noiseInflation()).isCloseTo(p.noiseInflation(), within(1e-12));
    }

    @Test
    void aPopulationWrittenBeforeTheNoiseWasMeasuredIsReadWithNormalNoise() {
        LogPopulation p = population(200, 0.5, 2);
        byte[] now = p.toTaggedBytes(1, 2);
        // The layout before: the same bytes without the noise's, which come last.
        byte[] before = Arrays.copyOf(now, now.length - LogPopulation.NOISE_BYTES);
        LogPopulation read = LogPopulation.fromTaggedBytes(before);
        assertThat(read.noiseInflation()).isEqualTo(1.0);
        assertThat(read.skewness()).isEqualTo(p.skewness());
        assertThat(read.prior()).isEqualTo(p.prior());
        assertThat(read.varianceShape(2, 1000)).isCloseTo(35.364127, within(1e-6));
    }
}
