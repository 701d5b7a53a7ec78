package io.surprisal.amount;

/**
 * One user's purchases, the amount detector's slice of the user's profile: the moments of the
 * natural log of the amounts learned (count, mean, sum of squared deviations), the purchases the user
 * taught the population in the current teaching window, and the purchases judged in about the last
 * false-alarm window. Amounts are compared on a log scale: spending is multiplicative (twenty times
 * one's usual is as far above for a small spender as for a large one).
 */
public final class SpendHistory {
    /** Purchases learned, at most {@code max-evidence}: older ones fade (see {@link #learn}). */
    public int count;
    /** Mean of ln(amount) over the purchases learned. */
    public double mean;
    /** Sum of squared deviations of ln(amount) from {@link #mean}. */
    public double m2;
    /** Purchases this user taught the population in the current teaching window. */
    public byte taught;
    /** Purchases judged in about the last false-alarm window, decayed (see MultipleTests). */
    public double judgedInWindow;

    /**
     * Learns one amount's log. Past {@code maxEvidence} purchases the oldest evidence fades: the
     * moments are scaled to {@code maxEvidence - 1} purchases before the new one joins, an
     * exponential forgetting with a memory of about {@code maxEvidence} purchases.
     */
    public void learn(double logAmount, int maxEvidence) {
        if (count >= maxEvidence) {
            m2 *= (maxEvidence - 1.0) / count;
            count = maxEvidence - 1;
        }
        count++;
        double delta = logAmount - mean;
        mean += delta / count;
        m2 += delta * (logAmount - mean);
    }

    /** Sample variance of the logs learned, or 0 with fewer than two. */
    public double variance() {
        return count < 2 ? 0 : m2 / (count - 1);
    }
}
