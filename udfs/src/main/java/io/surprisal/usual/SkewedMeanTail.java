package io.surprisal.usual;

import org.apache.commons.numbers.gamma.Erfc;

/**
 * The upper tail of the mean of {@code n} values whose deviations from their centre are a skewed
 * per-value noise plus a normal part shared by all of them (the uncertainty of the centre, a
 * visit's own effect): the tail a visit's mean log-gap is judged by ({@link BlendedLogModel#judgeMean}).
 *
 * <p>The per-value noise has standard deviation {@code sigma} and skewness {@code skew}, taken as a
 * standardized gamma (Pearson type III), whose cumulant generating function is known: K(u) =
 * -(log(1 - b u) + b u) / b^2 with b = skew / 2 (u^2 / 2 at skew 0). The mean's CGF is n K(sigma t /
 * n) + V t^2 / 2 (independent parts add), and its tail is the Lugannani-Rice saddlepoint
 * approximation, accurate far out where a sum of a few skewed values is neither normal nor Student.
 * Only a right skew is given to the upper tail: the judged tail is then the long one, which the
 * gamma carries as an exponential. A left skew would bound the upper tail where a third moment
 * puts it, which a few far values on the other side move (a gap's log has slow reads far out);
 * there the tail is taken as normal.
 */
final class SkewedMeanTail {
    private static final double LN2 = Math.log(2);
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    private SkewedMeanTail() {}

    /**
     * -log2 P(mean - centre >= {@code d}) for the mean of {@code n} values of per-value standard
     * deviation {@code sigma} and skewness {@code skew}, plus a normal part of variance {@code
     * normalVariance}. Positive infinity beyond the largest mean the law allows.
     */
    static double bits(double d, int n, double sigma, double skew, double normalVariance) {
        double b = Math.max(0, skew) / 2;
        double variance = sigma * sigma / n + normalVariance;
        if (!(variance > 0)) {
            return d > 0 ? Double.POSITIVE_INFINITY : 0;
        }
        double sd = Math.sqrt(variance);
        if (d <= 0 || b * sigma == 0) {
            return -logUpperNormal(d / sd) / LN2;
        }
        double t = saddlepoint(d, n, sigma, b, normalVariance);
        double kt = cgf(t, n, sigma, b, normalVariance);
        double w = Math.sqrt(Math.max(0, 2 * (t * d - kt)));
        if (w < 1e-3) {
            return -logUpperNormal(d / sd) / LN2;
        }
        double u = t * Math.sqrt(cgf2(t, n, sigma, b, normalVariance));
        // Lugannani-Rice: P = Q(w) + phi(w) (1/u - 1/w), written as phi(w) (R(w) - 1/w + 1/u), R the Mills ratio.
        double bracket = millsMinusInverse(w) + 1 / u;
        double logP = bracket > 0
                ? -w * w / 2 - LOG_SQRT_2PI + Math.log(bracket)
                // Where it fails (near the centre, never far out), Barndorff-Nielsen's r* of the same order.
                : logUpperNormal(w + Math.log(u / w) / w);
        return Math.max(0, -logP / LN2);
    }

    /**
     * Points of the quadrature over the user's spread ({@link #bitsWithUncertainSpread}): within a
     * thousandth of a bit of 200 points (SkewedMeanTailTest); each point is a saddlepoint tail, and
     * every closed visit is judged.
     */
    static final int SPREAD_POINTS = 24;

    /**
     * {@link #bits} with the per-value variance not known but drawn from its posterior, a scaled
     * inverse chi-square of {@code dof} degrees of freedom and scale {@code variance}: sigma^2 =
     * variance x dof / X, X ~ chi^2(dof); the uncertainty of the centre is sigma^2 x {@code
     * centreShare} (1 / kappaN), plus the visit's effect {@code visitEffect}. The tail is the
     * saddlepoint tail averaged over sigma^2 (trapezoid rule on log X, whose density is smooth and
     * falls off fast on both sides): without skew and visit effect it is the Student t of {@code
     * dof}, with infinite {@code dof} {@link #bits}.
     */
    static double bitsWithUncertainSpread(double d, int n, double variance, double dof, double skew, double centreShare, double visitEffect) {
        return bitsWithUncertainSpread(SPREAD_POINTS, d, n, variance, dof, skew, centreShare, visitEffect);
    }

