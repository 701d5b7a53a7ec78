package io.surprisal.tools.challenge;

/**
 * Strict parser for the challenge's timestamps, {@code "YYYY-MM-DD HH:MM:SS"}.
 *
 * <p>A timestamp becomes the decimal number {@code YYYYMMDDHHMMSS} in a {@code long}: with every
 * field validated to its calendar range, numeric order of these keys is chronological order, and
 * parsing needs no allocation and no time-zone rules (the log has none).
 */
public final class EventTimestamp {

    private EventTimestamp() {}

    /**
     * Parses {@code "YYYY-MM-DD HH:MM:SS"} into an order-preserving key {@code YYYYMMDDHHMMSS}.
     *
     * @throws IllegalArgumentException with the reason when the text has another shape or a field
     *     is out of range (month 13, February 30, second 61, ...)
     */
    public static long parse(String text) {
        if (text == null || text.length() != 19
                || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != ' '
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            throw new IllegalArgumentException("timestamp '" + text + "' is not of the form YYYY-MM-DD HH:MM:SS");
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (month < 1 || month > 12) {
            throw outOfRange(text, "month", month);
        }
        if (day < 1 || day > daysInMonth(year, month)) {
            throw outOfRange(text, "day", day);
        }
        if (hour > 23) {
            throw outOfRange(text, "hour", hour);
        }
        if (minute > 59) {
            throw outOfRange(text, "minute", minute);
        }
        if (second > 59) {
            throw outOfRange(text, "second", second);
        }
        return ((((year * 100L + month) * 100 + day) * 100 + hour) * 100 + minute) * 100 + second;
    }

    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("timestamp '" + text + "' has a non-digit '" + c + "' at position " + (i + 1));
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private static IllegalArgumentException outOfRange(String text, String field, int value) {
        return new IllegalArgumentException("timestamp '" + text + "' has " + field + " " + value + " out of range");
    }
}
