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

    /**
     * Learns {@code n} logs at once from their sum and sum of squares, as {@link #learn} would one by
     * one: past {@code maxEvidence} values the oldest evidence fades; a batch of more than {@code
     * maxEvidence} counts as that many values, with its own mean and spread.
     */
    public void learnBatch(int n, double sum, double sumSquares, int maxEvidence) {
        if (n <= 0) {
            return;
        }
        double batchMean = sum / n;
        double batchM2 = Math.max(0, sumSquares - n * batchMean * batchMean);
        int weight = Math.min(n, maxEvidence);
        if (weight < n) {
            batchM2 *= (weight - 1.0) / Math.max(1, n - 1);
        }
        int keep = maxEvidence - weight;
        if (count > keep) {
            m2 = keep == 0 ? 0 : m2 * keep / count;
            count = keep;
        }
        int total = count + weight;
        double delta = batchMean - mean;
        mean += delta * weight / total;
        m2 += batchM2 + delta * delta * count * weight / total;
        count = total;
    }

    /** Forgets everything learned. */
    public void forget() {
        count = 0;
        mean = 0;
        m2 = 0;
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
