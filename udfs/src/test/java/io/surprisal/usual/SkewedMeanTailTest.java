package io.surprisal.usual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;

class SkewedMeanTailTest {
    private static double bits(double p) {
        return -Math.log(p) / Math.log(2);
    }

    @Test
    void withoutSkewTheTailIsTheNormalOne() {
        // The mean of 12 values of sd 0.7 plus a normal part of variance 0.01: normal of variance 0.49/12 + 0.01.
        double sd = Math.sqrt(0.49 / 12 + 0.01);
        for (double d : new double[] {0.1, 0.5, 1.0, 2.0}) {
            double exact = bits(new NormalDistribution(0, sd).cumulativeProbability(-d));
            assertThat(SkewedMeanTail.bits(d, 12, 0.7, 0, 0.01)).isCloseTo(exact, within(1e-6 * Math.max(1, exact)));
        }
        // Far out, where 1 - cdf rounds to 0: Q(10) = 7.6199e-24.
        assertThat(SkewedMeanTail.bits(10, 1, 1, 0, 0)).isCloseTo(bits(7.6198530241605e-24), within(1e-6));
        // A left skew is judged as none (the short side's bound is not trusted).
        assertThat(SkewedMeanTail.bits(1.0, 12, 0.7, -1, 0.01)).isEqualTo(SkewedMeanTail.bits(1.0, 12, 0.7, 0, 0.01));
    }

    @Test
    void theSaddlepointSolvesTheMeansCgfDerivative() {
        // K'(t) = sigma (sigma t / n) / (1 - b sigma t / n) + V t must equal d, with t below n / (b sigma).
        for (double b : new double[] {0, 0.3, 1.0}) {
            for (double v : new double[] {0, 0.01, 0.3}) {
                for (double d : new double[] {0.01, 0.5, 3.0}) {
                    double sigma = 0.77;
                    int n = 12;
                    double t = SkewedMeanTail.saddlepoint(d, n, sigma, b, v);
                    double u = sigma * t / n;
                    assertThat(t).isPositive();
                    if (b > 0) {
                        assertThat(b * u).isLessThan(1);
                    }
                    assertThat(sigma * u / (1 - b * u) + v * t).isCloseTo(d, within(1e-12 * Math.max(1, d)));
                }
            }
        }
    }

    @Test
    void theSpreadsQuadratureIsWithinAThousandthOfABitOfAFineOne() {
        for (double dof : new double[] {3, 8, 20, 50, 200}) {
            for (int n : new int[] {3, 7, 12, 30}) {
                for (double d = -0.5; d <= 2.0; d += 0.05) {
                    double fine = SkewedMeanTail.bitsWithUncertainSpread(200, d, n, 0.59, dof, 1.1, 1.0 / 40, 0.0);
                    assertThat(SkewedMeanTail.bitsWithUncertainSpread(d, n, 0.59, dof, 1.1, 1.0 / 40, 0.0))
                            .as("dof %s, %d values, %.2f out", dof, n, d).isCloseTo(fine, within(1e-3));
                }
            }
        }
    }

    @Test
    void withoutSkewAndVisitEffectTheUncertainSpreadGivesTheStudentTail() {
        // sigma^2 ~ 0.5 x dof / chi^2(dof); a mean of 12 with the centre's share 1/30: the t of dof on sqrt(0.5 (1/12 + 1/30)).
        double scale = Math.sqrt(0.5 * (1.0 / 12 + 1.0 / 30));
        for (double dof : new double[] {4, 12, 60}) {
            for (double z : new double[] {1, 3, 6, 10}) {
                double student = bits(new TDistribution(dof).cumulativeProbability(-z));
                assertThat(SkewedMeanTail.bitsWithUncertainSpread(z * scale, 12, 0.5, dof, 0, 1.0 / 30, 0))
                        .as("dof=%.0f z=%.0f", dof, z).isCloseTo(student, within(0.002 * student + 0.002));
            }
        }
    }

    @Test
    void anUncertainSpreadMakesTheSkewedTailHeavier() {
        // Skew 1, a mean of 12, 5 scales out: the spread known, and known from 60 or from 12 degrees of freedom.
        double d = 5 * Math.sqrt(1.0 / 12);
        double known = SkewedMeanTail.bits(d, 12, 1, 1, 0);
        double sixty = SkewedMeanTail.bitsWithUncertainSpread(d, 12, 1, 60, 1, 0, 0);
        double twelve = SkewedMeanTail.bitsWithUncertainSpread(d, 12, 1, 12, 1, 0, 0);
        assertThat(sixty).isLessThan(known).isGreaterThan(twelve);
        // With a million degrees of freedom the spread is known.
        assertThat(SkewedMeanTail.bitsWithUncertainSpread(d, 12, 1, 1e6, 1, 0, 0)).isCloseTo(known, within(0.01));
    }

