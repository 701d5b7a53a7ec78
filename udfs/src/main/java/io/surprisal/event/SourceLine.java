package io.surprisal.event;

/**
 * One raw input record before parsing: the text of a line (or of a Kafka value) and where it came
 * from. A line over the size limit arrives truncated, with {@link #length} telling its real size.
 */
public class SourceLine {
    public String text;
    /** {@code file:line} or {@code topic/partition/offset}. */
    public String source;
    /** The record's full length in bytes (may exceed {@code text}'s when truncated). */
    public long length;
    /** True when the record was longer than the configured limit and {@code text} holds only its start. */
    public boolean truncated;

    public SourceLine() {}

    public SourceLine(String text, String source, long length, boolean truncated) {
        this.text = text;
        this.source = source;
        this.length = length;
        this.truncated = truncated;
    }
}
