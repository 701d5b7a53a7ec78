package io.surprisal.feedback;

import java.util.Locale;

/** What a person did about an alert, as the feedback record's {@code action} names it. */
public enum FeedbackAction {
    /** Seen: the dashboard's own state; the job accepts it and changes nothing. */
    ACKNOWLEDGE,
    /** Alerts with this repeat key of this user are not sent until the record's end. */
    FALSE_POSITIVE,
    /** This user's alerts of one detector (or all) are not sent until the record's end. */
    MUTE,
    /** A network joins login novelty's allowlist, as an allowlist update adds it. */
    ALLOWLIST;

    /** The name in the record, e.g. {@code false_positive}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