    @Test
    void aMeanOfGammaNoiseHasTheGammaSumsTail() {
        // Skew 1: a value is (G - 4) / 2 with G ~ Gamma(4, 1); the mean of n is (S - 4n) / (2n), S ~ Gamma(4n, 1), exactly.
        for (int n : new int[] {3, 12, 30}) {
            GammaDistribution sum = new GammaDistribution(4.0 * n, 1.0);
            for (double z : new double[] {2, 4, 6, 8}) {
                double d = z / Math.sqrt(n);
                double exact = bits(1 - sum.cumulativeProbability(4.0 * n + 2 * n * d));
                if (exact > 40) {
                    continue; // past what 1 - cdf resolves
                }
                double saddle = SkewedMeanTail.bits(d, n, 1.0, 1.0, 0);
                // Lugannani-Rice on a gamma: within a few percent of the bits, far out as near.
                assertThat(saddle).as("n=%d z=%.0f", n, z).isCloseTo(exact, within(0.03 * exact + 0.05));
                // Heavier than the normal tail, lighter than the Student t of the sample's own degrees of freedom.
                assertThat(saddle).isLessThan(bits(new NormalDistribution().cumulativeProbability(-z)));
            }
        }
    }

    @Test
    void aMeanOfGammaNoiseAndANormalPartMatchesMonteCarlo() {
        // n values of skew 2 (exponential noise, sd 1) plus a normal part of variance 0.05, at n = 3, 12, 30.
        Random r = new Random(7);
        int samples = 400_000;
        for (int n : new int[] {3, 12, 30}) {
            double d = 3.2 * Math.sqrt(1.0 / n + 0.05);
            int beyond = 0;
            for (int s = 0; s < samples; s++) {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += -Math.log(1 - r.nextDouble()) - 1;
                }
                if (sum / n + r.nextGaussian() * Math.sqrt(0.05) >= d) {
                    beyond++;
                }
            }
            double mc = bits((double) beyond / samples);
            // Standard error of the count: about 1 / sqrt(beyond) relative, 0.1 bits at 300 of them.
            assertThat(beyond).isGreaterThan(300);
            assertThat(SkewedMeanTail.bits(d, n, 1.0, 2.0, 0.05)).as("n=%d", n).isCloseTo(mc, within(0.15));
        }
    }

    @Test
    void theMeanOfAFewSkewedLogGapsIsJudgedBetweenTheNormalAndTheStudentTail() {
        // Gaps uniform 1..40 s, logs of gap + 1, negated (the pace): a right skew of about 1.0.
        // Their mean, sd, skew measured from 4 million draws; the tail of means of n by Monte Carlo.
        Random r = new Random(11);
        int draws = 2_000_000;
        double s1 = 0, s2 = 0, s3 = 0;
        double[] x = new double[draws];
        for (int i = 0; i < draws; i++) {
            x[i] = -Math.log(1 + 1 + 39 * r.nextDouble());
            s1 += x[i];
        }
        double mean = s1 / draws;
        for (double v : x) {
            s2 += (v - mean) * (v - mean);
            s3 += (v - mean) * (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(s2 / draws);
        double skew = s3 / draws / (sd * sd * sd);
        assertThat(skew).isCloseTo(1.0, within(0.02));
        for (int n : new int[] {3, 12, 30}) {
            double d = 3.5 * sd / Math.sqrt(n);
            int beyond = 0;
            int samples = 300_000;
            for (int s = 0; s < samples; s++) {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += x[r.nextInt(draws)];
                }
                if (sum / n - mean >= d) {
                    beyond++;
                }
            }
            double mc = bits((double) beyond / samples);
            double saddle = SkewedMeanTail.bits(d, n, sd, skew, 0);
            double normal = bits(new NormalDistribution().cumulativeProbability(-3.5));
            double student = bits(new TDistribution(n - 1).cumulativeProbability(-3.5));
            // The gamma's exponential tail is heavier than the bounded true one: a little below it, never above.
            assertThat(saddle).as("n=%d mc=%.2f", n, mc).isLessThan(mc + 0.15).isGreaterThan(mc - 1.5);
            assertThat(saddle).isLessThan(normal).isGreaterThan(student);
        }
    }
}
