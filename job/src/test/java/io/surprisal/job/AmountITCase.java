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
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Detector {@code amount} on a MiniCluster at the default configuration, parallelism 2: 1,200 buyers
 * with a purchase or two a day for a week, each around their own usual amount (medians from about
 * 10 to 250); then one of them buys for twenty times their usual, and another for twice theirs.
 */
class AmountITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = Instant.parse("2026-11-02T00:00:00Z").toEpochMilli();
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;

    private static String purchase(String user, long ts, double amount) {
        return String.format(Locale.ROOT, "{\"ts\":\"%s\",\"user\":\"%s\",\"session\":\"s-%s-%d\",\"action\":\"buy_item\","
                + "\"status\":\"success\",\"amount\":%.2f}", Instant.ofEpochMilli(ts), user, user, ts, amount);
    }

    @Test
    void twentyTimesTheUsualAlertsAndOrdinaryBuyersDoNot(@TempDir Path dir) throws Exception {
        Random random = new Random(8);
        List<String> lines = new ArrayList<>();
        double[] medians = new double[1200];
        for (int u = 0; u < medians.length; u++) {
            medians[u] = 50 * Math.exp(0.8 * random.nextGaussian());
            for (int day = 0; day < 7; day++) {
                int purchases = 1 + random.nextInt(2);
                for (int i = 0; i < purchases; i++) {
                    long ts = T0 + day * DAY + (9 + 6 * i) * HOUR + u * 1000L;
                    lines.add(purchase(user(u), ts, medians[u] * Math.exp(0.4 * random.nextGaussian())));
                }
            }
        }
        long after = T0 + 7 * DAY + 10 * HOUR;
        lines.add(purchase(user(7), after, 20 * medians[7]));
        lines.add(purchase(user(8), after, 2 * medians[8]));
        lines.sort(Comparator.comparing(l -> l.substring(7, 31)));
        Path input = dir.resolve("events.jsonl");
        Files.write(input, lines, StandardCharsets.UTF_8);
        Files.createDirectories(dir.resolve("work"));

        SurprisalConfig config = ConfigLoader.load(null, List.of("source.file.path=" + input));
        LocalRunner.Result r = LocalRunner.run(config, Configuration.fromMap(Map.of("parallelism.default", "2", "state.backend.type", "hashmap")),
                input, dir.resolve("work"));

        assertThat(r.eventsScored()).isEqualTo(lines.size());
        List<JsonNode> amountAlerts = new ArrayList<>();
        for (String line : r.alerts()) {
            JsonNode a = JSON.readTree(line);
            if (a.get("detector").asText().equals("amount")) {
                amountAlerts.add(a);
            }
        }
        assertThat(amountAlerts).as("the one purchase of twenty times its buyer's usual, and nothing else").singleElement().satisfies(a -> {
            assertThat(a.get("user").asText()).isEqualTo(user(7));
            assertThat(a.get("summary").asText()).startsWith(user(7) + " bought for " + String.format(Locale.ROOT, "%,.2f", 20 * medians[7]));
            assertThat(a.get("reasons").get(0).get("feature").asText()).isEqualTo("amount");
            assertThat(a.get("score").asDouble()).isGreaterThanOrEqualTo(a.get("threshold").asDouble());
        });
        assertThat(r.warmUp().get(UserBehaviourFunction.WARMING_UP_PURCHASES_ACCUMULATOR)).as("the first purchases taught the population").isPositive();
    }

    private static String user(int u) {
        return String.format(Locale.ROOT, "b%04d", u);
    }
}
