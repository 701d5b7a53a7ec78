package io.surprisal.amount;

import io.surprisal.model.LogHistogram;
import java.nio.ByteBuffer;

/**
 * The population's purchases, on the log scale, as the prior a user's own history is blended with:
 * the moments of all purchases taught (where people spend: the spread between and within users),
 * and the spread of purchases around their own buyer's mean (within users). Their difference is
 * how far users' usual amounts lie apart (between users), which sets how many purchases of a user's
 * own outweigh the population (see {@link #priorPurchases}).
 *
 * <p>It also keeps how surprising the model found the population's own ordinary purchases, per
 * {@link #evidenceBucket} of their buyers' histories: the yardstick that turns the model's tail
 * into a calibrated one ({@link #calibratedBits}). Real spending has heavier tails than a normal
 * model of its logs; how much heavier, the population shows.
 */
public final class SpendPopulation {
    /** Buyers with 0, 1 to 3, 4 to 15, and 16 or more purchases learned. */
    static final int EVIDENCE_BUCKETS = 4;
    /** Purchases a bucket needs before it is the yardstick on its own; until then, all buckets together. */
    static final long MIN_BUCKET_PURCHASES = 2_000;

    private long count;
    private double mean;
    private double m2;
    /** Purchases of users with history: their number and Σ n/(n+1) (x − the buyer's mean)². */
    private long withinCount;
    private double withinSum;
    /** Per evidence bucket, the model's tail bits of the population's ordinary purchases. */
    private LogHistogram[] modelBits = newHistograms();

    private static LogHistogram[] newHistograms() {
        LogHistogram[] h = new LogHistogram[EVIDENCE_BUCKETS];
        for (int i = 0; i < h.length; i++) {
            h[i] = new LogHistogram();
        }
        return h;
    }

    /** The evidence bucket of a buyer with {@code purchases} learned. */
    static int evidenceBucket(int purchases) {
        return purchases == 0 ? 0 : purchases <= 3 ? 1 : purchases <= 15 ? 2 : 3;
    }

    /**
     * Learns a purchase's log; {@code buyer} is the buyer's history before it, {@code bits} the
     * model's tail bits for it (NaN when it was not judged).
     */
    public void learn(double logAmount, SpendHistory buyer, double bits) {
        if (!Double.isNaN(bits)) {
            modelBits[evidenceBucket(buyer.count)].add(bits);
        }
        learn(logAmount, buyer);
    }

    /** Learns a purchase's log; {@code buyer} is the buyer's history before it. */
    public void learn(double logAmount, SpendHistory buyer) {
        count++;
        double delta = logAmount - mean;
        mean += delta / count;
        m2 += delta * (logAmount - mean);
        if (buyer.count >= 1) {
            double d = logAmount - buyer.mean;
            // The deviation from a mean of n values has variance sigma^2 (n + 1) / n: rescaled, each
            // term estimates the within-user variance sigma^2 without bias.
            withinSum += d * d * buyer.count / (buyer.count + 1.0);
            withinCount++;
        }
    }

    public long count() {
        return count;
    }

    /** Mean of the logs of the population's purchases: the prior's centre. */
    public double mean() {
        return mean;
    }

    /** Variance of the logs of all the population's purchases (between and within users). */
    public double totalVariance() {
        return count < 2 ? 0 : m2 / (count - 1);
    }

    /** Variance of a purchase's log around its buyer's mean, or the total variance without such purchases. */
    public double withinVariance() {
        return withinCount < 2 ? totalVariance() : Math.min(withinSum / withinCount, totalVariance());
    }

    /**
     * How many purchases of a user's own weigh as much as the population's centre: within-user over
     * between-user variance (a normal model's prior strength, kappa0), between 0.1 and 10. Where
     * users spend alike, a few purchases of one user say little; where they differ widely, one says
     * much.
     */
    public double priorPurchases() {
        double within = withinVariance();
        double between = Math.max(totalVariance() - within, 0.01 * totalVariance());
        if (between <= 0) {
            return 1.0;
        }
        return Math.max(0.1, Math.min(10.0, within / between));
    }

    /** Ordinary purchases whose model tail bits are known, in all buckets. */
    public long judged() {
        long n = 0;
        for (LogHistogram h : modelBits) {
            n += h.count();
        }
        return n;
    }

