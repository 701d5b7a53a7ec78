package io.surprisal.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.flink.UserBehaviourFunction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small site at the default configuration, parallelism 2: 96 accounts with a login a day from
 * their city for two weeks (1,344 logins), then six of them log in from another continent minutes
 * after their last login, on their usual browser, and one the same way twelve hours later. A fixed
 * population minimum of 1000 logins per instance kept such a site silent; the scaled one does not.
 */
class SmallSiteITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private static final long T0 = Instant.parse("2026-11-02T00:00:00Z").toEpochMilli();
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;

    /** City, region, lat, lon, ASN, /16. */
    private static final Object[][] HOMES = {
        {"New York", "New York", 40.7128, -74.0060, 7922, "73.12"},
        {"Chicago", "Illinois", 41.8781, -87.6298, 7018, "99.20"},
        {"Los Angeles", "California", 34.0522, -118.2437, 20115, "47.144"},
        {"Houston", "Texas", 29.7604, -95.3698, 7018, "76.201"},
    };

    private static String login(String user, long ts, String country, String region, String city, double lat, double lon,
            long asn, String ip) {
        return String.format(Locale.ROOT, "{\"ts\":\"%s\",\"user\":\"%s\",\"session\":\"s-%s-%d\",\"action\":\"login\","
                        + "\"status\":\"success\",\"ip\":\"%s\",\"country\":\"%s\",\"region\":\"%s\",\"city\":\"%s\",\"lat\":%.4f,"
                        + "\"lon\":%.4f,\"asn\":%d,\"user_agent\":\"%s\"}",
                Instant.ofEpochMilli(ts), user, user, ts, ip, country, region, city, lat, lon, asn, CHROME);
    }

    @Test
    void loginsFromAnotherContinentMinutesAfterHomeAlertAndHoursAfterDoNot(@TempDir Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        long[] last = new long[96];
        for (int day = 0; day < 14; day++) {
            for (int u = 0; u < 96; u++) {
                Object[] h = HOMES[u % HOMES.length];
                long ts = T0 + day * DAY + (8 + u % 12) * HOUR + u * 1000L;
                lines.add(login(user(u), ts, "US", (String) h[1], (String) h[0], (Double) h[2], (Double) h[3],
                        (Integer) h[4], h[5] + "." + u + ".9"));
                last[u] = ts;
            }
        }
        Set<String> expected = new TreeSet<>();
        for (int u = 0; u < 6; u++) {
            // Frankfurt, 6,200 to 9,300 km from these homes, 15 minutes after the last login.
            lines.add(login(user(u), last[u] + 15 * 60_000L, "DE", "Hesse", "Frankfurt am Main", 50.1109, 8.6821, 3320, "79.192.7." + u));
            expected.add(user(u));
        }
        // The same trip twelve hours after: a flight, not impossible.
        lines.add(login(user(6), last[6] + 12 * HOUR, "DE", "Hesse", "Frankfurt am Main", 50.1109, 8.6821, 3320, "79.192.7.6"));
        Path input = dir.resolve("events.jsonl");
        Files.write(input, sorted(lines), StandardCharsets.UTF_8);
        Files.createDirectories(dir.resolve("work"));

        SurprisalConfig config = ConfigLoader.load(null, List.of("source.file.path=" + input));
        LocalRunner.Result r = LocalRunner.run(config, Configuration.fromMap(Map.of("parallelism.default", "2", "state.backend.type", "hashmap")),
                input, dir.resolve("work"));

        assertThat(r.eventsScored()).isEqualTo(96 * 14 + 7);
        Set<String> flagged = new TreeSet<>();
        for (String line : r.alerts()) {
            JsonNode a = JSON.readTree(line);
            if (a.get("detector").asText().equals("login-novelty")) {
                flagged.add(a.get("user").asText());
                assertThat(a.get("reasons").get(0).get("feature").asText()).isEqualTo("impossible travel");
                assertThat(a.get("reasons").get(0).get("observed").asText())
                        .matches("Frankfurt am Main, DE: \\d,\\d{3} km from .+, US in 15 min \\(\\d{2},\\d{3} km/h\\), a place new to u\\d+");
            }
        }
        assertThat(flagged).isEqualTo(expected);
        // Two weeks of single-login visits teach the transition model little: it was warming up, and says so.
        assertThat(r.warmUp().get(UserBehaviourFunction.WARMING_UP_EVENTS_ACCUMULATOR)).isPositive();
    }

    private static String user(int u) {
        return String.format(Locale.ROOT, "u%03d", u);
    }

    /** Lines in event-time order (their text starts with the ISO timestamp). */
    private static List<String> sorted(List<String> lines) {
        List<String> out = new ArrayList<>(lines);
        out.sort((a, b) -> a.substring(7, 27).compareTo(b.substring(7, 27)));
        return out;
    }
}
