package io.surprisal.usual;

import io.surprisal.model.LogHistogram;
import java.nio.ByteBuffer;

/**
 * The population's values of one quantity (purchase amounts, events per session, ...), on the log
 * scale, as the prior a user's own history is blended with: the moments of all values taught (the
 * spread between and within users), and the spread of values around their own user's mean (within
 * users). Their difference is how far users' usual values lie apart (between users), which sets how
 * many values of a user's own outweigh the population (see {@link #priorPurchases}). The names
 * speak of purchases and buyers, the quantity this was first written for; any quantity works.
 *
 * <p>It also keeps how surprising the model found the population's own ordinary values, per
 * {@link EvidenceHistograms#bucket} of their users' histories: the yardstick that turns the model's tail
 * into a calibrated one ({@link #calibratedBits}). Real spending has heavier tails than a normal
 * model of its logs; how much heavier, the population shows.
 */
public final class LogPopulation {

    private long count;
    private double mean;
    private double m2;
    /** Purchases of users with history: their number and Σ n/(n+1) (x − the buyer's mean)². */
    private long withinCount;
    private double withinSum;
    /**
     * Buyers' own sample variances (of at least two purchases) at their purchases, on the log
     * scale (heavy-tailed spending has no finite fourth moment, its logs have): how many, the sum
     * of the logs and of their squares, and the sum of the sampling noise each log carries,
     * trigamma((n - 1) / 2).
     */
    private long varianceCount;
    private double varianceSum;
    private double varianceSquares;
    private double varianceNoise;
    /**
     * Visits learned in batches ({@link #learnBatch}: a visit's gaps), each one value whatever its
     * size, for the three levels of a visit's mean (see {@link #prior}): their number, the mean and
     * sum of squared deviations of their means, and the sum of 1/n of their sizes.
     */
    private long visits;
    private double visitMean;
    private double visitM2;
    private double visitInverseSize;
    /** Visits of at least two values: how many, and the sum of their own sample variances. */
    private long spreadVisits;
    private double spreadSum;
    /**
     * Visits of users with history: how many; the sum of each one's squared distance from its
     * user's mean; of 1/n of its size and 1/c of its user's history; and of its values' mean
     * squared distance from the user's mean, times c/(c+1).
     */
    private long effectVisits;
    private double effectSquares;
    private double effectInverseSize;
    private double effectInverseHistory;
    private double effectWithinSum;
    /**
     * Visits of at least three values whose third powers are known: how many, the sum of their
     * values' third central moments around the visit's mean (unbiased, k3), and of their sample
     * variances: the shape of a value's noise around its visit ({@link #skewness}).
     */
    private long skewVisits;
    private double skewSum;
    private double skewSpreadSum;
    /**
     * Visits of at least three values of users with a history of at least three: how many; the sum
     * and sum of squares of each one's log sample variance less its user's, each less the bias
     * normal values would give that difference; and the sum of the variance normal values would
     * give it. Within a user the spread is one, so what the differences scatter by is the sampling
     * noise alone ({@link #noiseInflation}).
     */
    private long noiseVisits;
    private double noiseSum;
    private double noiseSquares;
    private double noiseNormal;
    /** Per evidence bucket and generation, the model's tail bits of the population's ordinary purchases. */
    private EvidenceHistograms modelBits = new EvidenceHistograms();

    /** The spread of a user's values, for the prior of users' variances ({@link #varianceShape}). */
    private void learnSpread(LogMoments user) {
        if (user.count >= 2) {
            double v = user.variance();
            if (v > 0) {
                double logV = Math.log(v);
                varianceCount++;
                varianceSum += logV;
                varianceSquares += logV * logV;
                varianceNoise += SampleVarianceNoise.variance(user.count);
            }
        }
    }

    /** The evidence bucket of a buyer with {@code purchases} learned. */
    static int evidenceBucket(int purchases) {
        return EvidenceHistograms.bucket(purchases);
    }

    /**
     * Learns a purchase's log; {@code buyer} is the buyer's history before it, {@code bits} the
     * model's tail bits for it (NaN when it was not judged).
     */
    public void learn(double logAmount, LogMoments buyer, double bits) {
        countJudged(bits, buyer.count);
        learn(logAmount, buyer);
    }

