package io.surprisal.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.tools.methods.SessionVectors;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code surprisal eval --methods} end to end on the committed quickstart sample: one job run gives
 * the alerts and the session vectors, and the seeds' four methods appear beside the job with a row
 * per labelled group.
 */
class EvalMethodsITCase {
    private static final Path SAMPLES = Path.of("..", "src-test-data", "samples");

    @Test
    void theSeedsMethodsStandBesideTheJob(@TempDir Path dir) throws Exception {
        Path events = gunzip(SAMPLES.resolve("quickstart.jsonl.gz"), dir.resolve("events.jsonl"));
        Path labels = SAMPLES.resolve("quickstart.labels.csv");
        Path sessions = dir.resolve("sessions.jsonl");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = new CommandLine(new SurprisalCli()).execute("eval", "--input", events.toString(),
                    "--labels", labels.toString(), "--methods", "--methods-sample", "300",
                    "--sessions-out", sessions.toString());
        } finally {
            System.setOut(stdout);
        }
        assertThat(code).isZero();
        String text = out.toString(StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();
        String header = lines.stream().filter(l -> l.startsWith("group ")).findFirst().orElseThrow();
        assertThat(header).contains("job", "z-score", "LOF", "iForest", "OC-SVM");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("bots "));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("precision "));
        assertThat(text).contains("fit on 300 sessions");
        // the vectors the methods scored are the job's, kept where asked
        SessionVectors kept = SessionVectors.read(sessions);
        assertThat(kept.sessions()).hasSizeGreaterThan(600);
        assertThat(kept.featureNames()).contains("events", "duration_s", "bits");
    }

    private static Path gunzip(Path gz, Path to) throws Exception {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            Files.copy(in, to);
        }
        return to;
    }
}
