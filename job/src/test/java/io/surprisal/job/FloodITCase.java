package io.surprisal.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No single input may blind the detector: the committed quickstart sample on a MiniCluster (RocksDB,
 * parallelism 2) with two floods in it, on day 2: 2,000 failed logins of one account 10 ms apart,
 * and an account whose every login (300, 2 s apart) comes from a new country, network and browser,
 * without a session. The floods are reported, with their counts, in a few alerts.
 *
 * <p>Every other user's alerts are those of a control run without the failed logins, byte for
 * byte: an account that has never succeeded at anything teaches the population models nothing, so
 * however many times a name fails to log in, what everyone else is judged against does not move.
 */
class FloodITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLE = Path.of("../src-test-data/samples/quickstart.jsonl.gz");
    private static final String FAILURES = "flooded-account";
    private static final String SHIFTER = "shape-shifter";
    private static final Set<String> FLOODERS = Set.of(FAILURES, SHIFTER, "ip:203.0.113.66");
    private static final Pattern TS = Pattern.compile("\"ts\":\"([^\"]+)\"");

    private static List<JsonNode> control;
    private static List<JsonNode> flooded;

    @TempDir
    static Path work;

    @BeforeAll
    static void runBoth() throws Exception {
        List<String> sample = readSample();
        List<String> shifter = new ArrayList<>();
        shifter.add(String.format(Locale.ROOT, "{\"ts\":\"2026-11-03T11:00:00Z\",\"event_id\":\"shift-home\",\"user\":\"%s\","
                + "\"action\":\"login\",\"status\":\"success\",\"ip\":\"73.12.200.4\",\"country\":\"US\",\"asn\":7922,\"device\":\"desktop\","
                + "\"user_agent\":\"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36\"}",
                SHIFTER));
        Instant shiftsFrom = Instant.parse("2026-11-03T13:00:00Z");
        for (int i = 0; i < 300; i++) {
            shifter.add(String.format(Locale.ROOT, "{\"ts\":\"%s\",\"event_id\":\"shift-%d\",\"user\":\"%s\",\"action\":\"login\","
                            + "\"status\":\"fail\",\"ip\":\"%d.%d.3.4\",\"country\":\"Z%d\",\"asn\":%d,\"device\":\"mobile\","
                            + "\"user_agent\":\"Mozilla/5.0 (Android 14; Mobile; rv:%d.0) Gecko/%d.0 Firefox/%d.0\"}",
                    shiftsFrom.plusSeconds(2L * i), i, SHIFTER, 11 + i / 250, i % 250, i, 100_000 + i, 60 + i, 60 + i, 60 + i));
        }
        control = run(merged(sample, shifter), "control");
        flooded = run(merged(sample, failures(2_000), shifter), "flooded");
    }

    /** {@code n} failed logins of {@link #FAILURES}, 10 ms apart, from 2026-11-03T12:00:00Z. */
    private static List<String> failures(int n) {
        List<String> lines = new ArrayList<>();
        Instant from = Instant.parse("2026-11-03T12:00:00Z");
        for (int i = 0; i < n; i++) {
            lines.add(String.format(Locale.ROOT, "{\"ts\":\"%s\",\"event_id\":\"flood-%d\",\"user\":\"%s\",\"session\":\"s-flood\","
                            + "\"action\":\"login\",\"status\":\"fail\",\"ip\":\"203.0.113.66\",\"country\":\"US\",\"device\":\"desktop\","
                            + "\"user_agent\":\"python-requests/2.32.3\"}",
                    from.plusMillis(10L * i), i, FAILURES));
        }
        return lines;
    }

    @SafeVarargs
    private static List<String> merged(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> p : parts) {
            all.addAll(p);
        }
        all.sort(Comparator.comparing(FloodITCase::ts)); // stable: the sample keeps its order
        return all;
    }

    private static Instant ts(String line) {
        Matcher m = TS.matcher(line);
        if (!m.find()) {
            throw new IllegalArgumentException("no ts in " + line);
        }
        return Instant.parse(m.group(1));
    }

    private static List<String> readSample() throws Exception {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(SAMPLE)), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static List<JsonNode> run(List<String> lines, String name) throws Exception {
        Path dir = Files.createDirectories(work.resolve(name));
        Path input = Files.write(dir.resolve("events.jsonl"), lines);
        SurprisalConfig config = ConfigLoader.load(null, List.of(
                "source.file.path=" + input.toAbsolutePath()));
        LocalRunner.Result result = LocalRunner.run(config, Configuration.fromMap(Map.of(
                "parallelism.default", "2", "state.backend.type", "rocksdb", "execution.checkpointing.interval", "1s")),
                input.toAbsolutePath(), dir);
        assertThat(result.deadLetters()).isEmpty();
        assertThat(result.eventsScored()).isEqualTo(lines.size());
        List<JsonNode> alerts = new ArrayList<>();
        for (String a : result.alerts()) {
            alerts.add(JSON.readTree(a));
        }
        return alerts;
    }

    private static List<JsonNode> of(List<JsonNode> alerts, String user, String detector) {
        return alerts.stream().filter(a -> a.path("user").asText().equals(user) && a.path("detector").asText().equals(detector)).toList();
    }

    private static List<String> others(List<JsonNode> alerts) {
        return alerts.stream().filter(a -> !FLOODERS.contains(a.path("user").asText())).map(JsonNode::toString).toList();
    }

    @Test
    void everyOtherUsersAlertsAreThoseOfTheControlRun() {
        assertThat(others(control)).hasSizeGreaterThan(30);
        // Byte for byte: a name that never logged in teaches the population nothing.
        assertThat(others(flooded)).containsExactlyElementsOf(others(control));
        assertThat(of(control, FAILURES, "cep:brute-force")).isEmpty();
    }

    @Test
    void theFloodOfFailedLoginsIsReportedOnceWithItsCount() {
        List<JsonNode> bruteForce = of(flooded, FAILURES, "cep:brute-force");
        assertThat(bruteForce).hasSize(2);
        assertThat(bruteForce.get(0).path("score").asDouble()).isEqualTo(5.0);
        JsonNode total = bruteForce.get(1);
        assertThat(total.path("score").asDouble()).isEqualTo(2_000.0);
        assertThat(total.path("summary").asText()).startsWith(FAILURES + " failed to log in 2000 times in 19 s");
        assertThat(total.path("reasons").get(0).path("observed").asText()).isEqualTo("2000 in 19 s");
        // No detector raises more than a few alerts about the flood.
        assertThat(flooded.stream().filter(a -> a.path("user").asText().equals(FAILURES))).hasSizeLessThanOrEqualTo(6);
    }

    @Test
    void anAccountWhoseEveryLoginHasNewReasonsStaysWithinTheAlertBudget() {
        List<JsonNode> novelty = of(flooded, SHIFTER, "login-novelty");
        int budget = 10; // suppression.max-alerts, by default
        // The budget, the escalations (at most one per severity above the first), one roll-up.
        assertThat(novelty).hasSizeBetween(budget + 1, budget + 4);
        JsonNode rollUp = novelty.get(novelty.size() - 1);
        assertThat(rollUp.path("summary").asText()).contains(" alerts of login-novelty for " + SHIFTER + " over the budget of " + budget);
        int stoodFor = novelty.stream().mapToInt(a -> a.path("repeats").asInt()).sum();
        assertThat(stoodFor).as("alerts the outputs stand for").isGreaterThan(250);
        assertThat(rollUp.path("repeats").asInt()).isEqualTo(stoodFor - (novelty.size() - 1));
    }
}
