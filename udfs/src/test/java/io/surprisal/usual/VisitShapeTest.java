package io.surprisal.usual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;

/** The shape of a value around its visit's mean ({@link LogPopulation#skewness}) and the tail of a visit's mean judged with it. */
class VisitShapeTest {

    private static LogMoments user(double mean, int count, double variance) {
        LogMoments u = new LogMoments();
        u.count = count;
        u.mean = mean;
        u.m2 = variance * (count - 1);
        return u;
    }

    /**
     * {@code visits} visits of values {0, 0, 3} + a shift of shift + 0.5 x (0 to 4): deviations -1,
     * -1, 2 from their mean, whose users' usual values lie apart.
     */
    private static LogPopulation skewed(int visits, double shift) {
        LogPopulation p = new LogPopulation();
        for (int i = 0; i < visits; i++) {
            double at = shift + 0.5 * (i % 5);
            double a = at, b = at, c = 3 + at;
            p.learnBatch(3, a + b + c, a * a + b * b + c * c, a * a * a + b * b * b + c * c * c, user(1 + at + 0.1 * (i % 3), 10, 3), Double.NaN, 2);
        }
        return p;
    }

    @Test
    void theSkewnessIsTheVisitsMeanThirdMomentOverTheirVariance() {
        // Sum of cubed deviations -1 - 1 + 8 = 6; k3 = 3 / (2 x 1) x 6 = 9; sample variance (1 + 1 + 4) / 2 = 3; 9 / 3^1.5 = sqrt 3.
        assertThat(skewed(100, 0).skewness()).isCloseTo(Math.sqrt(3), within(1e-12));
        // Where the values lie does not matter, only their shape around their visit's mean.
        assertThat(skewed(100, 2.5).skewness()).isCloseTo(Math.sqrt(3), within(1e-9));
        assertThat(skewed(99, 0).skewness()).as("fewer visits than it takes").isNaN();
        // Negated values: the mirror shape.
        LogPopulation mirror = new LogPopulation();
        for (int i = 0; i < 100; i++) {
            mirror.learnBatch(3, -3, 9, -27, user(-1, 10, 3), Double.NaN, 2);
        }
        assertThat(mirror.skewness()).isCloseTo(-Math.sqrt(3), within(1e-12));
    }

    @Test
    void visitsWithoutCubesOrOfTwoValuesTeachNoShape() {
        LogPopulation p = new LogPopulation();
        for (int i = 0; i < 200; i++) {
            p.learnBatch(3, 3, 9, user(1, 10, 3), Double.NaN, 2);
            p.learnBatch(3, 3, 9, Double.NaN, user(1, 10, 3), Double.NaN, 2);
            p.learnBatch(2, 3, 9, 27, user(1, 10, 3), Double.NaN, 1);
        }
        assertThat(p.visits()).isEqualTo(600);
        assertThat(p.skewness()).isNaN();
    }

    @Test
    void theShapeSurvivesWritingMergingAndSharing() {
        LogPopulation p = skewed(150, 0);
        p.learnBatch(4, 4, 10, 28, user(1, 10, 3), Double.NaN, 3);
        LogPopulation back = LogPopulation.fromTaggedBytes(p.toTaggedBytes(0, 1));
        assertThat(back.skewness()).isEqualTo(p.skewness());
        LogPopulation halves = skewed(150, 0).sharedBy(2);
        halves.learnBatch(4, 4, 10, 28, user(1, 10, 3), Double.NaN, 3);
        halves.merge(skewed(150, 0).sharedBy(2));
        // Shared, each half keeps 75 visits' worth: merged, 150 and the one of 4 values, as before.
        assertThat(halves.skewness()).isCloseTo(p.skewness(), within(1e-12));
    }

    @Test
    void aPopulationWrittenBeforeTheShapeWasCountedIsReadWithoutIt() throws IOException {
        byte[] old = GoldenPopulations.read("log-population-without-skew.bin.gz");
        // Written by the previous code: 120 visits of 4 logs of users with 10 (the figures it printed).
        LogPopulation p = LogPopulation.fromTaggedBytes(old);
        assertThat(LogPopulation.ownerOf(old)).isEqualTo(1);
        assertThat(LogPopulation.parallelismOf(old)).isEqualTo(2);
        assertThat(p.count()).isEqualTo(480);
        assertThat(p.mean()).isCloseTo(1.2499999999999996, within(1e-15));
        assertThat(p.totalVariance()).isCloseTo(0.031315240083507306, within(1e-15));
        assertThat(p.visits()).isEqualTo(120);
        assertThat(p.judged()).isEqualTo(30);
        assertThat(p.prior()).isEqualTo(new LogPopulation.Prior(1.2499999999999996, 285.65933162113527, 0.0729380681818182, 0.037263125000000015, true));
        assertThat(p.skewness()).isNaN();
        LogPopulation again = LogPopulation.fromTaggedBytes(p.toTaggedBytes(1, 2));
        assertThat(again.toTaggedBytes(1, 2)).isEqualTo(p.toTaggedBytes(1, 2));
    }

    @Test
    void aVisitsMeanIsJudgedByTheSkewedTailOverTheUsersSpread() {
        LogPopulation p = skewed(150, 0);
        BlendedLogModel model = new BlendedLogModel(100);
        model.restore(p.copy());
        LogMoments h = user(1, 20, 3);
        BlendedLogModel.Prediction one = model.predict(h);
        BlendedLogModel.Prediction twelve = model.predictMean(h, 12, 0);
        assertThat(twelve.dof()).as("the user's degrees of freedom, the shape known").isEqualTo(one.dof());
        double kappaN = p.prior().weightFor(h) + 20;
        double spread = one.scale() * one.scale() / (1 + 1 / kappaN);
        double tau2 = p.prior().visitEffect();
        assertThat(twelve.scale()).isCloseTo(Math.sqrt(spread * (1.0 / 12 + 1 / kappaN) + tau2), within(1e-12));
        for (double z : new double[] {2, 5, 9}) {
            double mean = twelve.location() + z * twelve.scale();
            double expected = SkewedMeanTail.bitsWithUncertainSpread(z * twelve.scale(), 12, spread, one.dof(), Math.sqrt(3), 1 / kappaN, tau2);
            BlendedLogModel.Judgement j = model.judgeMean(h, mean, 12, 0, Double.POSITIVE_INFINITY);
            assertThat(j.modelBits()).as("z=%.0f", z).isCloseTo(expected, within(1e-9));
        }
        // Far out, heavier than the t of the user's degrees of freedom (the skew) and than the skewed tail of a known spread.
        double far = twelve.location() + 9 * twelve.scale();
        double bits = model.judgeMean(h, far, 12, 0, Double.POSITIVE_INFINITY).modelBits();
        assertThat(bits).isLessThan(-Math.log(new TDistribution(one.dof()).cumulativeProbability(-9)) / Math.log(2))
                .isLessThan(SkewedMeanTail.bits(9 * twelve.scale(), 12, Math.sqrt(spread), Math.sqrt(3), spread / kappaN + tau2));
        // Without the shape, the t of the visit's own degrees of freedom, as before.
        BlendedLogModel shapeless = new BlendedLogModel(100);
        LogPopulation q = new LogPopulation();
        for (int i = 0; i < 150; i++) {
            q.learnBatch(3, 3, 9, user(1, 10, 3), Double.NaN, 2);
        }
        shapeless.restore(q);
        assertThat(shapeless.predictMean(h, 12, 0).dof()).isEqualTo(11);
    }
}
