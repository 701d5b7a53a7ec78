package io.surprisal.jmh;

import io.surprisal.event.Event;
import io.surprisal.event.EventParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Real input for the micro-benchmarks: the committed quickstart sample (simulated, 400 users). */
final class Samples {
    private Samples() {}

    private static final String SAMPLE = "src-test-data/samples/quickstart.jsonl.gz";

    /** The sample's lines, read from the repository root or the udfs module directory. */
    static List<String> lines() throws IOException {
        Path p = Path.of(SAMPLE);
        if (!Files.exists(p)) {
            p = Path.of("..", SAMPLE);
        }
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(p)), StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
                if (!l.isBlank()) {
                    out.add(l);
                }
            }
        }
        return out;
    }

    static List<Event> events() throws Exception {
        List<Event> out = new ArrayList<>();
        for (String l : lines()) {
            out.add(EventParser.parse(l));
        }
        return out;
    }
}
