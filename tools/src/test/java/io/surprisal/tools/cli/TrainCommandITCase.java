package io.surprisal.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * {@code surprisal train} end to end on the committed quickstart sample: the job's session and login
 * vectors, a small grid with two folds, and a model directory the job can load (a session and a login
 * model, each with its card), the grid's scores and the held-out users.
 */
class TrainCommandITCase {
    private static final Path SAMPLES = Path.of("..", "src-test-data", "samples");

    @Test
    void trainsASessionAndALoginModelTheJobCanLoad(@TempDir Path dir) throws Exception {
        Path events = dir.resolve("events.jsonl");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(SAMPLES.resolve("quickstart.jsonl.gz")))) {
            Files.copy(in, events);
        }
        Path out = dir.resolve("model");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int code;
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            code = new CommandLine(new SurprisalCli()).execute("train", "--input", events.toString(),
                    "--labels", SAMPLES.resolve("quickstart.labels.csv").toString(), "--out", out.toString(),
                    "--families", "logistic-regression", "--folds", "2");
        } finally {
            System.setOut(stdout);
        }
        assertThat(code).as(printed.toString(StandardCharsets.UTF_8)).isZero();
        for (String name : List.of("grid.csv", "login-grid.csv", "model.onnx", "model.json", "login-model.onnx", "login-model.json",
                "holdout-users.txt")) {
            assertThat(out.resolve(name)).as(name).isNotEmptyFile();
        }
        // Every combination of the grid has its row of scores, after the header.
        List<String> grid = Files.readAllLines(out.resolve("grid.csv"));
        assertThat(grid.get(0)).contains("precision", "recall");
        assertThat(grid).hasSizeGreaterThan(1);
        ObjectMapper json = new ObjectMapper();
        JsonNode session = json.readTree(out.resolve("model.json").toFile());
        JsonNode login = json.readTree(out.resolve("login-model.json").toFile());
        assertThat(session.path("feature_vector").asText()).isEqualTo("session");
        assertThat(login.path("feature_vector").asText()).isEqualTo("login");
        assertThat(session.path("features").size()).isPositive();
        assertThat(login.path("features").size()).isPositive();
        // The held-out users are users of the sample, none of them trained on.
        List<String> held = Files.readAllLines(out.resolve("holdout-users.txt"));
        assertThat(held).isNotEmpty().allSatisfy(u -> assertThat(u).startsWith("u"));
        // The job's own loader takes both.
        assertThat(io.surprisal.classifier.ModelFiles.read(out, io.surprisal.classifier.ModelFiles.SESSION)).isNotNull();
        assertThat(io.surprisal.classifier.ModelFiles.read(out, io.surprisal.classifier.ModelFiles.LOGIN)).isNotNull();
    }
}
