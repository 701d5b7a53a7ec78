package io.surprisal.purchase;

import java.math.BigInteger;

/**
 * Exact running statistics of a set of amounts in cents (count N, sum S, sum of squares Q) and the
 * exact anomaly verdict derived from them.
 *
 * <p>No floating point is involved anywhere:
 * <ul>
 *   <li>flag: {@code x > mean + 3 sd} with {@code mean = S/N} and {@code sd = sqrt(V)/N}, where
 *       {@code V = N*Q - S^2 >= 0}; multiplying by N gives {@code L = N*x - S > 3 sqrt(V)}, i.e.
 *       {@code L > 0 && L^2 > 9 V}.</li>
 *   <li>mean in cents, truncated: {@code S / N} with integer division rounding toward zero (this
 *       is truncation for either sign; amounts are non-negative in practice).</li>
 *   <li>sd in cents, truncated: {@code floor(isqrt(V) / N)}. Proof that this equals
 *       {@code floor(sqrt(V) / N)}: let {@code k = floor(sqrt(V)/N)} and {@code r = isqrt(V)}, so
 *       {@code r <= sqrt(V) < r + 1}. From {@code kN <= sqrt(V)} and {@code kN} integer,
 *       {@code kN <= r}; from {@code r <= sqrt(V) < (k+1)N}, {@code r < (k+1)N}. Hence
 *       {@code k <= r/N < k+1}, i.e. {@code floor(r/N) = k}.</li>
 * </ul>
 * Sums are kept in {@code long} while they fit and switch to {@link BigInteger} on overflow, so
 * the common case allocates nothing per added amount. An instance is meant to be {@link #reset()}
 * and reused; it is not thread-safe.
 */
public final class NetworkStats {

    private static final BigInteger NINE = BigInteger.valueOf(9);

    private int count;
    private long sum;
    private long sumOfSquares;
    private BigInteger bigSum;          // non-null once the long sums overflowed
    private BigInteger bigSumOfSquares;

    /** Forgets every added amount. */
    public void reset() {
        count = 0;
        sum = 0;
        sumOfSquares = 0;
        bigSum = null;
        bigSumOfSquares = null;
    }

    /** Adds one amount in cents. */
    public void add(long cents) {
        count++;
        if (bigSum == null) {
            try {
                long square = Math.multiplyExact(cents, cents);
                long newSum = Math.addExact(sum, cents);
                sumOfSquares = Math.addExact(sumOfSquares, square);
                sum = newSum;
                return;
            } catch (ArithmeticException overflow) {
                bigSum = BigInteger.valueOf(sum);
                bigSumOfSquares = BigInteger.valueOf(sumOfSquares);
            }
        }
        BigInteger x = BigInteger.valueOf(cents);
        bigSum = bigSum.add(x);
        bigSumOfSquares = bigSumOfSquares.add(x.multiply(x));
    }

    /** How many amounts have been added since the last reset. */
    public int count() {
        return count;
    }

    /** Judges an amount in cents against the amounts added so far (which must not include it). */
    public PurchaseJudgement judge(long amountCents) {
        if (count < 2) {
            return PurchaseJudgement.notEnoughHistory(count);
        }
        if (bigSum == null) {
            try {
                return judgeInLongs(amountCents);
            } catch (ArithmeticException overflow) {
                // fall through to the BigInteger computation below
            }
        }
        BigInteger n = BigInteger.valueOf(count);
        BigInteger s = bigSum != null ? bigSum : BigInteger.valueOf(sum);
        BigInteger q = bigSumOfSquares != null ? bigSumOfSquares : BigInteger.valueOf(sumOfSquares);
        BigInteger scaledVariance = n.multiply(q).subtract(s.multiply(s)); // V = N^2 * variance
        BigInteger lead = n.multiply(BigInteger.valueOf(amountCents)).subtract(s); // L = N*(x - mean)
        boolean flagged = lead.signum() > 0 && lead.multiply(lead).compareTo(NINE.multiply(scaledVariance)) > 0;
        BigInteger meanCents = s.divide(n); // BigInteger division truncates toward zero
        BigInteger sdCents = scaledVariance.sqrt().divide(n);
        return new PurchaseJudgement(count, flagged, meanCents, sdCents);
    }

    /** The same computation as {@link #judge} in {@code long}s; throws ArithmeticException on overflow. */
    private PurchaseJudgement judgeInLongs(long amountCents) {
        long scaledVariance = Math.subtractExact(Math.multiplyExact(count, sumOfSquares), Math.multiplyExact(sum, sum));
        long lead = Math.subtractExact(Math.multiplyExact(count, amountCents), sum);
        boolean flagged = lead > 0 && Math.multiplyExact(lead, lead) > Math.multiplyExact(9, scaledVariance);
        return new PurchaseJudgement(count, flagged, BigInteger.valueOf(sum / count),
                BigInteger.valueOf(isqrt(scaledVariance) / count));
    }

    /** floor(sqrt(Long.MAX_VALUE)): the largest root whose square fits in a long. */
    private static final long MAX_LONG_ROOT = 3_037_000_499L;

    /** floor(sqrt(value)) for 0 <= value <= Long.MAX_VALUE, exact (the double estimate is corrected). */
    static long isqrt(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("square root of negative " + value);
        }
        long root = Math.min((long) Math.sqrt((double) value), MAX_LONG_ROOT); // clamp: squares stay in range
        while (root * root > value) {
            root--;
        }
        while (root < MAX_LONG_ROOT && (root + 1) * (root + 1) <= value) {
            root++;
        }
        return root;
    }

    /** Convenience: judges {@code amountCents} against the given history amounts in cents. */
    public static PurchaseJudgement judgeAgainst(long amountCents, long... historyCents) {
        NetworkStats stats = new NetworkStats();
        for (long cents : historyCents) {
            stats.add(cents);
        }
        return stats.judge(amountCents);
    }
}
