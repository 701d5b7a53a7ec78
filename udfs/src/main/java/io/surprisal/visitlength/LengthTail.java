package io.surprisal.visitlength;

import io.surprisal.model.LogHistogram;
import io.surprisal.model.MultipleTests;
import io.surprisal.usual.EvidenceHistograms;
import java.nio.ByteBuffer;

/**
 * The calibration of the length law's bits on the population's ordinary visits. Up to the top
 * {@link #TAIL_SHARE} of them, the bits are the share of ordinary visits the law found at least as
 * surprising (never more than the law's own bits). Beyond, where a count of a few says little, the
 * tail is the law's with a frailty: each visit's pace of leaving multiplied by a gamma variable of
 * mean 1 and variance theta, which turns the law's cumulative hazard H (its bits times ln 2) into a
 * tail of (1 + theta H)^(-1/theta). Where visits end as the chain says (every person of a kind alike)
 * theta is near 0 and the law's bits stand; where some visits go on far longer than the chain
 * alone allows (binges, forgotten tabs) theta grows and the far bits grow only as log H. Theta is
 * fitted by maximum likelihood on the top visits and taken at the upper end of its one-sided 95%
 * interval (the likelihood {@link #LIKELIHOOD_DROP} below its best), so a tail fitted on few visits
 * is held cautious. Plain Java.
 */
public final class LengthTail {
    /** The share of ordinary visits the frailty is fitted on, and beyond which it extrapolates. */
    static final double TAIL_SHARE = 0.05;
    /** At least this many visits in the fitted tail. */
    static final long MIN_TAIL_VISITS = 30;
    /**
     * The share of ordinary visits beyond which the fit counts a visit only as beyond that point
     * (censored): a few far visits (a bot's crawl, an attack the detector missed) cannot drag the
     * tail out by their size alone.
     */
    static final double CENSORED_SHARE = 0.01;
    /** Half the 90% quantile of chi-square with one degree of freedom: a one-sided 95% bound. */
    static final double LIKELIHOOD_DROP = 1.353;
    /** A calibrated tail is at most this many times the law's bits. */
    static final double MAX_RAISE = 2.0;
    private static final double LN2 = Math.log(2);
    private static final double[] THETAS = thetaGrid();

    /** The law's bits of ordinary visits, by evidence bucket, in two generations (as {@code session-profile}'s measures). */
    private EvidenceHistograms histograms = new EvidenceHistograms();

    /** The calibrated bits, how many ordinary visits were at least as surprising of how many, and the frailty that set the bits (NaN where the count did). */
    public record Calibrated(double bits, long atLeast, long of, double frailty) {}

    /** 0, then 120 values from 0.001 to 20, evenly on a log scale. */
    private static double[] thetaGrid() {
        double[] g = new double[121];
        for (int i = 1; i < g.length; i++) {
            g[i] = Math.exp(Math.log(1e-3) + (i - 1) * (Math.log(20) - Math.log(1e-3)) / 119);
        }
        return g;
    }

    /** Counts an ordinary visit the law gave {@code bits}, by a user with {@code visitsBefore} visits before it. */
    public void count(double bits, int visitsBefore) {
        histograms.add(bits, visitsBefore);
    }

    /** Ordinary visits judged, in both generations. */
    public long judged() {
        return histograms.count();
    }

    /** The yardstick of a user with {@code visitsBefore}: their bucket, or the buckets pooled with first visits apart ({@link EvidenceHistograms#yardstick}). */
    LogHistogram yardstick(int visitsBefore) {
        return histograms.yardstick(visitsBefore, true).histogram();
    }

    /** The calibrated bits of a visit the law gave {@code bits}, by a user with {@code visitsBefore} visits before it. */
    public Calibrated calibrated(double bits, int visitsBefore) {
        LogHistogram y = yardstick(visitsBefore);
        long n = y.count();
        long k = y.atLeast(bits);
        double counted = Math.min(bits, MultipleTests.tailBits(k, n));
        long tailVisits = Math.max(MIN_TAIL_VISITS, (long) Math.ceil(TAIL_SHARE * n));
        if (n < 2 * tailVisits) {
            return new Calibrated(counted, k, n, Double.NaN);
        }
        double threshold = y.quantile(1 - (double) tailVisits / n);
        if (bits <= threshold) {
            return new Calibrated(counted, k, n, Double.NaN);
        }
        double censorAt = y.quantile(1 - Math.max(1.0, CENSORED_SHARE * n) / n);
        double theta = frailty(y, threshold, censorAt);
        double beyond = MultipleTests.tailBits(y.atLeast(threshold), n) + frailtyBits(bits, threshold, theta);
        double fitted = Math.min(beyond, MAX_RAISE * bits);
        return fitted > counted ? new Calibrated(fitted, k, n, theta) : new Calibrated(counted, k, n, Double.NaN);
    }

