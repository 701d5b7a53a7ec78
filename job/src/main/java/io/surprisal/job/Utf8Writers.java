package io.surprisal.job;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * UTF-8 writers that never fail on text: a lone surrogate (which UTF-8 cannot encode) is written as
 * U+FFFD instead of throwing, as {@link Files#newBufferedWriter} would, and failing the task.
 */
public final class Utf8Writers {
    private static final byte[] REPLACEMENT = "\uFFFD".getBytes(StandardCharsets.UTF_8);

    private Utf8Writers() {}

    public static BufferedWriter of(OutputStream out) {
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .replaceWith(REPLACEMENT);
        return new BufferedWriter(new OutputStreamWriter(out, encoder));
    }

    /** A new (or truncated) file. */
    public static BufferedWriter of(Path file) throws IOException {
        return of(Files.newOutputStream(file));
    }
}