    /**
     * Counts the model's tail bits ({@code bits}, NaN when not judged) of an ordinary value judged
     * with {@code evidence} in the yardstick ({@link #calibratedBits}), without teaching its value.
     */
    public void countJudged(double bits, int evidence) {
        if (!Double.isNaN(bits)) {
            modelBits.add(bits, evidence);
        }
    }

    /**
     * Learns {@code n} logs of one user at once (their sum and sum of squares), judged together:
     * {@code bits} the model's tail bits for their mean (NaN when not judged), counted in the
     * evidence bucket of {@code evidence}. The moments are those of the n logs one by one; the
     * user's spread counts once.
     */
    public void learnBatch(int n, double sum, double sumSquares, LogMoments user, double bits, int evidence) {
        learnBatch(n, sum, sumSquares, Double.NaN, user, bits, evidence);
    }

    /**
     * {@link #learnBatch(int, double, double, LogMoments, double, int)} with the sum of the logs'
     * third powers ({@code sumCubes}, NaN when not known), which teaches the shape of a value's noise
     * around its visit's mean ({@link #skewness}).
     */
    public void learnBatch(int n, double sum, double sumSquares, double sumCubes, LogMoments user, double bits, int evidence) {
        countJudged(bits, evidence);
        double batchMean = sum / n;
        double batchM2 = Math.max(0, sumSquares - n * batchMean * batchMean);
        long total = count + n;
        double delta = batchMean - mean;
        mean += delta * n / total;
        m2 += batchM2 + delta * delta * count * n / total;
        count = total;
        learnSpread(user);
        if (user.count >= 1) {
            double squares = sumSquares - 2 * user.mean * sum + n * user.mean * user.mean;
            withinSum += Math.max(0, squares) * user.count / (user.count + 1.0);
            withinCount += n;
        }
        learnVisit(n, batchMean, batchM2, user);
        learnNoise(n, batchM2, user);
        if (n >= 3 && !Double.isNaN(sumCubes)) {
            // Sum of cubed deviations from the visit's mean, from the power sums; k3 = n / ((n-1)(n-2)) of it.
            double cubes = sumCubes - 3 * batchMean * sumSquares + 2 * n * batchMean * batchMean * batchMean;
            skewVisits++;
            skewSum += cubes * n / ((n - 1.0) * (n - 2.0));
            skewSpreadSum += batchM2 / (n - 1);
        }
    }

    /**
     * The skewness of a value around its visit's mean: the visits' mean third central moment over
     * their mean variance to the power 3/2 (each visit weighs one; a ratio of means, so that a bot's
     * visit of near-equal gaps does not divide by its near-zero spread). NaN until {@link
     * #MIN_VISITS} visits of at least three values taught it.
     */
    public double skewness() {
        if (skewVisits < MIN_VISITS || !(skewSpreadSum > 0)) {
            return Double.NaN;
        }
        double spread = skewSpreadSum / skewVisits;
        return skewSum / skewVisits / (spread * Math.sqrt(spread));
    }

    /** A visit of {@code n} values of mean {@code m} and squared deviations {@code m2}, its user's history before it {@code user}. */
    private void learnVisit(int n, double m, double m2, LogMoments user) {
        visits++;
        double delta = m - visitMean;
        visitMean += delta / visits;
        visitM2 += delta * (m - visitMean);
        visitInverseSize += 1.0 / n;
        if (n >= 2) {
            spreadVisits++;
            spreadSum += m2 / (n - 1);
        }
        if (user.count >= 1) {
            double d = m - user.mean;
            effectVisits++;
            effectSquares += d * d;
            effectInverseSize += 1.0 / n;
            effectInverseHistory += 1.0 / user.count;
            effectWithinSum += (m2 / n + d * d) * user.count / (user.count + 1.0);
        }
    }

