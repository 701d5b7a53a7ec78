package io.surprisal.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CEP patterns wired into the one job graph, run end to end on a MiniCluster (RocksDB,
 * parallelism 2) over a small file: each pattern's alerts reach the alert output with their
 * detector, and every CEP operator has its stable uid.
 */
class CepPatternsITCase {
    private static final Instant T0 = Instant.parse("2026-11-02T08:00:00Z");
    private int n;

    private String line(String user, long offsetSeconds, String action, String status, String ip) {
        n++;
        return String.format("{\"ts\":\"%s\",\"event_id\":\"e-%d\",\"user\":\"%s\",\"session\":\"s-%s\",\"action\":\"%s\","
                        + "\"status\":\"%s\",\"ip\":\"%s\",\"country\":\"US\",\"device\":\"desktop\"}",
                T0.plusSeconds(offsetSeconds), n, user, user, action, status, ip);
    }

    @Test
    void patternAlertsReachTheAlertOutput(@TempDir Path dir) throws Exception {
        LocalRunner.Result result = run(dir, lines());
        Set<String> found = result.alerts().stream()
                .map(a -> a.replaceAll(".*\"user\":\"([^\"]*)\",\"detector\":\"([^\"]*)\".*", "$2 $1"))
                .collect(Collectors.toSet());
        assertThat(found).contains(
                "cep:failed-login-then-buy mallory",
                "cep:brute-force victim",
                "cep:credential-stuffing ip:192.0.2.66",
                "velocity crawler");
        assertThat(found).doesNotContain("cep:failed-login-then-buy jane");
        assertThat(result.alerts()).filteredOn(a -> a.contains("\"detector\":\"cep:brute-force\""))
                .hasSize(2)
                .anySatisfy(a -> assertThat(a).contains("\"severity\":\"critical\""));
        assertThat(result.deadLetters()).isEmpty();
    }

    @Test
    void withLoginNoveltyOffARoutingOperatorOfItsOwnFeedsTheUserKeyedPatterns(@TempDir Path dir) throws Exception {
        LocalRunner.Result result = run(dir, lines(), "novelty.enabled=false");
        Set<String> found = result.alerts().stream()
                .map(a -> a.replaceAll(".*\"user\":\"([^\"]*)\",\"detector\":\"([^\"]*)\".*", "$2 $1"))
                .collect(Collectors.toSet());
        assertThat(found).contains("cep:failed-login-then-buy mallory", "cep:brute-force victim");
        assertThat(found).doesNotContain("cep:failed-login-then-buy jane");
        assertThat(result.deadLetters()).isEmpty();
    }

    /**
     * The same user id in two tenants is two users in every per-user step: neither tenant's failed
     * logins nor its pace count towards the other's, while either alone would alert.
     */
    @Test
    void theSameUserIdInTwoTenantsSharesNoPerUserState(@TempDir Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            // Six failed logins of "shared" within a minute, then a success: three per tenant.
            lines.add(inTenant("shop-eu", line("shared", i * 10, "login", "fail", "198.51.100.7")));
            lines.add(inTenant("shop-us", line("shared", i * 10 + 5, "login", "fail", "198.51.100.8")));
        }
        lines.add(inTenant("shop-eu", line("shared", 40, "login", "success", "198.51.100.7")));
        lines.add(inTenant("shop-us", line("shared", 45, "login", "success", "198.51.100.8")));
        for (int i = 0; i < 60; i++) {
            // Twenty events a minute for six minutes: ten a minute per tenant.
            lines.add(inTenant("shop-eu", line("shared", 200 + i * 6 + (i % 3), "view_item", "success", "198.51.100.7")));
            lines.add(inTenant("shop-us", line("shared", 203 + i * 6 + (i % 3), "view_item", "success", "198.51.100.8")));
        }
        for (int i = 0; i < 6; i++) {
            lines.add(inTenant("shop-eu", line("alone", i * 10, "login", "fail", "198.51.100.9")));
        }
        lines.sort((a, b) -> a.substring(7, 27).compareTo(b.substring(7, 27)));

