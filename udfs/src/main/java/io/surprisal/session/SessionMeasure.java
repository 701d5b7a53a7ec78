package io.surprisal.session;

import java.util.Locale;

/**
 * The numbers of a closed session judged against the user's own usual (detector {@code
 * session-profile}): each one's log, with an offset that makes values below it count as alike (a
 * session of 5 s and one of 40 s are both "under a minute"), judged in its upper tail. Pace is the
 * inverse of the mean gap between events, so a fast session is far above.
 */
public enum SessionMeasure {
    /** Events in the session. */
    EVENTS("events", 0),
    /** From the first event to the last, seconds; a minute's offset. */
    DURATION("duration", 60),
    /**
     * Events per second, as the inverse of the gaps between events: the session's geometric mean
     * gap (sessions of at least 3 events); a second's offset.
     */
    PACE("pace", 1),
    /** From the end of the user's previous session to the start of this one, seconds; a minute's offset. */
    VISIT_GAP("visit-gap", 60);

    public static final int COUNT = values().length;

    /** The name in the configuration and in reasons. */
    public final String key;
    private final double offset;

    SessionMeasure(String key, double offset) {
        this.key = key;
        this.offset = offset;
    }

    public static SessionMeasure byKey(String key) {
        for (SessionMeasure m : values()) {
            if (m.key.equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown session measure '" + key + "'");
    }

    /**
     * The raw value of this measure of a session with vector {@code f} and tally {@code t} (seconds
     * for times and gaps), or NaN when it has none.
     */
    public double value(double[] f, SessionTally t) {
        return switch (this) {
            case EVENTS -> f[SessionFeatures.EVENTS];
            case DURATION -> f[SessionFeatures.DURATION_S];
            case PACE -> t.gaps >= 2 ? Math.exp(t.sumLogGap / t.gaps) - offset : Double.NaN;
            case VISIT_GAP -> f[SessionFeatures.VISIT_GAP_S];
        };
    }

    /** The log judged: larger is further above the usual (for pace, a shorter gap). */
    public double log(double value) {
        double l = Math.log(value + offset);
        return this == PACE ? -l : l;
    }

    /** The raw value of a log (inverse of {@link #log}). */
    public double valueOf(double log) {
        return Math.exp(this == PACE ? -log : log) - offset;
    }

    /** How many times further than the usual {@code value} is ({@code usual} the median's raw value), the direction judged. */
    public double ratio(double value, double usual) {
        double v = value + offset;
        double u = usual + offset;
        return this == PACE ? u / v : v / u;
    }

    /** "session lasted 3 h 10 min", "session had 412 events", ... */
    public String observed(double value) {
        return switch (this) {
            case EVENTS -> String.format(Locale.ROOT, "session had %.0f events", value);
            case DURATION -> "session lasted " + duration(value);
            case PACE -> "session went at one event every " + duration(value);
            case VISIT_GAP -> "visit came " + duration(value) + " after their previous one";
        };
    }

    /** A value as the usual range says it: "12", "4 min", "0.8 s". */
    public String text(double value) {
        return this == EVENTS ? String.format(Locale.ROOT, "%.0f", value) : duration(value);
    }

    /** "0.8 s", "45 s", "9 min", "3 h 10 min", "2 d 4 h". */
    public static String duration(double seconds) {
        double s = Math.max(0, seconds);
        if (s < 10) {
            return String.format(Locale.ROOT, "%.1f s", s);
        }
        if (s < 90) {
            return String.format(Locale.ROOT, "%.0f s", s);
        }
        long min = Math.round(s / 60);
        if (min < 60) {
            return min + " min";
        }
        if (min < 48 * 60) {
            return min % 60 == 0 ? (min / 60) + " h" : (min / 60) + " h " + (min % 60) + " min";
        }
        long h = Math.round(s / 3600);
        return h % 24 == 0 ? (h / 24) + " d" : (h / 24) + " d " + (h % 24) + " h";
    }
}
