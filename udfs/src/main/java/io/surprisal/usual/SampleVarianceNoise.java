package io.surprisal.usual;

import org.apache.commons.math3.special.Gamma;

/**
 * How the log of the sample variance of {@code k} normal values strays from the log of their
 * variance: its variance trigamma((k - 1) / 2) and its bias digamma((k - 1) / 2) - ln((k - 1) / 2).
 * Every lesson of a population asks for them at its user's count and its visit's size; commons-math
 * reaches small arguments by recurrence (up to 48 steps), so the usual sizes are computed once.
 */
final class SampleVarianceNoise {
    /** Sizes below this are looked up; the users' counts stop at {@code max-evidence} (50 by default). */
    private static final int TABLE = 1024;
    private static final double[] VARIANCE = new double[TABLE];
    private static final double[] BIAS = new double[TABLE];

    static {
        for (int k = 2; k < TABLE; k++) {
            VARIANCE[k] = varianceOf(k);
            BIAS[k] = biasOf(k);
        }
    }

    private SampleVarianceNoise() {}

    /** trigamma((k - 1) / 2): the variance of ln s^2 for {@code k} >= 2 normal values. */
    static double variance(int k) {
        return k < TABLE ? VARIANCE[k] : varianceOf(k);
    }

    /** E[ln s^2] - ln sigma^2 for {@code k} >= 2 normal values: digamma(a) - ln(a), a = (k - 1) / 2. */
    static double bias(int k) {
        return k < TABLE ? BIAS[k] : biasOf(k);
    }

    private static double varianceOf(int k) {
        return Gamma.trigamma((k - 1) / 2.0);
    }

    private static double biasOf(int k) {
        double a = (k - 1) / 2.0;
        return Gamma.digamma(a) - Math.log(a);
    }
}