    /** -log2 of the tail beyond {@code threshold} bits at {@code bits}, with frailty {@code theta}. */
    static double frailtyBits(double bits, double threshold, double theta) {
        double h = bits * LN2;
        double u = threshold * LN2;
        double nats = theta < 1e-12 ? h - u : (Math.log1p(theta * h) - Math.log1p(theta * u)) / theta;
        return Math.max(0, nats) / LN2;
    }

    /**
     * The frailty of the visits beyond {@code threshold} bits in {@code h}: the largest theta whose
     * log-likelihood is within {@link #LIKELIHOOD_DROP} of the best. A visit beyond the threshold has
     * density (1 + theta H)^(-1/theta - 1) relative to the threshold's tail; one at or beyond {@code
     * censorAt} counts as beyond it, with the tail's chance of that.
     */
    static double frailty(LogHistogram h, double threshold, double censorAt) {
        double u = threshold * LN2;
        double c = Math.max(u, censorAt * LN2);
        double[] ll = new double[THETAS.length];
        h.forEachBucketAtLeast(threshold, (value, count) -> {
            double x = Math.max(u, value * LN2);
            boolean censored = x >= c;
            for (int i = 0; i < THETAS.length; i++) {
                double t = THETAS[i];
                double logTail = t == 0 ? -((censored ? c : x) - u) : -(Math.log1p(t * (censored ? c : x)) - Math.log1p(t * u)) / t;
                ll[i] += count * (censored ? logTail : logTail - (t == 0 ? 0 : Math.log1p(t * x)));
            }
        });
        double best = Double.NEGATIVE_INFINITY;
        for (double v : ll) {
            best = Math.max(best, v);
        }
        double upper = 0;
        for (int i = 0; i < THETAS.length; i++) {
            if (ll[i] >= best - LIKELIHOOD_DROP) {
                upper = THETAS[i];
            }
        }
        return upper;
    }

    public void merge(LengthTail o) {
        histograms.merge(o.histograms);
    }

    /** A copy with every count divided among {@code owners} (see io.surprisal.flink.InstanceShares). */
    public LengthTail sharedBy(int owners) {
        LengthTail s = new LengthTail();
        s.histograms = histograms.sharedBy(owners);
        return s;
    }

    /** The histograms, nonzero buckets only: the current generation's, then the one before's. */
    void write(ByteBuffer b) {
        for (int h = 0; h < 2 * EvidenceHistograms.BUCKETS; h++) {
            long[] c = histograms.toCounts(h);
            int nonzero = 0;
            for (long v : c) {
                nonzero += v != 0 ? 1 : 0;
            }
            b.putInt(nonzero);
            for (int i = 0; i < c.length; i++) {
                if (c[i] != 0) {
                    b.putInt(i).putLong(c[i]);
                }
            }
        }
    }

    int writtenSize() {
        int size = 0;
        for (int h = 0; h < 2 * EvidenceHistograms.BUCKETS; h++) {
            size += 4;
            for (long v : histograms.toCounts(h)) {
                size += v != 0 ? 12 : 0;
            }
        }
        return size;
    }

    static LengthTail read(ByteBuffer b) {
        LengthTail t = new LengthTail();
        int buckets = new LogHistogram().toCounts().length;
        for (int h = 0; h < 2 * EvidenceHistograms.BUCKETS; h++) {
            long[] c = new long[buckets];
            int nonzero = b.getInt();
            for (int j = 0; j < nonzero; j++) {
                int at = b.getInt();
                c[at] = b.getLong();
            }
            t.histograms.setCounts(h, c);
        }
        return t;
    }
}