    /**
     * The calibrated surprisal of a purchase the model gave {@code bits}, by a buyer with {@code
     * purchases} learned: -log2 of the share of the population's ordinary purchases the model found
     * at least as surprising (Krichevsky-Trofimov: beyond all of them, log2(2(n + 1))). Among buyers
     * with as much history when their bucket has {@link #MIN_BUCKET_PURCHASES}, else among all.
     */
    public Calibrated calibratedBits(double bits, int purchases) {
        LogHistogram bucket = modelBits[evidenceBucket(purchases)];
        if (bucket.count() >= MIN_BUCKET_PURCHASES) {
            long k = bucket.atLeast(bits);
            return new Calibrated(io.surprisal.model.MultipleTests.tailBits(k, bucket.count()), k, bucket.count(), true);
        }
        long k = 0;
        long n = 0;
        for (LogHistogram h : modelBits) {
            k += h.atLeast(bits);
            n += h.count();
        }
        return new Calibrated(io.surprisal.model.MultipleTests.tailBits(k, n), k, n, false);
    }

    /** A calibrated tail: its bits, and {@code atLeast} of {@code of} ordinary purchases as surprising (among buyers with as much history, or all). */
    public record Calibrated(double bits, long atLeast, long of, boolean sameEvidence) {}

    /** Adds another instance's population (the counts and moments of both, as if one). */
    public void merge(SpendPopulation o) {
        if (o.count == 0) {
            return;
        }
        long n = count + o.count;
        double delta = o.mean - mean;
        m2 += o.m2 + delta * delta * count * o.count / n;
        mean += delta * o.count / n;
        count = n;
        withinCount += o.withinCount;
        withinSum += o.withinSum;
        for (int i = 0; i < EVIDENCE_BUCKETS; i++) {
            modelBits[i].merge(o.modelBits[i]);
        }
    }

    /** This population with its counts divided among {@code owners} instances (rounded up); the moments keep their shape. */
    public SpendPopulation sharedBy(int owners) {
        SpendPopulation s = copy();
        if (owners > 1 && count > 0) {
            long shared = (count + owners - 1) / owners;
            s.m2 = m2 * shared / count;
            s.count = shared;
            long sharedWithin = (withinCount + owners - 1) / owners;
            s.withinSum = withinCount == 0 ? 0 : withinSum * sharedWithin / withinCount;
            s.withinCount = sharedWithin;
            for (int i = 0; i < EVIDENCE_BUCKETS; i++) {
                s.modelBits[i] = modelBits[i].sharedBy(owners);
            }
        }
        return s;
    }

    public SpendPopulation copy() {
        SpendPopulation s = new SpendPopulation();
        s.count = count;
        s.mean = mean;
        s.m2 = m2;
        s.withinCount = withinCount;
        s.withinSum = withinSum;
        for (int i = 0; i < EVIDENCE_BUCKETS; i++) {
            s.modelBits[i] = LogHistogram.fromCounts(modelBits[i].toCounts());
        }
        return s;
    }

    /** The moments and histograms with the writing instance and parallelism in front (see InstanceShares). */
    public byte[] toTaggedBytes(int owner, int parallelism) {
        long[][] counts = new long[EVIDENCE_BUCKETS][];
        int size = 8 + 40;
        for (int i = 0; i < EVIDENCE_BUCKETS; i++) {
            counts[i] = modelBits[i].toCounts();
            size += 4 + 8 * counts[i].length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).putInt(owner).putInt(parallelism)
                .putLong(count).putDouble(mean).putDouble(m2).putLong(withinCount).putDouble(withinSum);
        for (long[] c : counts) {
            b.putInt(c.length);
            for (long v : c) {
                b.putLong(v);
            }
        }
        return b.array();
    }

    public static int ownerOf(byte[] tagged) {
        return ByteBuffer.wrap(tagged).getInt(0);
    }

    public static int parallelismOf(byte[] tagged) {
        return ByteBuffer.wrap(tagged).getInt(4);
    }

    public static SpendPopulation fromTaggedBytes(byte[] tagged) {
        ByteBuffer b = ByteBuffer.wrap(tagged, 8, tagged.length - 8);
        SpendPopulation s = new SpendPopulation();
        s.count = b.getLong();
        s.mean = b.getDouble();
        s.m2 = b.getDouble();
        s.withinCount = b.getLong();
        s.withinSum = b.getDouble();
        for (int i = 0; i < EVIDENCE_BUCKETS; i++) {
            long[] c = new long[b.getInt()];
            for (int j = 0; j < c.length; j++) {
                c[j] = b.getLong();
            }
            s.modelBits[i] = LogHistogram.fromCounts(c);
        }
        return s;
    }
}
