package io.surprisal.purchase;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/**
 * Exact money amounts as whole cents in a {@code long}.
 *
 * <p>Amounts are read from their decimal text straight into cents, never through {@code double},
 * so that every later sum, mean and standard deviation can be computed exactly
 * ({@link NetworkStats}) and truncated to two decimals without an off-by-one-cent error. Any
 * non-negative amount in whole cents up to {@link #MAX_CENTS} is accepted; what is refused is
 * refused with the reason (negative, too large, a fraction of a cent, not a number).
 */
public final class CentsAmount {

    /** Largest amount in cents: the {@code long} limit, 92233720368547758.07. Sums and squares go to BigInteger. */
    public static final long MAX_CENTS = Long.MAX_VALUE;

    /**
     * Amounts that arrive as a {@code double} (the job's JSON {@code amount}) are read to the cent
     * only below this, 2^46 = 70368744177664.00: there a double's spacing is at most 2^-7, so the
     * double nearest to a whole-cents amount is within 2^-8 < half a cent of it and rounds back to it.
     * From 2^46 on the spacing is 2^-6 or more and two whole-cents amounts can share one double.
     */
    public static final double DOUBLE_EXACT_LIMIT = 0x1p46;

    private static final BigInteger ONE_HUNDRED = BigInteger.valueOf(100);
    /** JSON's number syntax, leading zeros allowed (the challenge writes amounts as strings). */
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    /** More whole digits than this cannot fit {@link #MAX_CENTS} (17 digits, 92233720368547758). */
    private static final int MAX_WHOLE_DIGITS = 17;

    private CentsAmount() {}

    /**
     * Parses a non-negative amount such as {@code "16.83"}, {@code "5"}, {@code "1601.8"} or
     * {@code "5.01E13"} into cents. Digits beyond the second decimal are accepted only when they are
     * zeros ({@code "1.230"}), since anything else cannot be represented exactly in cents.
     *
     * @throws IllegalArgumentException with the reason when the text is not such an amount
     */
    public static long parseCents(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("amount is empty");
        }
        long plain = parsePlainCents(text);
        if (plain >= 0) {
            return plain;
        }
        if (!NUMBER.matcher(text).matches()) {
            throw new IllegalArgumentException("amount '" + text + "' is not a non-negative decimal number");
        }
        BigDecimal value;
        try {
            value = new BigDecimal(text);
        } catch (NumberFormatException exponentOutOfRange) {
            throw new IllegalArgumentException("amount '" + text + "' has an exponent out of range");
        }
        return centsOf(value, "'" + text + "'");
    }

    /**
     * The common shape, {@code digits[.digits]}, without allocating: its cents, or -1 when the text
     * has another shape (sign, exponent, garbage) and needs the general path.
     */
    private static long parsePlainCents(String text) {
        int length = text.length();
        int wholeDigits = 0;
        int i = 0;
        long whole = 0;
        for (; i < length && isDigit(text.charAt(i)); i++) {
            if (wholeDigits > 0 || text.charAt(i) != '0') {
                wholeDigits++;
            }
            if (wholeDigits > MAX_WHOLE_DIGITS) {
                return -1; // too large: the general path says so
            }
            whole = whole * 10 + (text.charAt(i) - '0');
        }
        if (i == 0) {
            return -1;
        }
        long fraction = 0;
        if (i < length) {
            if (text.charAt(i) != '.' || i == length - 1) {
                return -1;
            }
            for (int j = i + 1; j < length; j++) {
                char c = text.charAt(j);
                if (!isDigit(c)) {
                    return -1;
                }
                int position = j - i; // 1 = tenths, 2 = hundredths
                if (position == 1) {
                    fraction += (c - '0') * 10L;
                } else if (position == 2) {
                    fraction += c - '0';
                } else if (c != '0') {
                    return -1; // a fraction of a cent: the general path says so
                }
            }
        }
        if (whole > (MAX_CENTS - fraction) / 100) {
            return -1;
        }
        return whole * 100 + fraction;
    }

    /** The exact cents of a decimal value; {@code shown} names it in messages. */
    private static long centsOf(BigDecimal value, String shown) {
        if (value.signum() < 0) {
            throw new IllegalArgumentException("amount " + shown + " is negative");
        }
        if (value.signum() == 0) {
            return 0;
        }
        // precision - scale = digits before the point; long: the scale may be near Integer.MIN_VALUE.
        if ((long) value.precision() - value.scale() > MAX_WHOLE_DIGITS) {
            throw tooLarge(shown);
        }
        if (value.stripTrailingZeros().scale() > 2) {
            throw new IllegalArgumentException("amount " + shown + " has a fraction of a cent");
        }
        try {
            return value.movePointRight(2).longValueExact();
        } catch (ArithmeticException aboveLongRange) {
            throw tooLarge(shown);
        }
    }

    private static IllegalArgumentException tooLarge(String shown) {
        return new IllegalArgumentException("amount " + shown + " is too large (max " + formatCents(MAX_CENTS) + ")");
    }

    /**
     * Cents of an amount already read as a {@code double} (the job's JSON {@code amount}).
     *
     * <p>Below {@link #DOUBLE_EXACT_LIMIT}, an amount written in whole cents comes back exactly: the
     * double's exact binary value is within a quarter of a cent of the written amount, so rounding it
     * to the cent gives that amount, and the check that this amount's own double is the same double
     * confirms it. Anything else was written with a fraction of a cent (or computed, like
     * {@code 0.1 + 0.2}): its shortest decimal form is rounded half-even ({@code 1.015} -> 1.02).
     *
     * @throws IllegalArgumentException with the reason when the amount is negative, not finite or
     *     at least {@link #DOUBLE_EXACT_LIMIT}
     */
    public static long fromAmount(double amount) {
        if (!Double.isFinite(amount)) {
            throw new IllegalArgumentException("amount " + amount + " is not a finite number");
        }
        if (amount < 0) {
            throw new IllegalArgumentException("amount " + amount + " is negative");
        }
        if (amount >= DOUBLE_EXACT_LIMIT) {
            throw new IllegalArgumentException("amount " + amount + " is too large to be read to the cent: numbers are read"
                    + " as doubles, exact to the cent below " + new BigDecimal(DOUBLE_EXACT_LIMIT).setScale(2).toPlainString());
        }
        long nearest = new BigDecimal(amount).setScale(2, RoundingMode.HALF_EVEN).unscaledValue().longValueExact();
        if (nearest / 100.0 == amount) { // both operands exact, so the quotient is the correctly rounded double of nearest/100
            return nearest;
        }
        return BigDecimal.valueOf(amount).setScale(2, RoundingMode.HALF_EVEN).unscaledValue().longValueExact();
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

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
