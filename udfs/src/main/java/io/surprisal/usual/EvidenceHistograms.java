package io.surprisal.usual;

import io.surprisal.model.LogHistogram;

/**
 * A model's tail bits for a population's ordinary values, by evidence bucket (users with 0, 1 to
 * 3, 4 to 15, and 16 or more values before), in two generations: the current one, and the one
 * before it. The model changes as the population grows, so a generation ends after {@link
 * #GENERATION} values and the one before it is forgotten: the yardstick is the model's recent
 * behaviour, not its first days'. What a tail is calibrated on ({@link LogPopulation}, the visit
 * length's {@code LengthTail}). Plain Java.
 */
public final class EvidenceHistograms {
    public static final int BUCKETS = 4;
    /** Values a bucket needs before it is the yardstick on its own; until then, the buckets pooled. */
    public static final long MIN_BUCKET_VALUES = 2_000;
    /** Values judged in a generation. */
    public static final long GENERATION = 20_000;

    private LogHistogram[] current = newHistograms();
    private LogHistogram[] previous = newHistograms();

    /** A yardstick, and whether it is the user's own bucket (else the buckets pooled). */
    public record Yardstick(LogHistogram histogram, boolean sameEvidence) {}

    private static LogHistogram[] newHistograms() {
        LogHistogram[] h = new LogHistogram[BUCKETS];
        for (int i = 0; i < h.length; i++) {
            h[i] = new LogHistogram();
        }
        return h;
    }

    /** The bucket of a user with {@code evidence} values before. */
    public static int bucket(int evidence) {
        return evidence == 0 ? 0 : evidence <= 3 ? 1 : evidence <= 15 ? 2 : 3;
    }

    /** Counts an ordinary value the model gave {@code bits}, of a user with {@code evidence} values before. */
    public void add(double bits, int evidence) {
        current[bucket(evidence)].add(bits);
        if (count(current) >= GENERATION) {
            previous = current;
            current = newHistograms();
        }
    }

    private static long count(LogHistogram[] histograms) {
        long n = 0;
        for (LogHistogram h : histograms) {
            n += h.count();
        }
        return n;
    }

    /** Values counted, in all buckets, in both generations. */
    public long count() {
        return count(current) + count(previous);
    }

    /** Bucket {@code i} of both generations. */
    public LogHistogram bucketOfBoth(int i) {
        LogHistogram both = LogHistogram.fromCounts(current[i].toCounts());
        both.merge(previous[i]);
        return both;
    }

    /** Buckets {@code from} and above, both generations. */
    public LogHistogram pooled(int from) {
        LogHistogram all = new LogHistogram();
        for (int i = from; i < BUCKETS; i++) {
            all.merge(current[i]);
            all.merge(previous[i]);
        }
        return all;
    }

    /**
     * The yardstick of a user with {@code evidence} values before: their bucket when it holds {@link
     * #MIN_BUCKET_VALUES}, else the buckets pooled, and users without history left out of the pool
     * for a user with history when {@code withHistoryApart} (judged by the population alone, a first
     * value of a user unlike the population, a bot among people, is far out, and would make the tail
     * of values judged against their own users' history look heavier than it is).
     */
    public Yardstick yardstick(int evidence, boolean withHistoryApart) {
        int b = bucket(evidence);
        LogHistogram bucket = bucketOfBoth(b);
        boolean same = bucket.count() >= MIN_BUCKET_VALUES;
        return new Yardstick(same ? bucket : pooled(withHistoryApart && b > 0 ? 1 : 0), same);
    }

    /** Values counted whose bits were at least {@code bits}, in all buckets, in both generations. */
    public long atLeast(double bits) {
        long k = 0;
        for (int i = 0; i < BUCKETS; i++) {
            k += current[i].atLeast(bits) + previous[i].atLeast(bits);
        }
        return k;
    }

    public void merge(EvidenceHistograms o) {
        for (int i = 0; i < BUCKETS; i++) {
            current[i].merge(o.current[i]);
            previous[i].merge(o.previous[i]);
        }
    }

    /** A copy with every bucket's count divided among {@code owners}, rounded up. */
    public EvidenceHistograms sharedBy(int owners) {
        EvidenceHistograms s = new EvidenceHistograms();
        for (int i = 0; i < BUCKETS; i++) {
            s.current[i] = current[i].sharedBy(owners);
            s.previous[i] = previous[i].sharedBy(owners);
        }
        return s;
    }

    public EvidenceHistograms copy() {
        EvidenceHistograms s = new EvidenceHistograms();
        s.merge(this);
        return s;
    }

    /** Bucket {@code i}'s counts: of the current generation, then {@code BUCKETS + i} of the one before (for checkpoints). */
    public long[] toCounts(int index) {
        return (index < BUCKETS ? current[index] : previous[index - BUCKETS]).toCounts();
    }

    /** Sets what {@link #toCounts} gave for {@code index}. */
    public void setCounts(int index, long[] counts) {
        if (index < BUCKETS) {
            current[index] = LogHistogram.fromCounts(counts);
        } else {
            previous[index - BUCKETS] = LogHistogram.fromCounts(counts);
        }
    }
}
