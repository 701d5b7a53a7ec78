package io.surprisal.event;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

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
    /**
     * Why the bytes are not valid UTF-8, or null. {@link #text} then shows them with U+FFFD in place
     * of each bad sequence, for the dead letter only: two different byte strings must never become
     * the same user.
     */
    public String encodingError;

    public SourceLine() {}

    public SourceLine(String text, String source, long length, boolean truncated) {
        this.text = text;
        this.source = source;
        this.length = length;
        this.truncated = truncated;
    }

    /**
     * Decodes {@code len} bytes as strict UTF-8, without a leading byte-order mark. A truncated
     * record is decoded leniently (its cut may split a character; it is a dead letter anyway).
     */
    public static SourceLine decode(byte[] bytes, int len, String source, long length, boolean truncated) {
        int off = len >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf ? 3 : 0;
        String text = new String(bytes, off, len - off, StandardCharsets.UTF_8);
        SourceLine line = new SourceLine(text, source, length, truncated);
        // The lenient decode puts U+FFFD where bytes are bad; only then is the strict check needed.
        if (!truncated && text.indexOf('\uFFFD') >= 0) {
            ByteBuffer in = ByteBuffer.wrap(bytes, off, len - off);
            try {
                StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(in);
            } catch (CharacterCodingException e) {
                line.encodingError = "not valid UTF-8 at byte " + in.position();
            }
        }
        return line;
    }
}
