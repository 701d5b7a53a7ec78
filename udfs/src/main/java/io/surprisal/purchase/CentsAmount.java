package io.surprisal.purchase;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Exact money amounts as whole cents.
 *
 * <p>Amounts are parsed from their decimal text straight into a {@code long} number of cents, never
 * through {@code double}, so that every later sum, mean and standard deviation can be computed
 * exactly and truncated to two decimals without an off-by-one-cent error.
 */
public final class CentsAmount {

    /** Largest accepted amount in cents: 10^15 - 1, i.e. 9,999,999,999,999.99; keeps T * x^2 sums sane. */
    public static final long MAX_CENTS = 999_999_999_999_999L;

    private static final BigInteger ONE_HUNDRED = BigInteger.valueOf(100);

    private CentsAmount() {}

    /**
     * Parses a non-negative decimal amount such as {@code "16.83"}, {@code "5"} or {@code "1601.8"}
     * into cents. Digits beyond the second decimal are accepted only when they are zeros
     * ({@code "1.230"}), since anything else cannot be represented exactly in cents.
     *
     * @throws IllegalArgumentException with the reason when the text is not such an amount
     */
    public static long parseCents(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("amount is empty");
        }
        int length = text.length();
        int dot = -1;
        long whole = 0;
        int wholeDigits = 0;
        int i = 0;
        for (; i < length; i++) {
            char c = text.charAt(i);
            if (c == '.') {
                dot = i;
                break;
            }
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("amount '" + text + "' is not a non-negative decimal number");
            }
            if (wholeDigits > 0 || c != '0') {
                wholeDigits++;
            }
            if (wholeDigits > 13) {
                throw new IllegalArgumentException("amount '" + text + "' is too large (max " + formatCents(MAX_CENTS) + ")");
            }
            whole = whole * 10 + (c - '0');
        }
        if (i == 0) {
            throw new IllegalArgumentException("amount '" + text + "' has no digits before the decimal point");
        }
        long fraction = 0;
        if (dot >= 0) {
            int fractionDigits = length - dot - 1;
            if (fractionDigits == 0) {
                throw new IllegalArgumentException("amount '" + text + "' has no digits after the decimal point");
            }
            for (int j = dot + 1; j < length; j++) {
                char c = text.charAt(j);
                if (c < '0' || c > '9') {
                    throw new IllegalArgumentException("amount '" + text + "' is not a non-negative decimal number");
                }
                int position = j - dot; // 1 = tenths, 2 = hundredths
                if (position == 1) {
                    fraction += (c - '0') * 10L;
                } else if (position == 2) {
                    fraction += c - '0';
                } else if (c != '0') {
                    throw new IllegalArgumentException("amount '" + text + "' has a fraction of a cent");
                }
            }
        }
        return whole * 100 + fraction;
    }

    /**
     * Cents of a JSON number already read as a {@code double} (the input contract's {@code amount}).
     * The double's shortest decimal form is used ({@code 1601.83} is 160183 cents exactly); a
     * fraction of a cent is rounded half-even.
     *
     * @throws IllegalArgumentException when the amount is negative, not finite or above {@link #MAX_CENTS}
     */
    public static long fromAmount(double amount) {
        if (!Double.isFinite(amount) || amount < 0) {
            throw new IllegalArgumentException("amount " + amount + " is not a non-negative finite number");
        }
        BigDecimal cents = BigDecimal.valueOf(amount).setScale(2, RoundingMode.HALF_EVEN).movePointRight(2);
        if (cents.compareTo(BigDecimal.valueOf(MAX_CENTS)) > 0) {
            throw new IllegalArgumentException("amount " + amount + " is too large (max " + formatCents(MAX_CENTS) + ")");
        }
        return cents.longValueExact();
    }

    /** Formats cents as {@code d.dd}, e.g. 2910 -> {@code "29.10"}, -5 -> {@code "-0.05"}. */
    public static String formatCents(long cents) {
        return formatCents(BigInteger.valueOf(cents));
    }

    /** Formats cents as {@code d.dd}, e.g. 2910 -> {@code "29.10"}. Never prints {@code "-0.00"}. */
    public static String formatCents(BigInteger cents) {
        BigInteger magnitude = cents.abs();
        BigInteger[] wholeAndFraction = magnitude.divideAndRemainder(ONE_HUNDRED);
        int fraction = wholeAndFraction[1].intValue();
        StringBuilder text = new StringBuilder(24);
        if (cents.signum() < 0) {
            text.append('-');
        }
        text.append(wholeAndFraction[0]).append('.');
        if (fraction < 10) {
            text.append('0');
        }
        return text.append(fraction).toString();
    }

    /**
     * Truncates (rounds toward zero, never up) to two decimals and prints them, e.g. 29.109 ->
     * {@code "29.10"}, -1.005 -> {@code "-1.00"}, -0.004 -> {@code "0.00"}.
     */
    public static String truncate2(BigDecimal value) {
        BigDecimal truncated = value.setScale(2, RoundingMode.DOWN);
        return formatCents(truncated.unscaledValue());
    }
}