    /** Learns a purchase's log; {@code buyer} is the buyer's history before it. */
    public void learn(double logAmount, LogMoments buyer) {
        count++;
        double delta = logAmount - mean;
        mean += delta / count;
        m2 += delta * (logAmount - mean);
        learnSpread(buyer);
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

    /**
     * The prior a user's values are blended with: centre, weight (kappa0, in values), the variance of
     * a value around its user's mean, and the variance of a visit's mean around its user's mean
     * beyond its values' own (0 for values learned one by one).
     */
    public record Prior(double centre, double weight, double within, double visitEffect, boolean byVisits) {
        /**
         * The weight for a user with history {@code h}. For a prior of visits, the population's users
         * are not one normal cloud (bots among people, a few power users): their means are taken as a
         * Student t around the centre with {@link #USERS_DOF} degrees of freedom, a normal whose
         * variance, between / lambda, is the user's own. A user's weight is the population's times
         * E[lambda | history] = (nu + 1) / (nu + z^2), z^2 = (h - centre)^2 / (between + within / c),
         * the history's mean's distance in its own spread (the EM weight of a normal scale mixture;
         * approximate, as the history's own noise is counted in the scale). One spread away the
         * weight is the population's; a chance deviation of a short history keeps most of it, and a
         * user far out (a bot) keeps next to nothing, so that the centre does not drag a user it does
         * not describe.
         */
        public double weightFor(LogMoments h) {
            if (!byVisits || h.count == 0) {
                return weight;
            }
            double d = h.mean - centre;
            double spread = within / weight + within / h.count;
            return Math.max(0.1, weight * (USERS_DOF + 1) / (USERS_DOF + d * d / spread));
        }

        /**
         * The degrees of freedom of the users' means' t: 4, the value Lange, Little and Taylor (1989,
         * robust modelling with the t) found to serve across data sets; fixed, not fitted to one site.
         */
        static final double USERS_DOF = 4;
    }

    /** Visits learned in batches before the population's prior is that of visits ({@link #prior}). */
    static final long MIN_VISITS = 100;

    /**
     * The prior. For values learned one by one, the moments of the values ({@link #mean}, {@link
     * #priorPurchases}, {@link #withinVariance}). For values learned in batches (a visit's gaps),
     * three levels: a value is its user's mean, plus its visit's effect (variance tau^2), plus its
     * own noise (variance s^2, the visits' own sample variances); each visit weighs one, however
     * many values it has, so that a few long visits (a bot's thousands of clicks) do not make the
     * population's centre and spread theirs. A visit's mean m of n values, of a user with history
     * mean h of c values: E (m - h)^2 = tau^2 + s^2 (1/n + 1/c) (the history's visits' effects
     * taken as its values' noise), so tau^2 = mean (m - h)^2 - s^2 mean (1/n + 1/c). The visits'
     * means vary by the users' (between), their effects and their noise: between = Var(m) - tau^2 -
     * s^2 mean (1/n), floored at its own standard error, Var(m) sqrt(2 / (visits - 1)). The within
     * variance, a value around its user's mean, is each visit's mean squared distance of its
     * values from the user's mean, times c/(c+1) (the history mean's own error), averaged over
     * visits; the weight is within / between, at least 0.1.
     */
    public Prior prior() {
        if (visits < MIN_VISITS || effectVisits < 2 || spreadVisits < 2) {
            return new Prior(mean(), priorPurchases(), withinVariance(), 0, false);
        }
        double spread = spreadSum / spreadVisits;
        double effect = visitEffectVariance();
        double within = effectWithinSum / effectVisits;
        double visitVariance = visitM2 / (visits - 1);
        double between = Math.max(visitVariance - effect - spread * visitInverseSize / visits,
                visitVariance * Math.sqrt(2.0 / (visits - 1)));
        return new Prior(visitMean, Math.max(0.1, within / between), within, effect, true);
    }

    /** tau^2 of {@link #prior}: how far a visit's mean lies from its user's beyond its values' noise (0 until known). */
    double visitEffectVariance() {
        if (effectVisits < 2 || spreadVisits < 2) {
            return 0;
        }
        double spread = spreadSum / spreadVisits;
        return Math.max(0, (effectSquares - spread * (effectInverseSize + effectInverseHistory)) / effectVisits);
    }

    /** Visits learned in batches. */
    public long visits() {
        return visits;
    }

    /** Ordinary purchases whose model tail bits are known, in all buckets, in both generations. */
    public long judged() {
        return modelBits.count();
    }

    /**
     * The calibrated surprisal of a purchase the model gave {@code bits}, by a buyer with {@code
     * purchases} learned: -log2 of the share of the population's ordinary purchases the model found
     * at least as surprising, among buyers with as much history when their bucket has {@link
     * EvidenceHistograms#MIN_BUCKET_VALUES}, else among all.
     *
     * <p>Where at least {@link #TAIL_REFERENCE} purchases (a tenth of them, in a small population)
     * are as surprising, the share is counted ({@link io.surprisal.model.MultipleTests#tailBits}),
     * and never more than the model's bits. Beyond, a count of a few says little, and the tail is
     * extrapolated as a power of the model's bits from that reference point: calibrated = c_ref x
     * (bits / b_ref)^g, with g from the population's own tail between the reference and the point
     * with ten times as many beyond it (1 while the population is too small to show it; at most 1).
     * A model whose tails are too light for the site's spending, as a normal model of heavy-tailed
     * amounts, has g below 1, and its far bits count for less. A model whose tail is cautious at
     * the reference (c_ref above b_ref: fewer ordinary values reach its bits than it says) keeps
     * that caution's ratio further out, never a growing one (g at most 1), and at most {@link
     * #MAX_RAISE} times its own bits.
     */
    public Calibrated calibratedBits(double bits, int purchases) {
        return calibratedBits(bits, purchases, false);
    }

    /**
     * {@link #calibratedBits(double, int)}, where the buckets pooled for a bucket too small to be
     * the yardstick on its own leave out users without history when {@code evidence} is of a user
     * with history ({@code withHistoryApart}): judged by the population's centre alone, a first
     * visit of a user unlike the population (a bot among people) is far out, and would make the
     * tail of values judged against their own users' history look heavier than it is.
     */
    public Calibrated calibratedBits(double bits, int evidence, boolean withHistoryApart) {
        EvidenceHistograms.Yardstick y = modelBits.yardstick(evidence, withHistoryApart);
        LogHistogram yardstick = y.histogram();
        boolean same = y.sameEvidence();
        long n = yardstick.count();
        long k = yardstick.atLeast(bits);
        double counted = Math.min(bits, io.surprisal.model.MultipleTests.tailBits(k, n));
        long referenceCount = Math.min(TAIL_REFERENCE, n / 10);
        if (referenceCount < 10 || k >= referenceCount) {
            return new Calibrated(counted, k, n, same);
        }
        double reference = yardstick.quantile(1 - (double) referenceCount / n);
        long atReference = yardstick.atLeast(reference);
        if (atReference == 0 || bits <= reference) {
            return new Calibrated(counted, k, n, same);
        }
        double referenceBits = io.surprisal.model.MultipleTests.tailBits(atReference, n);
        double power = 1.0;
        if (10 * referenceCount <= n / 2) {
            double wider = yardstick.quantile(1 - 10.0 * referenceCount / n);
            long atWider = yardstick.atLeast(wider);
            double widerBits = io.surprisal.model.MultipleTests.tailBits(atWider, n);
            if (reference > wider && wider > 0 && atWider > atReference) {
                power = Math.min(1.0, Math.max(0.05, Math.log(referenceBits / widerBits) / Math.log(reference / wider)));
            }
        }
        double extrapolated = Math.min(MAX_RAISE * bits, referenceBits * Math.pow(bits / reference, power));
        return new Calibrated(Math.max(counted, extrapolated), k, n, same);
    }

    /** A calibrated tail is at most this many times the model's bits ({@link #calibratedBits}). */
    public static final double MAX_RAISE = 2.0;

    /** Purchases beyond the point from which {@link #calibratedBits} extrapolates the tail. */
    public static final long TAIL_REFERENCE = 30;

    /** Ordinary values judged whose model bits were at least {@code bits}, in all buckets, in both generations. */
    public long judgedAtLeast(double bits) {
        return modelBits.atLeast(bits);
    }

    /** The model bits that {@code count} of the ordinary values judged reached (all buckets, both generations). */
    public double judgedBitsReachedBy(long count) {
        long n = judged();
        return n == 0 ? Double.NaN : modelBits.pooled(0).quantile(1 - (double) count / n);
    }

    /** A calibrated tail: its bits, and {@code atLeast} of {@code of} ordinary purchases as surprising (among buyers with as much history, or all). */
    public record Calibrated(double bits, long atLeast, long of, boolean sameEvidence) {}

    /**
     * The shape alpha0 of the inverse-gamma prior of a user's variance, from the spread of buyers'
     * own sample variances on the log scale: for an inverse-gamma variance, Var(ln sigma^2) =
     * trigamma(alpha0), and a sample variance of n purchases adds trigamma((n - 1) / 2) to it for
     * normal values, times {@link #noiseInflation} as measured within users, which is taken out
     * first. With trigamma(a) ~ 1/a + 1/(2a^2), alpha0 = (1 + sqrt(1 + 2v)) / (2v).
     * Where users spend about as variably as each other the prior weighs many purchases; where they
     * differ, or spending has heavy tails, few. Between {@code min} (without enough buyers) and
     * {@code max}.
     */
    public double varianceShape(double min, double max) {
        if (varianceCount < 100) {
            return min;
        }
        double mean = varianceSum / varianceCount;
        double observed = varianceSquares / varianceCount - mean * mean;
        double v = observed - noiseInflation() * varianceNoise / varianceCount;
        if (!(v > 0)) {
            return max;
        }
        return Math.max(min, Math.min(max, (1 + Math.sqrt(1 + 2 * v)) / (2 * v)));
    }

    /** A visit of {@code n} values with {@code batchM2} about their mean, of {@code user} (before it), for {@link #noiseInflation}. */
    private void learnNoise(int n, double batchM2, LogMoments user) {
        double userVariance = user.variance();
        if (n < 3 || user.count < 3 || !(batchM2 > 0) || !(userVariance > 0)) {
            return;
        }
        double d = Math.log(batchM2 / (n - 1)) - Math.log(userVariance) - (SampleVarianceNoise.bias(n) - SampleVarianceNoise.bias(user.count));
        noiseVisits++;
        noiseSum += d;
        noiseSquares += d * d;
        noiseNormal += SampleVarianceNoise.variance(n) + SampleVarianceNoise.variance(user.count);
    }

    /**
     * How many times the sampling noise of a log sample variance exceeds trigamma((n - 1) / 2), what
     * normal values give it: the variance of the visits' log variances less their users' over what
     * normal values would give, at least 1 (1 until {@link #MIN_VISITS} visits). Values that are not
     * normal scatter their sample variances more, by their kurtosis (uniform gaps' logs have a long
     * fast tail); taken as normal, that scatter would pass for users spreading their values unlike
     * each other, and a user's spread would be held uncertain with no cause ({@link #varianceShape}).
     */
    public double noiseInflation() {
        if (noiseVisits < MIN_VISITS || !(noiseNormal > 0)) {
            return 1;
        }
        double m = noiseSum / noiseVisits;
        double observed = noiseSquares / noiseVisits - m * m;
        return Math.max(1, observed / (noiseNormal / noiseVisits));
    }

    /** Adds another instance's population (the counts and moments of both, as if one). */
    public void merge(LogPopulation o) {
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
        varianceCount += o.varianceCount;
        varianceSum += o.varianceSum;
        varianceSquares += o.varianceSquares;
        varianceNoise += o.varianceNoise;
        if (o.visits > 0) {
            long v = visits + o.visits;
            double d = o.visitMean - visitMean;
            visitM2 += o.visitM2 + d * d * visits * o.visits / v;
            visitMean += d * o.visits / v;
            visits = v;
        }
        visitInverseSize += o.visitInverseSize;
        spreadVisits += o.spreadVisits;
        spreadSum += o.spreadSum;
        effectVisits += o.effectVisits;
        effectSquares += o.effectSquares;
        effectInverseSize += o.effectInverseSize;
        effectInverseHistory += o.effectInverseHistory;
        effectWithinSum += o.effectWithinSum;
        skewVisits += o.skewVisits;
        skewSum += o.skewSum;
        skewSpreadSum += o.skewSpreadSum;
        noiseVisits += o.noiseVisits;
        noiseSum += o.noiseSum;
        noiseSquares += o.noiseSquares;
        noiseNormal += o.noiseNormal;
        modelBits.merge(o.modelBits);
    }

    /** This population with its counts divided among {@code owners} instances (rounded up); the moments keep their shape. */
    public LogPopulation sharedBy(int owners) {
        LogPopulation s = copy();
        if (owners > 1 && count > 0) {
            long shared = sharedCount(count, owners);
            s.m2 = m2 * shared / count;
            s.count = shared;
            long sharedWithin = sharedCount(withinCount, owners);
            s.withinSum = withinCount == 0 ? 0 : withinSum * sharedWithin / withinCount;
            s.withinCount = sharedWithin;
            double f = shareOf(varianceCount, owners);
            s.varianceCount = sharedCount(varianceCount, owners);
            s.varianceSum = varianceSum * f;
            s.varianceSquares = varianceSquares * f;
            s.varianceNoise = varianceNoise * f;
            double fv = shareOf(visits, owners);
            s.visits = sharedCount(visits, owners);
            s.visitM2 = visitM2 * fv;
            s.visitInverseSize = visitInverseSize * fv;
            long sharedSpread = sharedCount(spreadVisits, owners);
            s.spreadSum = spreadVisits == 0 ? 0 : spreadSum * sharedSpread / spreadVisits;
            s.spreadVisits = sharedSpread;
            double fe = shareOf(effectVisits, owners);
            s.effectVisits = sharedCount(effectVisits, owners);
            s.effectSquares = effectSquares * fe;
            s.effectInverseSize = effectInverseSize * fe;
            s.effectInverseHistory = effectInverseHistory * fe;
            s.effectWithinSum = effectWithinSum * fe;
            double fs = shareOf(skewVisits, owners);
            s.skewVisits = sharedCount(skewVisits, owners);
            s.skewSum = skewSum * fs;
            s.skewSpreadSum = skewSpreadSum * fs;
            double fn = shareOf(noiseVisits, owners);
            s.noiseVisits = sharedCount(noiseVisits, owners);
            s.noiseSum = noiseSum * fn;
            s.noiseSquares = noiseSquares * fn;
            s.noiseNormal = noiseNormal * fn;
            s.modelBits = modelBits.sharedBy(owners);
        }
        return s;
    }

    /** One owner's share of a count: rounded up, so that no owner is left with none of a count some had. */
    private static long sharedCount(long count, int owners) {
        return (count + owners - 1) / owners;
    }

    /** The factor that takes sums over {@code count} values to one owner's share of them ({@link #sharedCount}). */
    private static double shareOf(long count, int owners) {
        return count == 0 ? 0 : (double) sharedCount(count, owners) / count;
    }

    public LogPopulation copy() {
        LogPopulation s = new LogPopulation();
        s.count = count;
        s.mean = mean;
        s.m2 = m2;
        s.withinCount = withinCount;
        s.withinSum = withinSum;
        s.varianceCount = varianceCount;
        s.varianceSum = varianceSum;
        s.varianceSquares = varianceSquares;
        s.varianceNoise = varianceNoise;
        s.visits = visits;
        s.visitMean = visitMean;
        s.visitM2 = visitM2;
        s.visitInverseSize = visitInverseSize;
        s.spreadVisits = spreadVisits;
        s.spreadSum = spreadSum;
        s.effectVisits = effectVisits;
        s.effectSquares = effectSquares;
        s.effectInverseSize = effectInverseSize;
        s.effectInverseHistory = effectInverseHistory;
        s.effectWithinSum = effectWithinSum;
        s.skewVisits = skewVisits;
        s.skewSum = skewSum;
        s.skewSpreadSum = skewSpreadSum;
        s.noiseVisits = noiseVisits;
        s.noiseSum = noiseSum;
        s.noiseSquares = noiseSquares;
        s.noiseNormal = noiseNormal;
        s.modelBits = modelBits.copy();
        return s;
    }

    /** Bytes of the visits' statistics, written after the histograms (a population written before them has none). */
    private static final int VISIT_BYTES = 4 * 8 + 2 * 8 + 5 * 8;
    /** Bytes of the visits' shape, written after their statistics (a population written before it has none). */
    private static final int SKEW_BYTES = 3 * 8;
    /** Bytes of the sampling noise of variances, written after the shape (a population written before it has none). */
    static final int NOISE_BYTES = 4 * 8;

    /**
     * The moments and histograms with the writing instance and parallelism in front (see
     * InstanceShares), then the visits' statistics ({@link #prior}), then their shape ({@link #skewness}), then the noise of variances ({@link #noiseInflation}).
     */
    public byte[] toTaggedBytes(int owner, int parallelism) {
        long[][] counts = new long[2 * EvidenceHistograms.BUCKETS][];
        int size = 8 + 40 + 32;
        for (int i = 0; i < counts.length; i++) {
            counts[i] = modelBits.toCounts(i);
            size += 4 + 8 * counts[i].length;
        }
        size += VISIT_BYTES + SKEW_BYTES + NOISE_BYTES;
        ByteBuffer b = ByteBuffer.allocate(size).putInt(owner).putInt(parallelism)
                .putLong(count).putDouble(mean).putDouble(m2).putLong(withinCount).putDouble(withinSum)
                .putLong(varianceCount).putDouble(varianceSum).putDouble(varianceSquares).putDouble(varianceNoise);
        for (long[] c : counts) {
            b.putInt(c.length);
            for (long v : c) {
                b.putLong(v);
            }
        }
        b.putLong(visits).putDouble(visitMean).putDouble(visitM2).putDouble(visitInverseSize)
                .putLong(spreadVisits).putDouble(spreadSum)
                .putLong(effectVisits).putDouble(effectSquares).putDouble(effectInverseSize).putDouble(effectInverseHistory)
                .putDouble(effectWithinSum);
        b.putLong(skewVisits).putDouble(skewSum).putDouble(skewSpreadSum);
        b.putLong(noiseVisits).putDouble(noiseSum).putDouble(noiseSquares).putDouble(noiseNormal);
        return b.array();
    }

    public static int ownerOf(byte[] tagged) {
        return ByteBuffer.wrap(tagged).getInt(0);
    }

    public static int parallelismOf(byte[] tagged) {
        return ByteBuffer.wrap(tagged).getInt(4);
    }

    public static LogPopulation fromTaggedBytes(byte[] tagged) {
        ByteBuffer b = ByteBuffer.wrap(tagged, 8, tagged.length - 8);
        LogPopulation s = new LogPopulation();
        s.count = b.getLong();
        s.mean = b.getDouble();
        s.m2 = b.getDouble();
        s.withinCount = b.getLong();
        s.withinSum = b.getDouble();
        s.varianceCount = b.getLong();
        s.varianceSum = b.getDouble();
        s.varianceSquares = b.getDouble();
        s.varianceNoise = b.getDouble();
        for (int i = 0; i < 2 * EvidenceHistograms.BUCKETS; i++) {
            long[] c = new long[b.getInt()];
            for (int j = 0; j < c.length; j++) {
                c[j] = b.getLong();
            }
            s.modelBits.setCounts(i, c);
        }
        if (b.remaining() >= VISIT_BYTES) {
            s.visits = b.getLong();
            s.visitMean = b.getDouble();
            s.visitM2 = b.getDouble();
            s.visitInverseSize = b.getDouble();
            s.spreadVisits = b.getLong();
            s.spreadSum = b.getDouble();
            s.effectVisits = b.getLong();
            s.effectSquares = b.getDouble();
            s.effectInverseSize = b.getDouble();
            s.effectInverseHistory = b.getDouble();
            s.effectWithinSum = b.getDouble();
        }
        if (b.remaining() >= SKEW_BYTES) {
            s.skewVisits = b.getLong();
            s.skewSum = b.getDouble();
            s.skewSpreadSum = b.getDouble();
        }
        if (b.remaining() >= NOISE_BYTES) {
            s.noiseVisits = b.getLong();
            s.noiseSum = b.getDouble();
            s.noiseSquares = b.getDouble();
            s.noiseNormal = b.getDouble();
        }
        return s;
    }
}
