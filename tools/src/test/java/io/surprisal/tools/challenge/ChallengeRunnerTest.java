package io.surprisal.tools.challenge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChallengeRunnerTest {

    private static final String HEADER = "{\"D\":\"1\", \"T\":\"5\"}";

    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"test_1", "test_2", "test_3", "test_4"})
    void insightChallengeCase(String name) throws Exception {
        Path dir = Path.of(Objects.requireNonNull(getClass().getResource("/insight-tests/" + name)).toURI());
        Path out = temp.resolve(name).resolve("log_output").resolve("flagged_purchases.json");
        List<String> warnings = new ArrayList<>();

        ChallengeResult result = ChallengeRunner.run(
                dir.resolve("log_input/batch_log.json"), dir.resolve("log_input/stream_log.json"), out, warnings::add);

        assertThat(normalisedLikeDiffWubB(out))
                .as("%s output compared like diff -wubB", name)
                .isEqualTo(normalisedLikeDiffWubB(dir.resolve("log_output/flagged_purchases.json")));
        assertThat(result.flaggedPurchases()).isEqualTo(normalisedLikeDiffWubB(out).size());
        assertThat(result.skippedLines()).isEqualTo(warnings.size());
    }

    @Test
    void insightCaseTwoSkipsTheImpossibleTimestampAndCaseThreeTheOddLines() throws Exception {
        List<String> warnings = new ArrayList<>();
        Path dir2 = resource("test_2");
        ChallengeRunner.run(dir2.resolve("log_input/batch_log.json"), dir2.resolve("log_input/stream_log.json"),
                temp.resolve("out2.json"), warnings::add);
        assertThat(warnings).containsExactly(
                "batch_log.json line 20: skipped: timestamp '2017-06-13 11:33:61' has second 61 out of range");

        warnings.clear();
        Path dir3 = resource("test_3");
        ChallengeResult result = ChallengeRunner.run(dir3.resolve("log_input/batch_log.json"),
                dir3.resolve("log_input/stream_log.json"), temp.resolve("out3.json"), warnings::add);
        assertThat(warnings).hasSize(4).anySatisfy(w -> assertThat(w).startsWith("batch_log.json line 17: skipped: a user cannot unfriend themself"))
                .anySatisfy(w -> assertThat(w).startsWith("batch_log.json line 18: skipped: unknown event_type \"test\""))
                .anySatisfy(w -> assertThat(w).startsWith("stream_log.json line 10: skipped: a user cannot befriend themself"))
                .anySatisfy(w -> assertThat(w).startsWith("stream_log.json line 11: skipped: unknown event_type \"test\""));
        assertThat(result.purchasesJudged()).isEqualTo(10);
        assertThat(result.flaggedPurchases()).isEqualTo(3);
    }

    @Test
    void insightCaseFourFlags50100000000000_83AndSaysWhyItSkipsTheAmountAboveTheMaximum() throws Exception {
        List<String> warnings = new ArrayList<>();
        Path dir = resource("test_4");
        ChallengeResult result = ChallengeRunner.run(dir.resolve("log_input/batch_log.json"),
                dir.resolve("log_input/stream_log.json"), temp.resolve("out4.json"), warnings::add);
        assertThat(warnings).containsExactly(
                "stream_log.json line 4: skipped: amount '92233720368547758.08' is too large (max 92233720368547758.07)");
        assertThat(result.unusableAmounts()).isEqualTo(1);
        assertThat(result.purchasesJudged()).isEqualTo(4);
        assertThat(Files.readAllLines(temp.resolve("out4.json")))
                .extracting(line -> line.replaceAll(".*\"amount\": \"([^\"]+)\".*", "$1"))
                .containsExactly("50100000000000.83", "50100000000000.83", "92233720368547758.07");
    }

    @Test
    void negativeAndUnrepresentableAmountsAreReportedAndCounted() throws IOException {
        Path batch = write("batch.json", HEADER,
                befriend("10:00:00", "a", "b"),
                purchase("10:00:01", "b", "10.00"),
                purchase("10:00:02", "b", "-100"),
                purchase("10:00:03", "b", "12.00"));
        Path stream = write("stream.json",
                purchase("10:00:04", "a", "1e300"),
                purchase("10:00:05", "a", "0.001"),
                purchase("10:00:06", "a", "5.01e13"));
        Path out = temp.resolve("out.json");
        List<String> warnings = new ArrayList<>();

        ChallengeResult result = ChallengeRunner.run(batch, stream, out, warnings::add);

        assertThat(warnings).containsExactly(
                "batch.json line 4: skipped: amount '-100' is negative",
                "stream.json line 1: skipped: amount '1e300' is too large (max 92233720368547758.07)",
                "stream.json line 2: skipped: amount '0.001' has a fraction of a cent");
        assertThat(result.unusableAmounts()).isEqualTo(3);
        assertThat(result.skippedLines()).isEqualTo(3);
        assertThat(result.purchasesJudged()).isEqualTo(1);
        assertThat(Files.readAllLines(out)).containsExactly(
                purchase("10:00:06", "a", "5.01e13").replaceFirst("}$", ", \"mean\": \"11.00\", \"sd\": \"1.00\"}"));
    }

    @Test
    void outputFileExistsWhenNothingFlagged() throws IOException {
        Path batch = write("batch.json", HEADER, purchase("10:00:00", "1", "10.00"));
        Path stream = write("stream.json", purchase("10:00:01", "2", "9999.00"));
        Path out = temp.resolve("nested/dir/flagged.json");

        ChallengeResult result = ChallengeRunner.run(batch, stream, out, w -> {});

        assertThat(out).exists().isEmptyFile();
        assertThat(result.purchasesJudged()).isEqualTo(1);
        assertThat(result.flaggedPurchases()).isZero();
    }

    @Test
    void flaggedLineKeepsOriginalFieldOrderAndStyle() throws IOException {
        Path batch = write("batch.json", HEADER,
                befriend("10:00:00", "a", "b"),
                purchase("10:00:01", "b", "10.00"),
                purchase("10:00:02", "b", "12.00"));
        String oddOrder = "{\"amount\":\"100\",  \"id\":\"a\", \"event_type\": \"purchase\", \"timestamp\":\"2017-06-13 10:00:03\", \"note\": \"x\"}";
        Path stream = write("stream.json", oddOrder);
        Path out = temp.resolve("out.json");

        ChallengeRunner.run(batch, stream, out, w -> {});

        assertThat(Files.readAllLines(out)).containsExactly(
                "{\"amount\":\"100\",  \"id\":\"a\", \"event_type\": \"purchase\", \"timestamp\":\"2017-06-13 10:00:03\", \"note\": \"x\""
                        + ", \"mean\": \"11.00\", \"sd\": \"1.00\"}");
    }

    @Test
    void malformedLinesAreSkippedWithLineNumberAndReason() throws IOException {
        Path batch = write("batch.json", HEADER,
                befriend("10:00:00", "a", "b"),
                "not json at all",
                purchase("10:00:01", "b", "12.345"),
                purchase("10:00:01", "b", "abc"),
                purchase("2017-13-01 10:00:01", "b", "1.00"),
                "{\"event_type\":\"purchase\", \"timestamp\":\"2017-06-13 10:00:01\", \"amount\": \"1.00\"}",
                "{\"event_type\":\"purchase\", \"timestamp\":\"2017-06-13 10:00:01\", \"id\": {\"x\":1}, \"amount\": \"1.00\"}",
                "{\"event_type\":\"purchase\", \"event_type\":\"purchase\"}",
                "{\"event_type\":\"purchase\", \"timestamp\":\"2017-06-13 10:00:01\", \"id\": \"b\", \"amount\": \"1.00\"",
                "",
                purchase("10:00:02", "b", "10.00"),
                purchase("10:00:03", "b", "12.00"));
        Path stream = write("stream.json", "garbage", purchase("10:00:04", "a", "100.00"));
        Path out = temp.resolve("out.json");
        List<String> warnings = new ArrayList<>();

        ChallengeResult result = ChallengeRunner.run(batch, stream, out, warnings::add);

        assertThat(warnings).containsExactly(
                "batch.json line 3: skipped: not a flat JSON object: expected '{' at column 1",
                "batch.json line 4: skipped: amount '12.345' has a fraction of a cent",
                "batch.json line 5: skipped: amount 'abc' is not a non-negative decimal number",
                "batch.json line 6: skipped: timestamp '2017-13-01 10:00:01' has month 13 out of range",
                "batch.json line 7: skipped: missing field \"id\"",
                "batch.json line 8: skipped: not a flat JSON object: value of \"id\" must be a string at column 68",
                "batch.json line 9: skipped: not a flat JSON object: duplicate field \"event_type\" at column 27",
                "batch.json line 10: skipped: not a flat JSON object: expected ',' or '}' at end of line",
                "stream.json line 1: skipped: not a flat JSON object: expected '{' at column 1");
        assertThat(result.skippedLines()).isEqualTo(9);
        assertThat(result.batchEvents()).isEqualTo(3);
        assertThat(result.flaggedPurchases()).isEqualTo(1);
        assertThat(Files.readAllLines(out)).hasSize(1);
    }

    @Test
    void invalidHeaderFailsClearly() throws IOException {
        Path stream = write("stream.json", purchase("10:00:04", "a", "100.00"));
        Path out = temp.resolve("out.json");
        assertThatThrownBy(() -> ChallengeRunner.run(write("b1.json", "{\"D\":\"0\", \"T\":\"5\"}"), stream, out, w -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("b1.json line 1: invalid header").hasMessageContaining("D (degrees) must be at least 1");
        assertThatThrownBy(() -> ChallengeRunner.run(write("b2.json", "", purchase("10:00:04", "a", "1")), stream, out, w -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("b2.json line 2: invalid header").hasMessageContaining("missing field \"D\"");
        assertThatThrownBy(() -> ChallengeRunner.run(write("b3.json"), stream, out, w -> {}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty batch log");
    }

    /** Like {@code diff -wubB}: all whitespace ignored (-w), blank lines ignored (-B). */
    static List<String> normalisedLikeDiffWubB(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String squeezed = line.replaceAll("\\s+", "");
            if (!squeezed.isEmpty()) {
                lines.add(squeezed);
            }
        }
        return lines;
    }

    static String purchase(String time, String id, String amount) {
        String timestamp = time.length() == 8 ? "2017-06-13 " + time : time;
        return "{\"event_type\":\"purchase\", \"timestamp\":\"" + timestamp + "\", \"id\": \"" + id
                + "\", \"amount\": \"" + amount + "\"}";
    }

    static String befriend(String time, String id1, String id2) {
        return "{\"event_type\":\"befriend\", \"timestamp\":\"2017-06-13 " + time + "\", \"id1\": \"" + id1
                + "\", \"id2\": \"" + id2 + "\"}";
    }

    private Path write(String name, String... lines) throws IOException {
        return Files.write(temp.resolve(name), List.of(lines), StandardCharsets.UTF_8);
    }

    private Path resource(String name) throws URISyntaxException {
        return Path.of(Objects.requireNonNull(getClass().getResource("/insight-tests/" + name)).toURI());
    }
}
