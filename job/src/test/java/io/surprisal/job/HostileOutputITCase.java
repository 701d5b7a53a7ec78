package io.surprisal.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surprisal.alert.AlertBounds;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input built to poison the outputs, through the whole graph to the local alert and dead-letter
 * files (MiniCluster, RocksDB, parallelism 2): the run ends, and what it writes is bounded and
 * encodable. A writer that threw on such text would fail the task again after every restart and
 * the run would never end ({@code @Timeout}).
 */
class HostileOutputITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-02T08:00:00Z");
    private int n;

    /** {@code user} is JSON text, so it may hold escapes such as a lone surrogate's. */
    private String line(String user, long offsetSeconds, String action, String status, String userAgent) {
        n++;
        return String.format("{\"ts\":\"%s\",\"event_id\":\"e-%d\",\"user\":\"%s\",\"action\":\"%s\",\"status\":\"%s\","
                        + "\"ip\":\"198.51.100.7\",\"country\":\"US\",\"device\":\"desktop\",\"user_agent\":\"%s\"}",
                T0.plusSeconds(offsetSeconds), n, user, action, status, userAgent);
    }

    private LocalRunner.Result run(Path dir, List<String> lines) throws Exception {
        Path input = dir.resolve("events.jsonl");
        Files.write(input, lines, StandardCharsets.UTF_8);
        SurprisalConfig config = ConfigLoader.load(null, List.of(
                "source.type=file", "source.file.path=" + input));
        return LocalRunner.run(config, Configuration.fromMap(Map.of("parallelism.default", "2")), input,
                Files.createDirectories(dir.resolve("work")));
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aLoneSurrogateAndARawCutInsideAnEmojiAreWritten(@TempDir Path dir) throws Exception {
        // In a field the contract names, a lone surrogate is a dead letter at parse; in an unknown
        // field it travels into the alert, and every writer must still write it.
        String note = ",\"note\":\"mal\\ud83dlory\"}";
        List<String> lines = new ArrayList<>();
        lines.add(line("mallory", 0, "login", "fail", "curl/8.0").replaceFirst("}$", java.util.regex.Matcher.quoteReplacement(note)));
        lines.add(line("mallory", 20, "buy_item", "success", "curl/8.0").replaceFirst("}$", java.util.regex.Matcher.quoteReplacement(note)));
        lines.add(line("mal\\ud83dlory", 30, "login", "fail", "curl/8.0"));
        // Not JSON; the dead letter keeps its first 4,096 characters, a cut between the emoji's two halves.
        String malformed = "{" + "x".repeat(DeadLetter.RAW_LIMIT - 2) + "\uD83D\uDE00" + " not json";
        lines.add(malformed);
        LocalRunner.Result r = run(dir, lines);

        assertThat(r.alerts()).hasSize(1);
        JsonNode alert = JSON.readTree(r.alerts().get(0));
        assertThat(alert.get("detector").asText()).isEqualTo("cep:failed-login-then-buy");
        assertThat(alert.get("user").asText()).isEqualTo("mallory");
        assertThat(r.alerts().get(0)).contains("mal\uFFFDlory");
        assertThat(r.deadLetters()).hasSize(2);
        JsonNode surrogate = JSON.readTree(r.deadLetters().get(0));
        assertThat(surrogate.get("reason").asText()).isEqualTo("invalid_utf8");
        JsonNode dead = JSON.readTree(r.deadLetters().get(1));
        assertThat(dead.get("reason").asText()).isEqualTo("malformed_json");
        assertThat(dead.get("raw").asText()).isEqualTo(malformed.substring(0, DeadLetter.RAW_LIMIT - 1));
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void failedLoginsWithMegabyteUserAgentsMakeABoundedAlert(@TempDir Path dir) throws Exception {
        String megabyte = "Mozilla/5.0 " + "A".repeat(1_000_000);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            lines.add(line("flood", i * 10L, "login", "fail", megabyte));
        }
        LocalRunner.Result r = run(dir, lines);

        assertThat(r.deadLetters()).isEmpty();
        assertThat(r.alerts()).isNotEmpty().allSatisfy(a ->
                assertThat(a.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(AlertBounds.ALERT_MAX_BYTES));
        JsonNode alert = JSON.readTree(r.alerts().get(0));
        assertThat(alert.get("detector").asText()).isEqualTo("cep:brute-force");
        String userAgent = alert.get("events").get(0).get("user_agent").asText();
        assertThat(userAgent).hasSizeLessThanOrEqualTo(AlertBounds.TEXT_MAX).startsWith("Mozilla/5.0 AAAA").contains("\u2026[+");
        System.out.printf("brute-force alert over 1 MB user agents: %d bytes, %d events%n",
                r.alerts().get(0).getBytes(StandardCharsets.UTF_8).length, alert.get("events").size());
    }
}
