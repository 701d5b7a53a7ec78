package io.surprisal.event;

/**
 * An input record the job could not use, with the reason; nothing is dropped silently. Written as
 * {@code {"error": ..., "reason": ..., "raw": "<first 4 KiB>", "source": ...}}.
 */
public class DeadLetter {
    /** At most this many characters of the raw record are kept. */
    public static final int RAW_LIMIT = 4096;

    /** A short machine-readable category, also the metric's label. */
    public String reason;
    /** What is wrong, for a person. */
    public String error;
    public String raw;
    public String source;

    public DeadLetter() {}

    public DeadLetter(DeadLetterReason reason, String error, String raw, String source) {
        this.reason = reason.label();
        this.error = error;
        this.raw = raw == null ? null : (raw.length() > RAW_LIMIT ? raw.substring(0, RAW_LIMIT) : raw);
        this.source = source;
    }
}
