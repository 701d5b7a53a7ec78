package io.surprisal.event;

import java.util.Locale;

/** Why a record went to the dead-letter output. */
public enum DeadLetterReason {
    /** Not valid JSON, or not a JSON object. */
    MALFORMED_JSON,
    /** A required field ({@code ts}, {@code user}, {@code action}) is absent or empty. */
    MISSING_FIELD,
    /** A field has the wrong JSON type or an unusable value. */
    WRONG_TYPE,
    /** Longer than {@code source.max-line-bytes}. */
    TOO_LONG,
    /** Bytes that are not valid UTF-8: decoding them would merge different names into one. */
    INVALID_UTF8,
    /**
     * Event time too far ahead of its source split's stream ({@code source.max-ahead}): taken, it
     * would carry event time forward and make every later event late.
     */
    FUTURE,
    /** Event time older than the watermark: arrived later than the allowed out-of-orderness. */
    LATE,
    /** A model update (detector model) that cannot be used; the model in use goes on scoring. */
    UNUSABLE_MODEL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