        LocalRunner.Result result = run(dir, lines);
        assertThat(result.deadLetters()).isEmpty();
        assertThat(result.alerts()).filteredOn(a -> a.contains("\"user\":\"shared\""))
                .noneMatch(a -> a.contains("\"detector\":\"cep:brute-force\"") || a.contains("\"detector\":\"velocity\""));
        assertThat(result.alerts()).filteredOn(a -> a.contains("\"user\":\"alone\""))
                .anySatisfy(a -> assertThat(a).contains("\"detector\":\"cep:brute-force\"").contains("\"tenant\":\"shop-eu\""));
    }

    private static String inTenant(String tenant, String line) {
        return line.substring(0, line.length() - 1) + ",\"tenant\":\"" + tenant + "\"}";
    }

    private static LocalRunner.Result run(Path dir, List<String> lines, String... sets) throws Exception {
        Path input = dir.resolve("events.jsonl");
        Files.write(input, lines);
        List<String> overrides = new ArrayList<>(List.of(
                "source.type=file", "source.file.path=" + input));
        overrides.addAll(List.of(sets));
        SurprisalConfig config = ConfigLoader.load(null, overrides);
        Path work = Files.createDirectories(dir.resolve("work"));
        return LocalRunner.run(config, Configuration.fromMap(Map.of("parallelism.default", "2")), input, work);
    }

    private List<String> lines() {
        List<String> lines = new ArrayList<>();
        // failed-login-then-buy
        lines.add(line("mallory", 0, "login", "fail", "198.51.100.1"));
        lines.add(line("mallory", 20, "buy_item", "success", "198.51.100.1"));
        // the negative case: a successful login in between
        lines.add(line("jane", 0, "login", "fail", "198.51.100.2"));
        lines.add(line("jane", 10, "login", "success", "198.51.100.2"));
        lines.add(line("jane", 30, "buy_item", "success", "198.51.100.2"));
        // brute force then success
        for (int i = 0; i < 6; i++) {
            lines.add(line("victim", 40 + i * 5, "login", "fail", "198.51.100.3"));
        }
        lines.add(line("victim", 80, "login", "success", "198.51.100.3"));
        // credential stuffing: five users fail from one ip
        for (int i = 0; i < 5; i++) {
            lines.add(line("stuffed" + i, 100 + i * 3, "login", "fail", "192.0.2.66"));
        }
        // a crawler: 20 events a minute for 6 minutes
        for (int i = 0; i < 120; i++) {
            lines.add(line("crawler", 200 + i * 3 + (i % 3), "view_item", "success", "198.51.100.4"));
        }
        lines.sort((a, b) -> a.substring(7, 27).compareTo(b.substring(7, 27)));
        return lines;
    }

    @Test
    void everyCepOperatorHasAStableUid(@TempDir Path dir) throws Exception {
        Path input = Files.writeString(dir.resolve("empty.jsonl"), "");
        SurprisalConfig config = ConfigLoader.load(null, List.of("source.type=file", "source.file.path=" + input));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SurprisalPipeline.Streams s = SurprisalPipeline.build(config, Connectors.fileSource(env, input.toString(), config.source()));
        s.alerts().print();
        s.deadLetters().print();
        var graph = env.getStreamGraph();
        Set<String> uids = graph.getStreamNodes().stream()
                .map(StreamNode::getTransformationUID).collect(Collectors.toSet());
        assertThat(uids).contains("cep-failed-login-then-buy", "cep-brute-force-runs",
                "cep-account-takeover", "cep-credential-stuffing-runs", "cep-failed-login-then-buy-late",
                "alert-budget", "alert-suppression");
        // The CEP patterns that brute-force and credential-stuffing were: their state has no place now.
        assertThat(uids).doesNotContain("cep-brute-force", "cep-brute-force-success", "cep-credential-stuffing");
        // Velocity is a part of the per-user operator: no operator takes the state savepoints hold under its former uid.
        assertThat(uids).doesNotContain("velocity", "cep-bot-velocity");
        assertThat(graph.getStreamNodes()).extracting(StreamNode::getUserHash)
                .doesNotContain(Uids.hashOf("cep-bot-velocity"));
        assertThat(SurprisalPipeline.RETIRED_UIDS).containsExactly("cep-bot-velocity");
    }
}
