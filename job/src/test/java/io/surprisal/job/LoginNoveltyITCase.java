package io.surprisal.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole graph on a local MiniCluster at parallelism 2: login novelty sits after the transition
 * scorer on the same partitioning (reinterpreted, no second shuffle) with the allowlist broadcast
 * connected, and its alerts reach the alert output with their reasons.
 */
class LoginNoveltyITCase {
    private static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private static final String FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
    private static final long T0 = Instant.parse("2026-11-02T00:00:00Z").toEpochMilli();

    private static String line(String user, long ts, int n, String country, long asn, String ip, String ua) {
        return String.format("{\"ts\":\"%s\",\"event_id\":\"e-%s-%d\",\"user\":\"%s\",\"session\":\"s-%s-%d\",\"action\":\"login\","
                        + "\"status\":\"success\",\"ip\":\"%s\",\"country\":\"%s\",\"region\":\"%s-r\",\"city\":\"%s-c\",\"asn\":%d,"
                        + "\"device\":\"desktop\",\"user_agent\":\"%s\"}",
                Instant.ofEpochMilli(ts), user, n, user, user, n, ip, country, country, country, asn, ua);
    }

    @Test
    void janeFromUkraineOnFirefoxRaisesALoginNoveltyAlert(@TempDir Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int day = 0; day < 3; day++) {
            for (int u = 0; u < 80; u++) {
                String c = u % 4 == 0 ? "GB" : "US";
                long ts = T0 + day * 86_400_000L + u * 60_000L;
                lines.add(line("p" + u, ts, day, c, c.equals("US") ? 7922 : 2856, "73.12." + u + ".9", CHROME));
            }
            for (int i = 0; i < 3; i++) {
                long ts = T0 + day * 86_400_000L + 6 * 3_600_000L + i * 3_600_000L;
                lines.add(line("jane", ts, day * 3 + i, "US", 7922, "73.12.200.4", CHROME));
            }
        }
        lines.add(line("jane", T0 + 3 * 86_400_000L + 7 * 3_600_000L, 99, "UA", 15895, "46.211.9.9", FIREFOX));
        lines.add(line("bob", T0 + 3 * 86_400_000L + 8 * 3_600_000L, 99, "US", 7922, "73.12.201.4", CHROME));
        Path input = dir.resolve("events.jsonl");
        Files.write(input, lines, StandardCharsets.UTF_8);
        Files.createDirectories(dir.resolve("work"));

        SurprisalConfig config = ConfigLoader.load(null, List.of("source.file.path=" + input));
        LocalRunner.Result r = LocalRunner.run(config, Configuration.fromMap(Map.of("parallelism.default", "2", "state.backend.type", "hashmap")),
                input, dir.resolve("work"));

        assertThat(r.eventsScored()).isEqualTo(lines.size());
        assertThat(r.deadLetters()).isEmpty();
        List<String> novelty = r.alerts().stream().filter(a -> a.contains("\"detector\":\"login-novelty\"")).toList();
        assertThat(novelty).singleElement().satisfies(a -> {
            assertThat(a).contains("\"user\":\"jane\"", "country UA: never seen for jane", "browser Firefox: never seen for jane");
            assertThat(a).contains("\"novel\":true");
        });
    }
}
