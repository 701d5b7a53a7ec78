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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wired job (the same graph as {@link SurprisalJob}) on an embedded MiniCluster with RocksDB
 * and checkpoints every second, over the committed labelled sample and over bad input.
 */
class SurprisalJobITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLES = Path.of("../src-test-data/samples");
    private static final Path SAMPLE = SAMPLES.resolve("test-sample.jsonl.gz");

    private static Map<String, String[]> labels;
    private static LocalRunner.Result sampleRun;

    @TempDir
    static Path work;

    @BeforeAll
    static void runTheSample() throws Exception {
        labels = new HashMap<>();
        for (String line : Files.readAllLines(SAMPLES.resolve("test-sample.labels.csv")).subList(1, 1001)) {
            String[] f = line.split(",", -1);
            labels.put(f[0], f);
        }
        sampleRun = run(SAMPLE, work.resolve("first"));
    }

    static LocalRunner.Result run(Path input, Path dir) throws Exception {
        Files.createDirectories(dir);
        SurprisalConfig config = ConfigLoader.load(null, List.of(
                "source.file.path=" + input.toAbsolutePath()));
        return LocalRunner.run(config, Configuration.fromMap(Map.of(
                "parallelism.default", "2", "state.backend.type", "rocksdb", "execution.checkpointing.interval", "1s")),
                input.toAbsolutePath(), dir);
    }

    @Test
    void everyEventOfTheSampleIsScored() {
        assertThat(sampleRun.linesRead()).isEqualTo(55_153);
        assertThat(sampleRun.eventsScored()).isEqualTo(55_153);
        assertThat(sampleRun.deadLetters()).isEmpty();
    }

    @Test
    void flinksTemporaryFilesStayInTheRunsDirectory() throws Exception {
        // The MiniCluster's working directory and its RPC system's jar: deleted with the run's directory.
        try (var entries = Files.list(work.resolve("first").resolve("tmp"))) {
            assertThat(entries).isNotEmpty();
        }
    }

    @Test
    void botsAndSpammersAreFlaggedByTheDetectorsMeantForThem() throws Exception {
        Map<String, Set<String>> detectorsByUser = detectorsByUser(sampleRun.alerts());
        List<String> bots = usersOf("bot");
        List<String> spammers = usersOf("spammer");
        assertThat(bots).hasSize(9);
        assertThat(spammers).hasSize(6);
        // A crawl is a run of ordinary steps (view after view): its speed gives it away, not its bits.
        for (String u : bots) {
            assertThat(detectorsByUser.get(u)).as("bot " + u).contains("velocity");
        }
        // A spammer's steps are each a little off: the session or the CUSUM across sessions adds them up.
        for (String u : spammers) {
            assertThat(detectorsByUser.get(u)).as("spammer " + u).containsAnyOf("session", "cusum");
        }
        // Specific users of the sample, by their labels: a takeover whose steps the CUSUM adds up. (Its
        // session is beyond all the population's, but a 1,000-user sample gives each instance too few
        // sessions for that to pass the session detector's bar: log2(n + 1) < 11 + log2(2).)
        assertThat(detectorsByUser.get("u0000221")).contains("cusum");
        assertThat(labels.get("u0000221")[2]).isEqualTo("takeover");
    }

    @Test
    void normalUsersStayQuiet() throws Exception {
        Set<String> flagged = detectorsByUser(sampleRun.alerts()).keySet();
        List<String> normal = new ArrayList<>();
        for (String[] l : labels.values()) {
            if ((l[1].equals("buyer") || l[1].equals("merchant")) && !l[2].equals("novelty") && !l[2].equals("takeover")) {
                normal.add(l[0]);
            }
        }
        long falsePositives = normal.stream().filter(flagged::contains).count();
        assertThat(normal).hasSizeGreaterThan(900);
        assertThat(falsePositives).as("normal users flagged").isLessThanOrEqualTo(normal.size() / 100);
        // The hard negatives in particular: travel, a new phone, a forgotten password.
        for (String[] l : labels.values()) {
            if (l[2].equals("travel") || l[2].equals("new_phone") || l[2].equals("forgot_password")) {
                assertThat(flagged).as(l[2] + " " + l[0]).doesNotContain(l[0]);
            }
        }
    }

    @Test
    void alertsFollowTheContract() throws Exception {
        assertThat(sampleRun.alerts()).isNotEmpty();
        Set<String> ids = new HashSet<>();
        for (String line : sampleRun.alerts()) {
            JsonNode a = JSON.readTree(line);
            // The fields every alert has, in order; the user's behaviour group comes with its posterior when known.
            assertThat(a.fieldNames()).toIterable().filteredOn(f -> !f.startsWith("group")).containsExactly(
                    "schema_version", "alert_id", "repeat_key", "ts", "user", "detector", "severity", "score", "threshold", "unit", "summary",
                    "reasons", "events", "session", "repeats");
            assertThat(a.has("group_posterior")).as("group and its posterior together").isEqualTo(a.has("group"));
            assertThat(a.get("schema_version").asInt()).isEqualTo(1);
            assertThat(ids.add(a.get("alert_id").asText())).as("alert ids are unique").isTrue();
            assertThat(a.get("severity").asText()).isIn("low", "medium", "high", "critical");
            // The statistical detectors speak bits; CEP patterns count (events/min, failed logins).
            if (Set.of("transition", "session", "cusum", "login-novelty").contains(a.get("detector").asText())) {
                assertThat(a.get("unit").asText()).isEqualTo("bits");
            } else {
                assertThat(a.get("unit").asText()).isNotBlank();
            }
            assertThat(a.get("score").asDouble()).isGreaterThanOrEqualTo(a.get("threshold").asDouble());
            assertThat(a.get("reasons").size()).isPositive();
            assertThat(a.get("events").size()).isBetween(1, 20);
            for (JsonNode r : a.get("reasons")) {
                assertThat(r.fieldNames()).toIterable().containsExactly("feature", "observed", "expected", "bits");
            }
            assertThat(a.get("events").get(0).get("user").asText()).isEqualTo(a.get("user").asText());
        }
    }

    /** The subscriber contract: every alert of the evaluation sample's run validates against docs/schema. */
    @Test
    void everyAlertValidatesAgainstTheJsonSchema() throws Exception {
        AlertSchema schema = new AlertSchema();
        assertThat(sampleRun.alerts()).hasSizeGreaterThan(100);
        Map<String, List<String>> invalid = new TreeMap<>();
        Set<String> detectors = new HashSet<>();
        for (String line : sampleRun.alerts()) {
            List<String> violations = schema.violations(line);
            if (!violations.isEmpty()) {
                invalid.put(line, violations);
            }
            detectors.add(JSON.readTree(line).get("detector").asText());
        }
        assertThat(invalid).isEmpty();
        assertThat(detectors).contains("amount", "cusum", "login-novelty", "cep:account-takeover", "cep:brute-force", "velocity");
    }

    @Test
    void theSameInputGivesByteIdenticalAlerts() throws Exception {
        LocalRunner.Result again = run(SAMPLE, work.resolve("again"));
        assertThat(again.alerts()).isEqualTo(sampleRun.alerts());
    }

    @Test
    void aThousandGoodLinesAndAHundredBadOnesLoseNothing() throws Exception {
        List<String> good = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(SAMPLE)), StandardCharsets.UTF_8))) {
            while (good.size() < 1000) {
                good.add(r.readLine());
            }
        }
        List<String> bad = new ArrayList<>();
        Map<String, Integer> expected = new TreeMap<>();
        for (int i = 0; i < 20; i++) {
            bad.add(i % 2 == 0 ? "{\"ts\": \"2026-11-02T00:00:00Z\", \"user\": " : "this is not json " + i);
        }
        expected.put("malformed_json", 20);
        for (int i = 0; i < 20; i++) {
            bad.add(switch (i % 3) {
                case 0 -> "{\"user\": \"u" + i + "\", \"action\": \"login\"}";
                case 1 -> "{\"ts\": 1793606400000, \"action\": \"login\"}";
                default -> "{\"ts\": 1793606400000, \"user\": \"u" + i + "\"}";
            });
        }
        expected.put("missing_field", 20);
        for (int i = 0; i < 20; i++) {
            bad.add(switch (i % 4) {
                case 0 -> "{\"ts\": 1793606400000, \"user\": " + i + ", \"action\": \"login\"}";
                case 1 -> "{\"ts\": \"soon\", \"user\": \"u\", \"action\": \"login\"}";
                case 2 -> "{\"ts\": 1793606400000, \"user\": \"u\", \"action\": \"login\", \"status\": \"maybe\"}";
                default -> "{\"ts\": 1793606400000, \"user\": \"u\", \"action\": \"buy_item\", \"amount\": \"ten\"}";
            });
        }
        expected.put("wrong_type", 20);
        String huge = "{\"ts\": 1793606400000, \"user\": \"u\", \"action\": \"login\", \"pad\": \"" + "x".repeat(1_100_000) + "\"}";
        for (int i = 0; i < 10; i++) {
            bad.add(huge);
        }
        expected.put("too_long", 10);
        // Late: an hour before the sample starts, long after the allowed 5 s of out-of-orderness.
        for (int i = 0; i < 30; i++) {
            bad.add("{\"ts\": \"2026-11-01T23:00:00Z\", \"user\": \"late" + i + "\", \"action\": \"login\"}");
        }
        expected.put("late", 30);

        // Bad lines among the good ones, after the first 200 so that the late ones are late.
        List<String> lines = new ArrayList<>(good.subList(0, 200));
        for (int i = 0; i < 100; i++) {
            lines.add(bad.get(i));
            lines.addAll(good.subList(200 + i * 8, 208 + i * 8));
        }
        assertThat(lines).hasSize(1100);
        Path file = work.resolve("mixed.jsonl");
        Files.write(file, lines, StandardCharsets.UTF_8);

        LocalRunner.Result r = run(file, work.resolve("mixed"));
        assertThat(r.linesRead()).isEqualTo(1100);
        assertThat(r.eventsScored()).isEqualTo(1000);
        assertThat(r.deadLetters()).hasSize(100);
        Map<String, Integer> byReason = new TreeMap<>();
        for (String d : r.deadLetters()) {
            JsonNode n = JSON.readTree(d);
            byReason.merge(n.get("reason").asText(), 1, Integer::sum);
            assertThat(n.get("error").asText()).isNotBlank();
            assertThat(n.get("raw").asText().length()).isLessThanOrEqualTo(4096);
            int line = Integer.parseInt(n.get("source").asText().replace("mixed.jsonl:", ""));
            assertThat(lines.get(line - 1)).startsWith(n.get("raw").asText().substring(0, Math.min(30, n.get("raw").asText().length())));
        }
        assertThat(byReason).isEqualTo(expected);
    }

    private static List<String> usersOf(String type) {
        return labels.values().stream().filter(l -> l[1].equals(type)).map(l -> l[0]).sorted().toList();
    }

    private static Map<String, Set<String>> detectorsByUser(List<String> alerts) throws Exception {
        Map<String, Set<String>> m = new HashMap<>();
        for (String line : alerts) {
            JsonNode a = JSON.readTree(line);
            m.computeIfAbsent(a.get("user").asText(), k -> new HashSet<>()).add(a.get("detector").asText());
        }
        return m;
    }
}
