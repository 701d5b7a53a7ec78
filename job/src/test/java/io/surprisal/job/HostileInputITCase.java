package io.surprisal.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One hostile record inside the committed sample, as {@code bin/surprisal run} reads it: the run
 * ends, the record is a dead letter with its reason (or, for a byte-order mark, simply skipped),
 * and every alert of the clean run is still there, byte for byte (a purchase whose amount only
 * purchase-network rejects: the same alerts by id).
 */
class HostileInputITCase {
    private static final Path SAMPLE = Path.of("../src-test-data/samples/quickstart.jsonl.gz");
    private static byte[][] lines;
    private static List<String> cleanAlerts;

    @TempDir
    static Path work;

    @BeforeAll
    static void cleanRun() throws Exception {
        byte[] all;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(SAMPLE))) {
            all = in.readAllBytes();
        }
        List<byte[]> split = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                split.add(java.util.Arrays.copyOfRange(all, start, i + 1));
                start = i + 1;
            }
        }
        lines = split.toArray(new byte[0][]);
        cleanAlerts = run(SAMPLE, "clean").alerts();
        assertThat(cleanAlerts).isNotEmpty();
    }

    static Stream<Arguments> hostileLines() {
        return Stream.of(
                Arguments.of("a year beyond a long's milliseconds", 10_000, utf8(event("\"+1000000000-01-01T00:00:00Z\"")), "wrong_type"),
                Arguments.of("year 9999 in the middle", 10_000, utf8(event("\"9999-12-31T23:59:59Z\"")), "future"),
                Arguments.of("a day ahead in the middle", 10_000, utf8(event("\"2026-11-03T23:00:00Z\"")), "future"),
                Arguments.of("the first line near the minimum long", 0, utf8(event("-9223372036854775000")), "wrong_type"),
                Arguments.of("the first line a week ahead", 0, utf8(event("\"2026-11-09T00:00:00Z\"")), "future"),
                Arguments.of("invalid UTF-8 in a user name", 5_000, invalidUtf8User(), "invalid_utf8"),
                Arguments.of("a lone surrogate in a user name", 5_000,
                        utf8("{\"ts\":\"2026-11-02T13:40:00Z\",\"user\":\"u\\ud800\",\"action\":\"login\"}\n"), "invalid_utf8"),
                Arguments.of("a malformed line whose 4,096-character cut splits an emoji", 5_000,
                        utf8("{\"ts\":\"2026-11-02T13:40:00Z\",\"user\":\"" + "x".repeat(4_095 - 37) + "\uD83D\uDE00 not json\n"), "malformed_json"),
                Arguments.of("a purchase of 1e300", 10_000, utf8(purchase("1e300")), "wrong_type"),
                Arguments.of("a purchase of -100", 10_000, utf8(purchase("-100")), "wrong_type"),
                Arguments.of("a byte-order mark at the start", 0, new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileLines")
    void oneHostileRecordBlindsNothing(String name, int at, byte[] hostile, String reason) throws Exception {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        for (int i = 0; i < lines.length; i++) {
            if (i == at) {
                file.write(hostile);
            }
            file.write(lines[i]);
        }
        Path input = work.resolve(name.replace(' ', '-') + ".jsonl");
        Files.write(input, file.toByteArray());

        LocalRunner.Result result = run(input, name.replace(' ', '-'));

        if (name.startsWith("a purchase")) {
            // Still a buy for every detector but purchase-network, so it teaches the population a
            // step and later bits move a little: the same alerts, by id.
            assertThat(result.alerts()).extracting(HostileInputITCase::alertId)
                    .isEqualTo(cleanAlerts.stream().map(HostileInputITCase::alertId).toList());
        } else {
            assertThat(result.alerts()).isEqualTo(cleanAlerts);
        }
        if (reason == null) {
            assertThat(result.deadLetters()).isEmpty();
        } else {
            assertThat(result.deadLetters()).singleElement().asString()
                    .contains("\"reason\":\"" + reason + "\"")
                    .contains("\"source\":\"" + input.getFileName() + ":" + (at + 1) + "\"");
        }
    }

    private static LocalRunner.Result run(Path input, String dir) throws Exception {
        Path out = Files.createDirectories(work.resolve("out-" + dir));
        return LocalRunner.run(ConfigLoader.defaults(), Configuration.fromMap(Map.of("parallelism.default", "2", "state.backend.type", "hashmap")),
                input.toAbsolutePath(), out);
    }

    private static String event(String ts) {
        return "{\"ts\":" + ts + ",\"user\":\"intruder\",\"action\":\"login\",\"status\":\"fail\"}\n";
    }

    private static String alertId(String alertJson) {
        int start = alertJson.indexOf("\"alert_id\":\"") + 12;
        return alertJson.substring(start, alertJson.indexOf('"', start));
    }

    private static String purchase(String amount) {
        return "{\"ts\":\"2026-11-02T22:33:55Z\",\"user\":\"intruder\",\"action\":\"buy_item\",\"amount\":" + amount + "}\n";
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A user name that a lenient decoder would turn into another, existing user's look-alike. */
    private static byte[] invalidUtf8User() {
        byte[] b = utf8("{\"ts\":\"2026-11-02T13:40:00Z\",\"user\":\"u?0000073\",\"action\":\"login\"}\n");
        b[new String(b, StandardCharsets.UTF_8).indexOf('?')] = (byte) 0xff;
        return b;
    }
}
