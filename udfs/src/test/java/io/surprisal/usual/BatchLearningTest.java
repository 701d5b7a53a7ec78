package io.surprisal.usual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Learning many logs at once (a session's gaps) is learning them one by one; a mean of n is judged with the spread of a mean. */
class BatchLearningTest {
    private static final double[] LOGS = {0.5, 1.5, 2.0, 3.5, 1.0};

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    private static double squares(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return s;
    }

    @Test
    void aBatchOfLogsGivesTheMomentsOfTheLogsOneByOne() {
        LogMoments one = new LogMoments();
        one.learn(2.0, 100);
        LogMoments batch = one.snapshot();
        for (double x : LOGS) {
            one.learn(x, 100);
        }
        batch.learnBatch(LOGS.length, sum(LOGS), squares(LOGS), 100);
        // By hand: 2.0, 0.5, 1.5, 2.0, 3.5, 1.0: mean 10.5 / 6 = 1.75, squared deviations 5.375.
        assertThat(batch.count).isEqualTo(6);
        assertThat(batch.mean).isCloseTo(1.75, within(1e-12));
        assertThat(batch.m2).isCloseTo(5.375, within(1e-12));
        assertThat(one.m2).isCloseTo(5.375, within(1e-12));
    }

    @Test
    void pastItsMemoryABatchFadesTheOldEvidenceAndCountsAsAtMostMaxEvidenceValues() {
        LogMoments h = new LogMoments();
        for (int i = 0; i < 4; i++) {
            h.learn(10, 4); // four values of 10, no spread
        }
        h.learnBatch(2, 2.0, 2.0, 4); // two values of 1
        // Two old values kept (m2 0), two new: mean (20 + 2) / 4 = 5.5.
        assertThat(h.count).isEqualTo(4);
        assertThat(h.mean).isCloseTo(5.5, within(1e-12));
        assertThat(h.m2).isCloseTo(2 * 4.5 * 4.5 + 2 * 4.5 * 4.5, within(1e-9));
        h.learnBatch(10, 10 * 3.0, 10 * 9.0 + 9 * 4.0, 4); // ten values around 3, more than the memory
        assertThat(h.count).isEqualTo(4);
        assertThat(h.mean).isCloseTo(3.0, within(1e-12));
        // Their spread: sample variance 4, kept for 4 values: m2 = 3 x 4.
        assertThat(h.m2).isCloseTo(12.0, within(1e-9));
    }

    @Test
    void aPopulationLearnsABatchAsItsValuesOneByOne() {
        LogMoments user = new LogMoments();
        user.learn(1.0, 50);
        user.learn(2.0, 50);
        user.learn(4.0, 50);
        LogPopulation single = new LogPopulation();
        LogPopulation batch = new LogPopulation();
        single.learn(3.0, user, Double.NaN);
        batch.learn(3.0, user, Double.NaN);
        for (double x : LOGS) {
            single.learn(x, user);
        }
        batch.learnBatch(LOGS.length, sum(LOGS), squares(LOGS), user, 7.0, BlendedLogModel.meanEvidence(LOGS.length, user.count));
        assertThat(batch.count()).isEqualTo(single.count());
        assertThat(batch.mean()).isCloseTo(single.mean(), within(1e-12));
        assertThat(batch.totalVariance()).isCloseTo(single.totalVariance(), within(1e-12));
        assertThat(batch.withinVariance()).isCloseTo(single.withinVariance(), within(1e-12));
        assertThat(batch.judged()).as("a batch judged together is one judgement").isEqualTo(1);
    }

    @Test
    void theMeanOfManyValuesIsPredictedTighterThanOneAndItsTailGrowsWithThem() {
        BlendedLogModel model = new BlendedLogModel(100);
        Random r = new Random(7);
        for (int u = 0; u < 200; u++) {
            LogMoments h = new LogMoments();
            double centre = 2 + 0.3 * r.nextGaussian();
            for (int i = 0; i < 20; i++) {
                double x = centre + r.nextGaussian();
                model.teach(x, h, null);
                model.learn(h, x, 50);
            }
            model.advanceTo(u + 1);
        }
        LogMoments h = new LogMoments();
        for (int i = 0; i < 40; i++) {
            model.learn(h, 2 + r.nextGaussian(), 50);
        }
        BlendedLogModel.Prediction one = model.predict(h);
        BlendedLogModel.Prediction ten = model.predictMean(h, 10, 0);
        assertThat(ten.location()).isEqualTo(one.location());
        // sigma^2 (1/10 + 1/kappaN) against sigma^2 (1 + 1/kappaN), kappaN = kappa0 + 40; 9 degrees of freedom, its own sample's.
        double kappaN = model.population().priorPurchases() + h.count;
        assertThat(ten.scale()).isCloseTo(one.scale() * Math.sqrt((0.1 + 1 / kappaN) / (1 + 1 / kappaN)), within(1e-12));
        assertThat(ten.dof()).isEqualTo(9);
        // Ten values spread more than the user's own: their spread counts.
        double perValue = one.scale() * one.scale() / (1 + 1 / kappaN);
        assertThat(model.predictMean(h, 10, 4 * perValue).scale()).isCloseTo(2 * ten.scale(), within(1e-12));
        assertThat(model.predictMean(h, 10, 4 * perValue).dof()).isEqualTo(9);
        // A mean one unit above the usual: barely unusual for one value, far out for the mean of twenty,
        // and less so for the mean of three (its own sample's 2 degrees of freedom).
        double x = one.location() + 1;
        double single = model.judge(h, x, Double.POSITIVE_INFINITY).modelBits();
        double twenty = model.judgeMean(h, x, 20, 0, Double.POSITIVE_INFINITY).modelBits();
        double three = model.judgeMean(h, x, 3, 0, Double.POSITIVE_INFINITY).modelBits();
        assertThat(twenty).isGreaterThan(4 * single);
        assertThat(three).isLessThan(twenty / 2);
    }

    @Test
    void aBatchTeachesItsUserNoFurtherThanTheClipAllowsAndKeepsItsSpread() {
        BlendedLogModel model = new BlendedLogModel(10);
        Random r = new Random(9);
        for (int u = 0; u < 50; u++) {
            LogMoments h = new LogMoments();
            for (int i = 0; i < 10; i++) {
                double x = r.nextGaussian();
                model.teach(x, h, null);
                model.learn(h, x, 50);
            }
            model.advanceTo(u + 1);
        }
        LogMoments h = new LogMoments();
        for (int i = 0; i < 30; i++) {
            model.learn(h, r.nextGaussian(), 50);
        }
        BlendedLogModel.Prediction p = model.predict(h);
        LogMoments after = h.snapshot();
        // Five values far above: their mean is moved to the clip of one value, their spread (1 about their mean) kept.
        model.learnBatch(after, 5, 5 * 100.0, 5 * 100.0 * 100.0 + 4.0, 50);
        LogMoments expected = h.snapshot();
        double clipped = p.location() + BlendedLogModel.LEARN_CLIP_SCALES * p.scale();
        expected.learnBatch(5, 5 * clipped, 5 * clipped * clipped + 4.0, 50);
        assertThat(after.mean).isCloseTo(expected.mean, within(1e-9));
        assertThat(after.m2).isCloseTo(expected.m2, within(1e-6));
    }
}
