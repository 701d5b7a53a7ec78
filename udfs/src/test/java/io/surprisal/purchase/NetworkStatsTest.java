package io.surprisal.purchase;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NetworkStatsTest {

    private static final MathContext PRECISE = new MathContext(80, RoundingMode.HALF_EVEN);

    @Test
    void insightSampleGivesMean2910AndSd2146() {
        PurchaseJudgement judgement = NetworkStats.judgeAgainst(160183, 1683, 5928, 1120);
        assertThat(judgement.flagged()).isTrue();
        assertThat(judgement.meanText()).isEqualTo("29.10"); // 29.1033...
        assertThat(judgement.sdText()).isEqualTo("21.46");   // 21.4636...
        assertThat(judgement.mean()).isEqualByComparingTo("29.10");
        assertThat(judgement.historySize()).isEqualTo(3);
    }

    @Test
    void fewerThanTwoPurchasesAreNeverFlagged() {
        assertThat(NetworkStats.judgeAgainst(999_999_999L).flagged()).isFalse();
        PurchaseJudgement one = NetworkStats.judgeAgainst(999_999_999L, 1);
        assertThat(one.flagged()).isFalse();
        assertThat(one.hasStatistics()).isFalse();
        assertThat(one.historySize()).isEqualTo(1);
        assertThat(NetworkStats.judgeAgainst(999_999_999L, 1, 1).flagged()).isTrue();
    }

    @Test
    void meanExactlyHalfACentIsTruncatedNotRounded() {
        PurchaseJudgement judgement = NetworkStats.judgeAgainst(0, 100, 101); // 1.00, 1.01
        assertThat(judgement.meanText()).isEqualTo("1.00"); // exact 1.005; rounding would say 1.01
        assertThat(judgement.sdText()).isEqualTo("0.00");   // exact 0.005
    }

    @Test
    void sdIrrationalJustBelowACentBoundaryIsTruncated() {
        // 1.00, 1.02, 19.02: N*Q - S^2 = 6487208 = 2547^2 - 1, so sd = sqrt(6487208)/3 cents
        // = 8.4899980...: just below 8.49, which rounding (or a sloppy float) would print.
        PurchaseJudgement judgement = NetworkStats.judgeAgainst(0, 100, 102, 1902);
        assertThat(judgement.sdText()).isEqualTo("8.48");
        assertThat(judgement.meanText()).isEqualTo("7.01"); // 7.0133...
        BigDecimal exactSd = new BigDecimal(6487208).sqrt(PRECISE).divide(BigDecimal.valueOf(300), PRECISE);
        assertThat(exactSd).isBetween(new BigDecimal("8.4899"), new BigDecimal("8.49"));
    }

    @Test
    void exactlyThreeSdAboveTheMeanIsNotFlagged() {
        // history 0.00, 0.02: mean 0.01, sd 0.01, so the threshold is exactly 0.04
        assertThat(NetworkStats.judgeAgainst(4, 0, 2).flagged()).isFalse();
        assertThat(NetworkStats.judgeAgainst(5, 0, 2).flagged()).isTrue();
        // with an irrational sd: 1.00, 1.02, 19.02 -> threshold 7.0133.. + 3 * 8.48999.. = 32.4833..
        assertThat(NetworkStats.judgeAgainst(3248, 100, 102, 1902).flagged()).isFalse();
        assertThat(NetworkStats.judgeAgainst(3249, 100, 102, 1902).flagged()).isTrue();
        assertThat(NetworkStats.judgeAgainst(0, 100, 102, 1902).flagged()).isFalse(); // far below: L < 0
    }

    @Test
    void largeAmountsAreExact() {
        long max = CentsAmount.parseCents("99999999999.99");
        assertThat(max).isEqualTo(9_999_999_999_999L);
        PurchaseJudgement same = NetworkStats.judgeAgainst(max, max, max, max);
        assertThat(same.meanText()).isEqualTo("99999999999.99");
        assertThat(same.sdText()).isEqualTo("0.00");
        assertThat(same.flagged()).isFalse();
        // one cent more than identical large amounts is above mean + 3 * 0
        assertThat(NetworkStats.judgeAgainst(max + 1, max, max).flagged()).isTrue();
        // squares overflow long here; the BigInteger path must agree with the reference
        PurchaseJudgement mixed = NetworkStats.judgeAgainst(max, max, 1, max - 1, 12_345_678_901_234L);
        assertMatchesReference(mixed, max, max, 1, max - 1, 12_345_678_901_234L);
        assertThat(mixed.meanText()).isEqualTo("80864197253.08"); // 32345678901232 cents / 4
    }

    @Test
    void anAmountOf50100000000000_83IsFlaggedExactly() {
        long amount = CentsAmount.parseCents("50100000000000.83");
        // against ordinary amounts
        PurchaseJudgement small = NetworkStats.judgeAgainst(amount, 1000, 1200);
        assertThat(small.flagged()).isTrue();
        assertThat(small.meanText()).isEqualTo("11.00");
        assertThat(small.sdText()).isEqualTo("1.00");
        // against amounts of its own size, a few cents apart: the sums of squares need more than 64 bits
        long[] history = {
            CentsAmount.parseCents("50099999999999.50"), CentsAmount.parseCents("50100000000000.10"),
            CentsAmount.parseCents("50100000000000.20"), CentsAmount.parseCents("50099999999999.90")};
        PurchaseJudgement near = NetworkStats.judgeAgainst(amount, history);
        assertThat(near.flagged()).isTrue(); // threshold 50100000000000.729...
        assertThat(near.meanText()).isEqualTo("50099999999999.92");
        assertThat(near.sdText()).isEqualTo("0.26");
        assertMatchesReference(near, amount, history);
        assertThat(NetworkStats.judgeAgainst(CentsAmount.parseCents("50100000000000.72"), history).flagged()).isFalse();
        assertThat(NetworkStats.judgeAgainst(CentsAmount.parseCents("50100000000000.73"), history).flagged()).isTrue();
    }

    @Test
    void theLargestAmountsAreExact() {
        long max = CentsAmount.MAX_CENTS;
        PurchaseJudgement same = NetworkStats.judgeAgainst(max, max, max, max);
        assertThat(same.meanText()).isEqualTo("92233720368547758.07");
        assertThat(same.sdText()).isEqualTo("0.00");
        assertThat(same.flagged()).isFalse();
        assertThat(NetworkStats.judgeAgainst(max, max - 1, max - 1).flagged()).isTrue(); // one cent above, sd 0
        // sums beyond 2^63 and squares beyond 2^126
        long[] history = {max, 0, max - 1, max / 2, 1};
        assertMatchesReference(NetworkStats.judgeAgainst(max, history), max, history);
        assertMatchesReference(NetworkStats.judgeAgainst(0, history), 0, history);
        long[] extremes = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, max};
        assertMatchesReference(NetworkStats.judgeAgainst(max, extremes), max, extremes);
    }

    @Test
    void negativeMeansTruncateTowardZero() {
        assertThat(NetworkStats.judgeAgainst(0, -1, -2).meanText()).isEqualTo("-0.01"); // -1.5 cents
        assertThat(NetworkStats.judgeAgainst(0, -1, 0).meanText()).isEqualTo("0.00");   // -0.5 cents, never "-0.00"
        assertThat(CentsAmount.truncate2(new BigDecimal("-1.005"))).isEqualTo("-1.00");
        assertThat(CentsAmount.truncate2(new BigDecimal("-0.004"))).isEqualTo("0.00");
        assertThat(CentsAmount.truncate2(new BigDecimal("29.109"))).isEqualTo("29.10");
        assertThat(CentsAmount.truncate2(new BigDecimal("5"))).isEqualTo("5.00");
        assertThat(CentsAmount.truncate2(new BigDecimal("1E+3"))).isEqualTo("1000.00");
    }

    @Test
    void randomHistoriesMatchAnIndependentHighPrecisionReference() {
        Random random = new Random(42);
        for (int round = 0; round < 5_000; round++) {
            int n = 2 + random.nextInt(8);
            long[] history = new long[n];
            long scale = switch (random.nextInt(4)) {
                case 0 -> 5;             // tiny: many ties, exact thresholds
                case 1 -> 10_000;
                case 2 -> 100_000_000;
                default -> CentsAmount.MAX_CENTS; // squares overflow long
            };
            for (int i = 0; i < n; i++) {
                history[i] = (long) (random.nextDouble() * scale);
            }
            long amount = (long) (random.nextDouble() * scale * 3);
            assertMatchesReference(NetworkStats.judgeAgainst(amount, history), amount, history);
        }
    }

    @Test
    void integerSquareRootIsExactAroundPerfectSquares() {
        assertThat(NetworkStats.isqrt(0)).isZero();
        assertThat(NetworkStats.isqrt(Long.MAX_VALUE)).isEqualTo(BigInteger.valueOf(Long.MAX_VALUE).sqrt().longValueExact());
        assertThat(NetworkStats.isqrt(3_037_000_499L * 3_037_000_499L)).isEqualTo(3_037_000_499L);
        assertThat(NetworkStats.isqrt(3_037_000_499L * 3_037_000_499L - 1)).isEqualTo(3_037_000_498L);
        Random random = new Random(11);
        for (int i = 0; i < 100_000; i++) {
            long root = 1 + (long) (random.nextDouble() * 3_037_000_498L); // squares up to Long.MAX_VALUE
            long square = root * root;
            assertThat(NetworkStats.isqrt(square)).isEqualTo(root);
            assertThat(NetworkStats.isqrt(square - 1)).isEqualTo(root - 1);
            assertThat(NetworkStats.isqrt(square + 2 * root)).isEqualTo(root); // (root + 1)^2 - 1
        }
    }

    @Test
    void statsAreReusableAfterReset() {
        NetworkStats stats = new NetworkStats();
        stats.add(CentsAmount.MAX_CENTS);
        stats.add(CentsAmount.MAX_CENTS); // switches to BigInteger
        stats.reset();
        stats.add(100);
        stats.add(300);
        assertThat(stats.judge(0).meanText()).isEqualTo("2.00");
        assertThat(stats.judge(0).sdText()).isEqualTo("1.00");
    }

    /** Reference: decimal arithmetic with 80 significant digits, then truncation. */
    private static void assertMatchesReference(PurchaseJudgement actual, long amount, long... history) {
        BigDecimal n = BigDecimal.valueOf(history.length);
        BigDecimal sum = BigDecimal.ZERO;
        for (long cents : history) {
            sum = sum.add(BigDecimal.valueOf(cents));
        }
        BigDecimal mean = sum.divide(n, PRECISE);
        BigDecimal squares = BigDecimal.ZERO;
        for (long cents : history) {
            BigDecimal deviation = BigDecimal.valueOf(cents).subtract(mean);
            squares = squares.add(deviation.multiply(deviation));
        }
        BigDecimal sd = squares.divide(n, PRECISE).sqrt(PRECISE);
        BigDecimal threshold = mean.add(sd.multiply(BigDecimal.valueOf(3)));
        String context = "amount " + amount + " history " + java.util.Arrays.toString(history);
        // 80 digits cannot represent an exact tie (amount == mean + 3 sd, e.g. sd = 4/3) exactly; a
        // real gap between an integer and this quadratic irrational is far above 1e-50, so treat
        // anything closer as the tie it is (not flagged).
        boolean referenceFlag = BigDecimal.valueOf(amount).subtract(threshold).compareTo(new BigDecimal("1e-50")) > 0;
        assertThat(actual.flagged()).as(context).isEqualTo(referenceFlag);
        assertThat(actual.meanCents()).as(context).isEqualTo(mean.setScale(0, RoundingMode.DOWN).toBigIntegerExact());
        assertThat(actual.sdCents()).as(context).isEqualTo(sd.setScale(0, RoundingMode.FLOOR).toBigIntegerExact());
        assertThat(actual.historySize()).isEqualTo(history.length);
        assertThat(actual.sdCents()).isNotNull().isGreaterThanOrEqualTo(BigInteger.ZERO);
    }
}
