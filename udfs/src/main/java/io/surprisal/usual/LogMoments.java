package io.surprisal.usual;

/**
 * One user's values of one quantity on the log scale: the moments of the logs learned (count,
 * mean, sum of squared deviations), with a bounded memory. Values such as amounts, session lengths
 * and gaps are compared on a log scale: they are multiplicative (twenty times one's usual is as far
 * above for a small value as for a large one).
 */
public class LogMoments {
    /** Values learned, at most {@code max-evidence}: older ones fade (see {@link #learn}). */
    public int count;
    /** Mean of the logs learned. */
    public double mean;
    /** Sum of squared deviations of the logs from {@link #mean}. */
    public double m2;

    /**
     * Learns one log. Past {@code maxEvidence} values the oldest evidence fades: the moments are
     * scaled to {@code maxEvidence - 1} values before the new one joins, an exponential forgetting
     * with a memory of about {@code maxEvidence} values.
     */
    public void learn(double log, int maxEvidence) {
        if (count >= maxEvidence) {
            m2 *= (maxEvidence - 1.0) / count;
            count = maxEvidence - 1;
        }
        count++;
        double delta = log - mean;
        mean += delta / count;
        m2 += delta * (log - mean);
    }

    /** Sample variance of the logs learned, or 0 with fewer than two. */
    public double variance() {
        return count < 2 ? 0 : m2 / (count - 1);
    }

    /** These moments in a new object (what a pending lesson remembers of its user). */
    public LogMoments snapshot() {
        LogMoments m = new LogMoments();
        m.count = count;
        m.mean = mean;
        m.m2 = m2;
        return m;
    }
}
