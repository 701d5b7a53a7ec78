package io.surprisal.usual;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Populations' checkpoint bytes written by earlier code, kept gzipped under {@code state/}. */
final class GoldenPopulations {
    private GoldenPopulations() {}

    static byte[] read(String resource) throws IOException {
        try (InputStream in = new GZIPInputStream(GoldenPopulations.class.getResourceAsStream("/state/" + resource))) {
            return in.readAllBytes();
        }
    }
}
