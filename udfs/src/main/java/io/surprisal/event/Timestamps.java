package io.surprisal.event;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;

/** Event-time parsing and formatting for the input and alert contracts. */
public final class Timestamps {
    private static final DateTimeFormatter SPACE_UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** The earliest supported event time, 0001-01-01T00:00:00Z. */
    public static final long MIN_MILLIS = -62_135_596_800_000L;
    /** The latest supported event time, 9999-12-31T23:59:59.999Z. */
    public static final long MAX_MILLIS = 253_402_300_799_999L;

    private Timestamps() {}

    /**
     * An epoch-millisecond time checked against the supported range (years 1 to 9999), so that
     * event-time arithmetic (windows, bounds, out-of-orderness) can never overflow.
     *
     * @throws IllegalArgumentException when it is outside the range
     */
    public static long inRange(long epochMillis, String text) {
        if (epochMillis < MIN_MILLIS || epochMillis > MAX_MILLIS) {
            throw new IllegalArgumentException("'ts' is outside the supported years 0001 to 9999: " + text);
        }
        return epochMillis;
    }

    /**
     * Parses an ISO-8601 instant with zone or offset ({@code 2026-11-02T08:15:02Z},
     * {@code 2026-11-02T10:15:02+02:00}) or {@code YYYY-MM-DD HH:MM:SS} read as UTC.
     *
     * @throws IllegalArgumentException with a reason a person can act on
     */
    public static long parse(String text) {
        try {
            return inRange(parseUnchecked(text), text);
        } catch (ArithmeticException e) {
            // Instant accepts years up to 1,000,000,000, whose epoch milliseconds overflow a long.
            throw new IllegalArgumentException("'ts' is outside the supported years 0001 to 9999: " + text);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("'ts' is not a valid instant: " + text);
        }
    }

    private static long parseUnchecked(String text) {
        if (text.length() == 19 && text.charAt(10) == ' ') {
            try {
                return LocalDateTime.parse(text, SPACE_UTC).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'ts' is not a valid 'YYYY-MM-DD HH:MM:SS' time: " + text);
            }
        }
        if (text.endsWith("Z")) {
            try {
                return Instant.parse(text).toEpochMilli();
            } catch (DateTimeParseException e) {
                // fall through to the general form
            }
        }
        try {
            TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parse(text);
            if (!t.isSupported(ChronoField.OFFSET_SECONDS)) {
                throw new IllegalArgumentException("'ts' has no zone or offset: " + text);
            }
            return Instant.from(t).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "'ts' is not an ISO-8601 instant, 'YYYY-MM-DD HH:MM:SS' or epoch milliseconds: " + text);
        }
    }

    /** ISO-8601 in UTC, e.g. {@code 2026-11-02T08:15:02Z} (milliseconds only when present). */
    public static String format(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }
}