    /** {@link #bitsWithUncertainSpread} by a quadrature of {@code points} points. */
    static double bitsWithUncertainSpread(int points, double d, int n, double variance, double dof, double skew, double centreShare,
            double visitEffect) {
        double k = dof / 2;
        double mode = Math.log(dof);
        double sdLog = Math.sqrt(org.apache.commons.math3.special.Gamma.trigamma(k));
        // log X has a tail of e^{k y} towards small X (large sigma, the far tail's side): wider there.
        double from = mode - 14 * sdLog;
        double to = mode + 6 * sdLog;
        double step = (to - from) / (points - 1);
        double maxLog = Double.NEGATIVE_INFINITY;
        double[] logTerms = new double[points];
        double[] logWeights = new double[points];
        for (int i = 0; i < points; i++) {
            double y = from + i * step;
            double x = Math.exp(y);
            logWeights[i] = k * y - x / 2;
            double sigma2 = variance * dof / x;
            double bits = bits(d, n, Math.sqrt(sigma2), skew, sigma2 * centreShare + visitEffect);
            logTerms[i] = logWeights[i] - bits * LN2;
            maxLog = Math.max(maxLog, logTerms[i]);
        }
        double maxWeight = Double.NEGATIVE_INFINITY;
        for (double w : logWeights) {
            maxWeight = Math.max(maxWeight, w);
        }
        double sum = 0;
        double weights = 0;
        for (int i = 0; i < points; i++) {
            sum += Math.exp(logTerms[i] - maxLog);
            weights += Math.exp(logWeights[i] - maxWeight);
        }
        double logP = maxLog + Math.log(sum) - maxWeight - Math.log(weights);
        return Math.max(0, -logP / LN2);
    }

    /** K(t) of the mean. */
    static double cgf(double t, int n, double sigma, double b, double normalVariance) {
        double u = sigma * t / n;
        return n * gammaCgf(u, b) + normalVariance * t * t / 2;
    }

    /** K''(t) of the mean. */
    static double cgf2(double t, int n, double sigma, double b, double normalVariance) {
        double r = 1 - b * sigma * t / n;
        return sigma * sigma / n / (r * r) + normalVariance;
    }

    /** The standardized gamma's CGF, K(u) = -(log(1 - b u) + b u) / b^2, by its series where b u is small. */
    static double gammaCgf(double u, double b) {
        double bu = b * u;
        if (Math.abs(bu) < 1e-4) {
            return u * u * (0.5 + bu / 3 + bu * bu / 4);
        }
        return -(Math.log1p(-bu) + bu) / (b * b);
    }

    /**
     * Solves K'(t) = d for t > 0. With a = sigma^2 / n and c = b sigma / n, K'(t) = a t / (1 - c t)
     * + V t: multiplied out, V c t^2 - (a + V + d c) t + d = 0, whose smaller root is the one below
     * 1 / c, where the gamma's CGF ends (the quadratic is negative at 1 / c). Written without the
     * difference of near-equal terms, it holds at c = 0 (a normal) and at V = 0 too.
     */
    static double saddlepoint(double d, int n, double sigma, double b, double normalVariance) {
        double a = sigma * sigma / n;
        double c = b * sigma / n;
        double half = a + normalVariance + d * c;
        return 2 * d / (half + Math.sqrt(Math.max(0, half * half - 4 * normalVariance * c * d)));
    }

    /** R(w) - 1/w, R the Mills ratio Q(w) / phi(w); by its asymptotic series far out. */
    private static double millsMinusInverse(double w) {
        if (w < 8) {
            double q = 0.5 * Erfc.value(w / Math.sqrt(2));
            return q / Math.exp(-w * w / 2 - LOG_SQRT_2PI) - 1 / w;
        }
        double w2 = w * w;
        return (-1 + (3 + (-15 + 105 / w2) / w2) / w2) / (w2 * w);
    }

    /** log Q(z), the standard normal's upper tail, accurate far out. */
    static double logUpperNormal(double z) {
        if (z < 8) {
            return Math.log(0.5 * Erfc.value(z / Math.sqrt(2)));
        }
        return -z * z / 2 - LOG_SQRT_2PI + Math.log(millsMinusInverse(z) + 1 / z);
    }
}
