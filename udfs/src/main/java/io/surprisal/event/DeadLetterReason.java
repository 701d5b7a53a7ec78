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
    /** Event time older than the watermark: arrived later than the allowed out-of-orderness. */
    LATE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
