package io.surprisal.session;

import com.amazon.randomcutforest.returntypes.ConvergingAccumulator;

/**
 * Sums a forest's trees' scores of one point, and stops early once the trees so far put the
 * forest's score (the mean over all trees) clearly below {@code cutoff}, the lowest score whose tail
 * could reach the detector's bar (with room: {@code SessionForestDetector.STOP_MARGIN_BITS}): such a
 * session cannot alert, and its estimate, below the cutoff too, is counted where no alert's tail
 * looks. Every score that could alert is the full mean, as
 * {@code RandomCutForest.getAnomalyScore} gives it. The library's own early stopping
 * ({@code getApproximateAnomalyScore}) needs ten trees above the running mean to stop, more than a
 * small forest has.
 *
 * <p>The test: after at least {@link #MIN_TREES} trees, the running mean plus {@link #Z} standard
 * errors (the trees' spread, with the finite-population correction: the trees left are the rest of a
 * fixed set) stays below the cutoff by at least {@link #ROOM}. The room is for a point far out that
 * every tree so far isolated at about the same depth (a spread of almost nothing) and a later tree
 * isolates sooner: in {@code ScoreUnlessBelowCutoffTest}'s forest, without it, two of 20,000 stopped
 * within 2% below the cutoff and scored 0.1% and 1.3% above it.
 */
final class ScoreUnlessBelowCutoff implements ConvergingAccumulator<Double> {
    /** Trees read before any test: the spread of fewer says little. */
    static final int MIN_TREES = 5;
    /** Standard errors of room between the estimate and the cutoff. */
    static final double Z = 4;
    /** The least room between the bound and the cutoff, as a fraction of the cutoff. */
    static final double ROOM = 0.05;

    private final double cutoff;
    private final int trees;
    private double sum;
    private double sumOfSquares;
    private int accepted;
    private boolean below;

    ScoreUnlessBelowCutoff(double cutoff, int trees) {
        this.cutoff = cutoff;
        this.trees = trees;
    }

    @Override
    public void accept(Double treeScore) {
        double v = treeScore;
        sum += v;
        sumOfSquares += v * v;
        accepted++;
        if (accepted >= MIN_TREES && accepted < trees) {
            below = upperBound() < cutoff * (1 - ROOM);
        }
    }

    /** The running mean plus Z standard errors of it as an estimate of the mean over every tree. */
    double upperBound() {
        double mean = sum / accepted;
        double variance = Math.max(0, sumOfSquares - accepted * mean * mean) / (accepted - 1);
        double standardError = Math.sqrt(variance * (trees - accepted) / ((double) accepted * (trees - 1)));
        return mean + Z * standardError;
    }

    @Override
    public boolean isConverged() {
        return below;
    }

    @Override
    public int getValuesAccepted() {
        return accepted;
    }

    @Override
    public Double getAccumulatedValue() {
        return sum;
    }
}
