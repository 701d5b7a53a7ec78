package io.surprisal.event;

/**
 * An input record the job could not use, with the reason; nothing is dropped silently. Written as
 * {@code {"error": ..., "reason": ..., "raw": "<first 4 KiB>", "source": ...}}.
 */
public class DeadLetter {
    /** At most this many characters of the raw record are kept (one fewer when the cut would split a character). */
    public static final int RAW_LIMIT = 4096;
    /** At most this many characters of the error, which may quote the input; longer ones end with a marker. */
    public static final int ERROR_LIMIT = 1024;

    /** A short machine-readable category, also the metric's label. */
    public String reason;
    /** What is wrong, for a person. */
    public String error;
    public String raw;
    public String source;

    public DeadLetter() {}

    public DeadLetter(DeadLetterReason reason, String error, String raw, String source) {
        this.reason = reason.label();
        this.error = SafeText.truncate(error, ERROR_LIMIT);
        // Every output can encode what it holds: no surrogate pair cut in two, no lone surrogate.
        this.raw = SafeText.withoutLoneSurrogates(SafeText.prefix(raw, RAW_LIMIT));
        this.source = source;
    }
}
