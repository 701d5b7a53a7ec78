package io.surprisal.sim.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluation's arithmetic on a hand-made case. */
class EvaluationTest {
  private static final Instant START = Instant.parse("2026-11-02T00:00:00Z");
  private static final EvalConfig CFG = new EvalConfig(1, START);

  private static String event(String ts, String user, String action, String status) {
    return "{\"ts\":\"" + ts + "\",\"user\":\"" + user + "\",\"action\":\"" + action
        + "\",\"status\":\"" + status + "\",\"ip\":\"10.0.0.1\"}";
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  @Test
  void handMadeCase(@TempDir Path dir) throws Exception {
    List<String> events = new ArrayList<>();
    // Learning day: login has 4 events ("" -> 2 success 1 fail, login -> 1 success),
    // view has 3 (all success after login); 7 events learned.
    events.add(event("2026-11-02T01:00:00Z", "u1", "login", "success"));
    events.add(event("2026-11-02T01:00:05Z", "u1", "view", "success"));
    events.add(event("2026-11-02T02:00:00Z", "u2", "login", "fail"));
    events.add(event("2026-11-02T02:00:05Z", "u2", "login", "success"));
    events.add(event("2026-11-02T02:00:09Z", "u2", "view", "success"));
    events.add(event("2026-11-02T03:00:00Z", "u3", "login", "success"));
    events.add(event("2026-11-02T03:00:02Z", "u3", "view", "success"));
    // Scored day.
    events.add(event("2026-11-03T01:00:00Z", "u1", "view", "success"));   // prev view unseen: log2(3)
    events.add(event("2026-11-03T01:00:01Z", "u2", "login", "fail"));     // prev view unseen: log2(4)
    events.add(event("2026-11-03T01:00:02Z", "u3", "login", "success"));  // log2(4)
    events.add(event("2026-11-03T01:00:03Z", "u3", "view", "success"));   // log2(3/3) = 0
    events.add(event("2026-11-03T01:00:04Z", "u4", "buy", "success"));    // unseen path: log2(7)
    for (int u = 5; u <= 10; u++) {                                        // log2(4/2) = 1 each
      events.add(event("2026-11-03T02:00:0" + (u - 5) + "Z", "u" + u, "login", "success"));
    }
    Path eventsFile = dir.resolve("events.jsonl");
    Files.write(eventsFile, events);

    Path labels = dir.resolve("labels.csv");
    Files.writeString(labels, String.join("\n",
        "user,type,scenario,scenario_start",
        "u1,buyer,none,", "u2,bot,none,", "u3,buyer,travel,2026-11-03T01:00:02Z",
        "u4,buyer,takeover,2026-11-03T01:00:04Z", "u5,merchant,none,", "u6,buyer,none,",
        "u7,buyer,none,", "u8,buyer,none,", "u9,buyer,none,", "u10,buyer,none,",
        "u11,attacker,none,") + "\n");

    Path alerts = dir.resolve("alerts.jsonl");
    Files.write(alerts, List.of(
        "{\"user\":\"u2\",\"detector\":\"rate\",\"ts\":\"2026-11-03T05:00:00Z\",\"bits\":12.5}",
        "{\"user\":\"u3\",\"detector\":\"geo\",\"ts\":\"2026-11-03T06:00:00Z\"}",
        "{\"user\":\"u1\",\"detector\":\"geo\",\"ts\":\"2026-11-02T23:59:59Z\"}",
        "{\"user\":\"u11\",\"detector\":\"geo\",\"ts\":\"2026-11-03T01:00:00Z\",\"why\":{\"a\":[1,2]}}",
        "{\"user\":\"u2\",\"detector\":\"geo\",\"ts\":\"2026-11-03T07:00:00.250Z\"}"));

    EvalReport report = Evaluation.evaluate(eventsFile, labels, alerts, CFG);

    // Baseline totals and z-scores.
    Map<String, Double> totals = Map.of("u1", log2(3), "u2", 2.0, "u3", 2.0, "u4", log2(7),
        "u5", 1.0, "u6", 1.0, "u7", 1.0, "u8", 1.0, "u9", 1.0, "u10", 1.0);
    double mean = totals.values().stream().mapToDouble(d -> d).sum() / 10;
    double sd = Math.sqrt(totals.values().stream()
        .mapToDouble(d -> (d - mean) * (d - mean)).sum() / 9);
    assertThat(report.seedScores()).hasSize(10);
    totals.forEach((user, total) -> {
      assertThat(report.seedScores().get(user).totalBits()).as(user).isCloseTo(total, within(1e-12));
      assertThat(report.seedScores().get(user).z()).as(user)
          .isCloseTo((total - mean) / sd, within(1e-12));
    });
    assertThat(report.seedScores().get("u4").z()).isCloseTo(2.1397, within(1e-3));
    assertThat(report.seedScores().get("u2").z()).isLessThan(2);

    // Ours: u2 (bot) TP, u3 (travel) FP, u4 (takeover) FN; u11 is not active on scored days.
    assertThat(report.ours()).isEqualTo(new EvalReport.Metrics(1, 1, 1, 7));
    assertThat(report.ours().precision()).isEqualTo(0.5);
    assertThat(report.ours().recall()).isEqualTo(0.5);
    assertThat(report.ours().falsePositiveRate()).isEqualTo(1.0 / 8);
    // Seed: only u4 (z about 2.14).
    assertThat(report.seed()).isEqualTo(new EvalReport.Metrics(1, 0, 1, 8));
    assertThat(report.seed().precision()).isEqualTo(1.0);
    assertThat(report.seed().recall()).isEqualTo(0.5);
    assertThat(report.seed().falsePositiveRate()).isEqualTo(0.0);

    assertThat(report.rows()).containsExactly(
        new EvalReport.Row("buyer", "none", false, 6, 0, 0),
        new EvalReport.Row("buyer", "travel", false, 1, 1, 0),
        new EvalReport.Row("buyer", "takeover", true, 1, 0, 1),
        new EvalReport.Row("merchant", "none", false, 1, 0, 0),
        new EvalReport.Row("bot", "none", true, 1, 1, 0));
    assertThat(report.alertsPerDetector()).containsExactly(Map.entry("geo", 3L), Map.entry("rate", 1L));
    assertThat(report.seedAlerts()).isEqualTo(1);
    // u3 (travel, normal) is the only normal user flagged, by geo; u5..u10 are new normal users.
    assertThat(report.falsePositivesPerDetector()).containsExactly(Map.entry("geo", 1L));
    assertThat(report.newNormalUsers()).isEqualTo(new EvalReport.NewUsers(6, 0));

    String table = report.toTable();
    assertThat(table).contains("buyer      travel").contains("precision").contains("50.00%")
        .contains("rate").contains("seed notebook");
    JsonNode json = new ObjectMapper().readTree(report.toJson());
    assertThat(json.path("overall").path("ours").path("precision").asDouble()).isEqualTo(0.5);
    assertThat(json.path("overall").path("seed").path("false_positive_rate").asDouble()).isEqualTo(0.0);
    assertThat(json.path("rows")).hasSize(5);
    assertThat(json.path("alerts_per_detector").path("ours").path("geo").asLong()).isEqualTo(3);
    assertThat(json.path("alerts_per_detector").path("seed").asLong()).isEqualTo(1);
    assertThat(report.toJson()).isEqualTo(report.toJson());
  }

  @Test
  void undefinedRatiosAreNullInJson(@TempDir Path dir) throws Exception {
    Path events = dir.resolve("e.jsonl");
    Files.write(events, List.of(event("2026-11-03T01:00:00Z", "u1", "login", "success")));
    Path labels = dir.resolve("l.csv");
    Files.writeString(labels, "user,type,scenario,scenario_start\nu1,buyer,none,\n");
    Path alerts = dir.resolve("a.jsonl");
    Files.writeString(alerts, "");
    EvalReport report = Evaluation.evaluate(events, labels, alerts, CFG);
    assertThat(report.ours().precision()).isNaN();
    assertThat(report.ours().recall()).isNaN();
    assertThat(report.ours().falsePositiveRate()).isEqualTo(0.0);
    assertThat(new ObjectMapper().readTree(report.toJson()).path("overall").path("ours")
        .path("precision").isNull()).isTrue();
    assertThat(report.toTable()).contains("n/a");
  }

  @Test
  void baselineSurprisalRules() {
    SeedNotebookBaseline b = new SeedNotebookBaseline();
    b.learn("login", "", true);
    b.learn("login", "", false);
    b.learn("login", "", true);
    b.learn("view", "login", true);
    assertThat(b.learned()).isEqualTo(4);
    assertThat(b.surprisal("login", "", true)).isCloseTo(log2(3.0 / 2), within(1e-12));
    assertThat(b.surprisal("login", "", false)).isCloseTo(log2(3), within(1e-12));
    assertThat(b.surprisal("view", "login", false)).isCloseTo(0.0, within(1e-12)); // max(1, 0)
    assertThat(b.surprisal("view", "view", true)).isCloseTo(0.0, within(1e-12));   // log2(1)
    assertThat(b.surprisal("login", "view", true)).isCloseTo(log2(3), within(1e-12));
    assertThat(b.surprisal("buy", "", true)).isCloseTo(2.0, within(1e-12));          // log2(4)
  }

  @Test
  void fastTimestampParserAgreesWithInstantParse() {
    for (String ts : List.of("2026-11-02T08:15:02Z", "2024-02-29T23:59:59Z", "1970-01-01T00:00:00Z",
        "2026-11-02T08:15:02.5Z", "2026-11-02T08:15:02+01:00".replace("+01:00", "Z"))) {
      assertThat(Evaluation.parseInstant(ts)).isEqualTo(Instant.parse(ts));
    }
  }
}
