package io.surprisal.tools.methods;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.sim.UserLabel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class MethodComparisonTest {
  private static final Instant DAY0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant DAY1 = DAY0.plusSeconds(86_400);

  @Test
  void theThresholdLeavesAtMostTheBudgetAboveIt() {
    List<Double> scores = new ArrayList<>();
    for (int i = 1; i <= 1000; i++) {
      scores.add((double) i);
    }
    // 0.2% of 1000 = 2 users may be above: 999 and 1000
    assertThat(MethodComparison.threshold(scores, 0.002)).isEqualTo(998.0);
    assertThat(MethodComparison.threshold(scores, 0)).isEqualTo(1000.0);
  }

  @Test
  void aFeatureMissingInMoreThanAQuarterOfTheFitSessionsIsLeftOut() {
    double n = Double.NaN;
    double[][] rows = {{1, n, n}, {2, n, 1}, {3, 1, 1}, {4, 1, 1}};
    // column 1 is missing in half the rows, column 2 in a quarter
    assertThat(MethodComparison.mostlyPresent(rows)).containsExactly(0, 2);
  }

  @Test
  void eachMethodFlagsTheBotAndSparesOrdinaryUsers() {
    Random r = new Random(3);
    List<SessionVector> sessions = new ArrayList<>();
    Map<String, UserLabel> labels = new HashMap<>();
    Set<String> scored = new TreeSet<>();
    for (int u = 0; u < 400; u++) {
      String user = "u" + u;
      labels.put(user, new UserLabel(user, "buyer", "none", ""));
      scored.add(user);
      for (Instant day : List.of(DAY0.plusSeconds(3600), DAY1.plusSeconds(3600))) {
        sessions.add(new SessionVector(user, day, ordinary(r)));
      }
    }
    labels.put("bot", new UserLabel("bot", "bot", "none", ""));
    scored.add("bot");
    sessions.add(new SessionVector("bot", DAY1.plusSeconds(60), new double[] {300, 20, 0.01}));
    SessionVectors vectors = new SessionVectors(List.of("events", "minutes", "pause"), sessions);

    MethodsConfig cfg = MethodsConfig.DEFAULT;
    MethodComparison.Comparison comparison = MethodComparison.run(
        MethodComparison.seedMethods(cfg), vectors, labels, DAY1, scored, cfg);
    List<MethodComparison.MethodRun> runs = comparison.runs();

    assertThat(runs).extracting(MethodComparison.MethodRun::name)
        .containsExactly("z-score", "LOF", "iForest", "OC-SVM");
    for (MethodComparison.MethodRun run : runs) {
      assertThat(run.flagged()).as(run.name()).contains("bot");
      // the budget allowed none of ~200 calibration users above the threshold; a few scored
      // users may still pass it by chance
      assertThat(run.flagged().size()).as(run.name()).isLessThanOrEqualTo(6);
      assertThat(run.fitSessions()).as(run.name()).isBetween(150, 250);
    }
    MethodsReport report = new MethodsReport(labelsOf(scored, labels),
        Map.of("session-forest", Set.of("bot")), comparison, cfg.falseAlarmBudget());
    assertThat(report.toTable())
        .containsPattern("bots +1 +1\\.00 \\(1\\) +1\\.00 \\(1\\)")
        .contains("precision");
  }

  private static double[] ordinary(Random r) {
    return new double[] {8 + 2 * r.nextGaussian(), 10 + 3 * r.nextGaussian(), 20 + 5 * r.nextGaussian()};
  }

  private static Map<String, UserLabel> labelsOf(Set<String> users, Map<String, UserLabel> labels) {
    Map<String, UserLabel> out = new HashMap<>();
    users.forEach(u -> out.put(u, labels.get(u)));
    return out;
  }
}
