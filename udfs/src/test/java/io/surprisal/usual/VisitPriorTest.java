package io.surprisal.usual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The prior of values learned a visit at a time ({@link LogPopulation#prior}), against hand-computed values. */
class VisitPriorTest {

    private static LogMoments user(double mean, int count) {
        LogMoments u = new LogMoments();
        u.count = count;
        u.mean = mean;
        return u;
    }

    /**
     * 50 visits of values {1, 3} (mean 2, sample variance 2) by users with history mean {@code a}
     * of 4 values, alternating with 50 of {5, 5, 7, 7} (mean 6, sample variance 4/3) by users with
     * history mean 6 of 1 value.
     */
    private static LogPopulation twoKinds(double a) {
        LogPopulation p = new LogPopulation();
        for (int i = 0; i < 50; i++) {
            p.learnBatch(2, 4, 10, user(a, 4), Double.NaN, 1);
            p.learnBatch(4, 24, 148, user(6, 1), Double.NaN, 3);
        }
        return p;
    }

    @Test
    void visitsWeighOneEachAndTheirMeansSpreadByTheUsersWhenTheyLieOnTheirUsersMeans() {
        // Kind A's history mean 1.5: d = 0.5; kind B's d = 0.
        LogPopulation p = twoKinds(1.5);
        LogPopulation.Prior prior = p.prior();
        // Centre: the mean of the visits' means, (2 + 6) / 2, not of the values (40 of 2, 100 of 6... per value 4.857).
        assertThat(prior.centre()).isCloseTo(4.0, within(1e-12));
        assertThat(p.mean()).isCloseTo((50 * 4 + 50 * 24) / 300.0, within(1e-12));
        // s^2 = (2 + 4/3) / 2 = 5/3; tau^2 = (50 x 0.25 - 5/3 x (50 x (1/2 + 1/4) + 50 x (1/4 + 1))) / 100 < 0: 0.
        assertThat(prior.visitEffect()).isZero();
        // Var(m) = 100 x 4 / 99; between = Var(m) - 0 - 5/3 x 0.375.
        double between = 400.0 / 99 - 5.0 / 3 * 0.375;
        // within: A (2/2 + 0.25) x 4/5 = 1, B (4/4 + 0) x 1/2 = 0.5: 0.75.
        assertThat(prior.within()).isCloseTo(0.75, within(1e-12));
        assertThat(prior.weight()).isCloseTo(0.75 / between, within(1e-12));
        assertThat(between).isCloseTo(3.415404, within(1e-6));
    }

    @Test
    void aVisitsDistanceFromItsUsersMeanBeyondItsNoiseIsTheVisitsEffect() {
        // Kind A's history mean -1: d = 3.
        LogPopulation p = twoKinds(-1);
        LogPopulation.Prior prior = p.prior();
        // tau^2 = (50 x 9 - 5/3 x 100) / 100 = 2.8333.
        double tau2 = (450 - 5.0 / 3 * 100) / 100;
        assertThat(prior.visitEffect()).isCloseTo(tau2, within(1e-12));
        assertThat(tau2).isCloseTo(2.833333, within(1e-6));
        // between = 400/99 - tau^2 - 5/3 x 0.375 = 0.582071; within: A (1 + 9) x 4/5 = 8, B 0.5: 4.25.
        double between = 400.0 / 99 - tau2 - 5.0 / 3 * 0.375;
        assertThat(between).isCloseTo(0.582071, within(1e-6));
        assertThat(prior.within()).isCloseTo(4.25, within(1e-12));
        assertThat(prior.weight()).isCloseTo(4.25 / between, within(1e-12));
    }

    @Test
    void theUsersMeansAreAStudentTAroundTheCentreSoAUsersWeightFallsWithItsDistance() {
        LogPopulation.Prior prior = twoKinds(-1).prior();
        // Centre 4, within 4.25, between 0.582071 (above). A history of 20 gaps: its mean's variance
        // around the centre is between + within / 20 = 0.794571.
        double between = 4.25 / prior.weight();
        double spread = between + 4.25 / 20;
        assertThat(spread).isCloseTo(0.794571, within(1e-6));
        // One such spread away (z^2 = 1): the population's weight; E[lambda | z] = (4 + 1) / (4 + z^2).
        assertThat(prior.weightFor(user(4 - Math.sqrt(spread), 20))).isCloseTo(prior.weight(), within(1e-12));
        // On the centre: 5/4 of it. At 3 (z^2 = 1.258541): 5 / 5.258541 of it.
        assertThat(prior.weightFor(user(4, 20))).isCloseTo(1.25 * prior.weight(), within(1e-12));
        assertThat(prior.weightFor(user(3, 20))).isCloseTo(prior.weight() * 5 / (4 + 1 / spread), within(1e-12));
        assertThat(1 / spread).isCloseTo(1.258541, within(1e-6));
        // A chance deviation of 2.3 such spreads keeps more than half of the weight.
        double weight = prior.weightFor(user(4 + 2.3 * Math.sqrt(spread), 20));
        assertThat(weight).isCloseTo(prior.weight() * 5 / (4 + 2.3 * 2.3), within(1e-12)).isGreaterThan(0.5 * prior.weight());
        // Far away (a bot among people): next to nothing, at least 0.1.
        assertThat(prior.weightFor(user(100, 20))).isEqualTo(0.1);
        assertThat(prior.weightFor(user(14, 20))).isCloseTo(prior.weight() * 5 / (4 + 100 / spread), within(1e-12)).isLessThan(0.05 * prior.weight());
        // No history: the population's weight.
        assertThat(prior.weightFor(user(9, 0))).isEqualTo(prior.weight());
        // Values learned one by one keep one weight for everyone.
        LogPopulation single = new LogPopulation();
        for (int i = 0; i < 500; i++) {
            single.learn(i % 3, user(1, 3));
        }
        assertThat(single.prior().weightFor(user(100, 20))).isEqualTo(single.prior().weight());
    }

    @Test
    void meansOfUsersWithoutHistoryAreCalibratedApart() {
        // Bucket 0 of the population's histograms: users without history; 2 to 4 values: evidence 1 to 3, bucket 1.
        assertThat(BlendedLogModel.meanEvidence(20, 0)).isZero();
        assertThat(LogPopulation.evidenceBucket(BlendedLogModel.meanEvidence(2, 1))).isEqualTo(1);
        assertThat(LogPopulation.evidenceBucket(BlendedLogModel.meanEvidence(16, 1))).isEqualTo(2);
        assertThat(LogPopulation.evidenceBucket(BlendedLogModel.meanEvidence(17, 1))).isEqualTo(3);
    }

    @Test
    void aSmallBucketOfUsersWithHistoryIsPooledWithoutTheUsersWithout() {
        LogPopulation p = new LogPopulation();
        LogMoments none = new LogMoments();
        LogMoments some = user(0, 5);
        for (int i = 0; i < 100; i++) {
            p.learnBatch(20, 0, 0, some, 1.0, BlendedLogModel.meanEvidence(20, 5)); // 1 bit, bucket 3
            p.learnBatch(20, 0, 0, none, 20.0, BlendedLogModel.meanEvidence(20, 0)); // 20 bits, bucket 0
        }
        // Both buckets under 2,000: pooled. With the new users: 100 of 200 at least 15 bits; without: 0 of 100.
        assertThat(p.calibratedBits(15, 19, false).bits()).isCloseTo(io.surprisal.model.MultipleTests.tailBits(100, 200), within(1e-12));
        LogPopulation.Calibrated apart = p.calibratedBits(15, 19, true);
        assertThat(apart.atLeast()).isZero();
        assertThat(apart.of()).isEqualTo(100);
        assertThat(apart.bits()).isCloseTo(io.surprisal.model.MultipleTests.tailBits(0, 100), within(1e-12));
        // A user without history is judged among all.
        assertThat(p.calibratedBits(15, 0, true).of()).isEqualTo(200);
    }

    @Test
    void betweenIsFlooredAtItsStandardError() {
        // Visit means 1.9 and 2.1 alternating, each visit of two values with m2 = 2 (sample variance 2), on its user's mean.
        LogPopulation p = new LogPopulation();
        for (int i = 0; i < 50; i++) {
            p.learnBatch(2, 3.8, 3.8 * 3.8 / 2 + 2, user(1.9, 10), Double.NaN, 1);
            p.learnBatch(2, 4.2, 4.2 * 4.2 / 2 + 2, user(2.1, 10), Double.NaN, 1);
        }
        // Var(m) = 100 x 0.01 / 99, less than s^2 mean(1/n) = 2 x 0.5: between at its floor, Var(m) sqrt(2 / 99).
        double varM = 1.0 / 99;
        LogPopulation.Prior prior = p.prior();
        // within: (2/2 + 0) x 10/11 per visit.
        assertThat(prior.within()).isCloseTo(10.0 / 11, within(1e-12));
        assertThat(prior.weight()).isCloseTo(10.0 / 11 / (varM * Math.sqrt(2.0 / 99)), within(1e-9));
    }

    @Test
    void valuesLearnedOneByOneKeepTheirPrior() {
        LogPopulation p = new LogPopulation();
        LogMoments u = user(1, 3);
        u.m2 = 2;
        for (int i = 0; i < 500; i++) {
            p.learn(i % 3, u);
        }
        assertThat(p.visits()).isZero();
        assertThat(p.prior()).isEqualTo(new LogPopulation.Prior(p.mean(), p.priorPurchases(), p.withinVariance(), 0, false));
    }

    @Test
    void aVisitsMeanIsPredictedWithTheVisitsEffect() {
        BlendedLogModel model = new BlendedLogModel(100);
        LogPopulation p = twoKinds(-1);
        model.restore(p);
        LogMoments h = user(3, 20);
        h.m2 = 19 * 2.0;
        BlendedLogModel.Prediction one = model.predict(h);
        double kappaN = p.prior().weightFor(h) + 20;
        double perValue = one.scale() * one.scale() / (1 + 1 / kappaN);
        BlendedLogModel.Prediction ten = model.predictMean(h, 10, 0);
        assertThat(ten.scale()).isCloseTo(Math.sqrt(perValue * (0.1 + 1 / kappaN) + p.prior().visitEffect()), within(1e-12));
        assertThat(ten.dof()).isEqualTo(9);
        // A visit whose own spread is the larger: its spread.
        BlendedLogModel.Prediction spread = model.predictMean(h, 10, 4 * perValue);
        assertThat(spread.dof()).isEqualTo(9);
        assertThat(spread.scale()).isCloseTo(Math.sqrt(4 * perValue * (0.1 + 1 / kappaN) + p.prior().visitEffect()), within(1e-12));
    }

    @Test
    void aPopulationWrittenBeforeVisitsWereCountedIsReadWithoutThem() throws IOException {
        byte[] old = GoldenPopulations.read("log-population-without-visits.bin.gz");
        // Written by the previous code: six batches of 3 logs and one log (see the figures it printed).
        LogPopulation p = LogPopulation.fromTaggedBytes(old);
        assertThat(LogPopulation.ownerOf(old)).isEqualTo(1);
        assertThat(p.count()).isEqualTo(19);
        assertThat(p.mean()).isCloseTo(1.868421052631579, within(1e-15));
        assertThat(p.totalVariance()).isCloseTo(0.5882066276803118, within(1e-15));
        assertThat(p.withinVariance()).isCloseTo(0.2147086466165414, within(1e-15));
        assertThat(p.priorPurchases()).isCloseTo(0.5748589216065465, within(1e-15));
        assertThat(p.judged()).isEqualTo(6);
        assertThat(p.visits()).isZero();
        assertThat(p.prior().visitEffect()).isZero();
        // Written again, it reads back the same, visits and all.
        LogPopulation again = LogPopulation.fromTaggedBytes(p.toTaggedBytes(1, 2));
        assertThat(again.toTaggedBytes(1, 2)).isEqualTo(p.toTaggedBytes(1, 2));
    }

    @Test
    void visitsSurviveWritingMergingAndSharing() {
        LogPopulation p = twoKinds(-1);
        LogPopulation back = LogPopulation.fromTaggedBytes(p.toTaggedBytes(0, 1));
        assertThat(back.prior()).isEqualTo(p.prior());
        LogPopulation halves = twoKinds(-1).sharedBy(2);
        halves.merge(twoKinds(-1).sharedBy(2));
        assertThat(halves.visits()).isEqualTo(100);
        assertThat(halves.prior().centre()).isCloseTo(p.prior().centre(), within(1e-12));
        assertThat(halves.prior().visitEffect()).isCloseTo(p.prior().visitEffect(), within(1e-12));
        assertThat(halves.prior().within()).isCloseTo(p.prior().within(), within(1e-12));
    }
}
