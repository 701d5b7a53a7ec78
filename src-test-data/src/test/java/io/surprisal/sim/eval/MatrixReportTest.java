package io.surprisal.sim.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surprisal.sim.World;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The matrix's arithmetic: group recall from the rows, the targets, the per-detector block. */
class MatrixReportTest {

  private static EvalReport report(List<EvalReport.Row> rows, EvalReport.Metrics ours,
      Map<String, Long> falsePositives) {
    return new EvalReport(rows, ours, new EvalReport.Metrics(0, 0, 0, 0), Map.of(), Map.of(),
        falsePositives, new EvalReport.NewUsers(10, 1));
  }

  @Test
  void groupsAddTheirRowsAndTargetsAreCheckedPerWorld() throws Exception {
    List<EvalReport.Row> rows = List.of(
        new EvalReport.Row("buyer", "none", false, 990, 1, 0),
        new EvalReport.Row("buyer", "impossible_travel", true, 6, 3, 0),
        new EvalReport.Row("merchant", "impossible_travel", true, 4, 4, 0),
        new EvalReport.Row("bot", "none", true, 20, 20, 0),
        new EvalReport.Row("fraudster", "none", true, 10, 7, 0));
    // 34 of 40 positives flagged, 1 of 990 normal users
    MatrixReport.WorldResult good = new MatrixReport.WorldResult(World.DEFAULT, 1234,
        report(rows, new EvalReport.Metrics(34, 1, 6, 989), Map.of("login-novelty", 1L)), 2.0);
    MatrixReport.WorldResult bad = new MatrixReport.WorldResult(World.SPARSE, 99,
        report(rows, new EvalReport.Metrics(34, 30, 6, 960),
            Map.of("login-novelty", 29L, "session", 2L)), 3.0);

    MatrixReport.Group travel = MatrixReport.GROUPS.get(6);
    assertThat(travel.name()).isEqualTo("impossible travel");
    assertThat(MatrixReport.recall(good, travel)).isEqualTo(new MatrixReport.Recall(10, 7));
    assertThat(MatrixReport.recall(good, MatrixReport.GROUPS.get(2)))
        .isEqualTo(new MatrixReport.Recall(10, 7));
    assertThat(MatrixReport.recall(good, MatrixReport.GROUPS.get(1)))
        .isEqualTo(new MatrixReport.Recall(0, 0));

    assertThat(MatrixReport.missedTargets(good)).containsExactly(
        "recall 0.850 < 0.90", "fraudsters 0.700 < 0.80", "impossible travel 0.700 < 0.80");
    assertThat(MatrixReport.missedTargets(bad)).containsExactly(
        "precision 0.531 < 0.90", "recall 0.850 < 0.90", "FPR 3.03% > 0.20%",
        "fraudsters 0.700 < 0.80", "impossible travel 0.700 < 0.80");

    MatrixReport matrix = new MatrixReport(5, List.of(good, bad));
    String table = matrix.toTable();
    assertThat(table.lines().filter(l -> l.startsWith("default ")).findFirst().orElseThrow())
        .contains("97.14%", "85.00%", "0.10%", "1/990", "1/10", "1.00 (20)", "0.70 (10)", "n/a");
    // every world's counts added up: 68 of 80 positives, 31 of 1,980 normal users, 2 of 20 new ones
    assertThat(table.lines().filter(l -> l.startsWith("all worlds ")).findFirst().orElseThrow())
        .contains("10,000", "2,060", "68.69%", "85.00%", "1.57%", "31/1980", "2/20", "1.00 (40)", "0.70 (20)");
    assertThat(matrix.pooledRecall(travel)).isEqualTo(new MatrixReport.Recall(20, 14));
    assertThat(table).containsPattern("login-novelty +1 +29")
        .containsPattern("session +0 +2");
    JsonNode json = new ObjectMapper().readTree(matrix.toJson());
    assertThat(json.path("worlds").get(1).path("groups").path("impossible travel").path("flagged").asInt())
        .isEqualTo(7);
    assertThat(json.path("worlds").get(1).path("normal_users_flagged_per_detector").path("session").asLong())
        .isEqualTo(2);
    assertThat(json.path("worlds").get(0).path("groups").path("spammers").path("recall").isNull()).isTrue();
    assertThat(json.path("worlds").get(1).path("missed_targets")).hasSize(5);
    assertThat(json.path("all_worlds").path("groups").path("fraudsters").path("flagged").asInt())
        .isEqualTo(14);
    assertThat(json.path("all_worlds").path("new_normal_users").asInt()).isEqualTo(20);
    assertThat(table).doesNotContain("by the simulator's law");
  }

  @Test
  void theCatchesOfTheLengthLawStandBesideTheJobsPerWorld() {
    List<EvalReport.Row> rows = List.of(
        new EvalReport.Row("buyer", "none", false, 990, 1, 0),
        new EvalReport.Row("buyer", "long_session", true, 14, 9, 0),
        new EvalReport.Row("merchant", "long_session", true, 10, 8, 0));
    EvalReport report = report(rows, new EvalReport.Metrics(17, 1, 7, 989), Map.of());
    MatrixReport matrix = new MatrixReport(5, List.of(
        new MatrixReport.WorldResult(World.DEFAULT, 1234, report, 2.0,
            new LawBound(12.04, 0.00047, 990, 1, 23, 24), null),
        new MatrixReport.WorldResult(World.SPARSE, 1234, report, 2.0,
            new LawBound(10.97, 0.00048, 900, 0, 20, 24), null),
        new MatrixReport.WorldResult(World.LOGNORMAL_VISITS, 1234, report, 2.0)));
    String table = matrix.toTable();
    assertThat(table).contains("long visits, by the simulator's law of a visit's length (LengthLawOracle) at 2^-11 a user-day");
    assertThat(table).doesNotContain("fast visits, by");
    assertThat(table.lines().filter(l -> l.startsWith("default ") && l.contains("23/24")).findFirst().orElseThrow())
        .contains("12.0", "1/990", "0.047%", "17/24");
    assertThat(table).contains("lognormal-visits (visits stretched: no exact law)");
    // The law's catches and the job's, every world with a law added up.
    assertThat(table.lines().filter(l -> l.startsWith("all worlds ") && l.contains("43/48")).findFirst().orElseThrow())
        .contains("34/48");
    // A stretched world run alone says why there is no law.
    String alone = new MatrixReport(5, List.of(new MatrixReport.WorldResult(World.LOGNORMAL_VISITS, 1234, report, 2.0)), 13)
        .toTable();
    assertThat(alone).contains("lognormal-visits (visits stretched: no exact law)")
        .as("the budget asked for, though no world had a bound").contains("(LengthLawOracle) at 2^-13 a user-day");
    assertThat(new MatrixReport(5, List.of(new MatrixReport.WorldResult(World.PERSONAL_CHAINS, 1234, report, 2.0)), 11).toTable())
        .contains("personal-chains (chains of their own: no exact law)");
  }

  @Test
  void theReportsJsonCarriesEachWorldsLawBoundsAndTheBudget() throws Exception {
    List<EvalReport.Row> rows = List.of(
        new EvalReport.Row("buyer", "none", false, 990, 1, 0),
        new EvalReport.Row("buyer", "long_session", true, 24, 17, 0));
    EvalReport report = report(rows, new EvalReport.Metrics(17, 1, 7, 989), Map.of());
    MatrixReport matrix = new MatrixReport(5, List.of(
        new MatrixReport.WorldResult(World.DEFAULT, 1234, report, 2.0,
            new LawBound(12.94, 0.00023, 990, 1, 22, 24), new LawBound(12.4, 0.00024, 990, 0, 24, 24)),
        new MatrixReport.WorldResult(World.LOGNORMAL_VISITS, 1234, report, 2.0)), 12);
    JsonNode json = new ObjectMapper().readTree(matrix.toJson());
    assertThat(json.path("law_budget_bits").asDouble()).isEqualTo(12.0);
    JsonNode length = json.path("worlds").get(0).path("laws").path("long_session");
    assertThat(length.path("bar_bits").asDouble()).isEqualTo(12.94);
    assertThat(length.path("normal_users").asInt()).isEqualTo(990);
    assertThat(length.path("normal_flagged").asInt()).isEqualTo(1);
    assertThat(length.path("normal_flagged_share_by_law").asDouble()).isEqualTo(0.00023);
    assertThat(length.path("caught").asInt()).isEqualTo(22);
    assertThat(length.path("attack_visits").asInt()).isEqualTo(24);
    JsonNode pace = json.path("worlds").get(0).path("laws").path("fast_pace");
    assertThat(pace.path("bar_bits").asDouble()).isEqualTo(12.4);
    assertThat(pace.path("caught").asInt()).isEqualTo(24);
    assertThat(json.path("worlds").get(1).path("laws").size()).as("no law in a stretched world").isZero();
  }

  @Test
  void theCatchesOfTheGapLawStandBesideTheJobsFastVisits() {
    List<EvalReport.Row> rows = List.of(
        new EvalReport.Row("buyer", "none", false, 990, 1, 0),
        new EvalReport.Row("buyer", "fast_pace", true, 24, 21, 0));
    EvalReport report = report(rows, new EvalReport.Metrics(21, 1, 3, 989), Map.of());
    String table = new MatrixReport(5, List.of(
        new MatrixReport.WorldResult(World.DEFAULT, 1234, report, 2.0, null,
            new LawBound(14.3, 0.00017, 990, 0, 24, 24)),
        new MatrixReport.WorldResult(World.LOGNORMAL_GAPS, 1234, report, 2.0)), 12.5).toTable();
    assertThat(table).as("the budget the oracle was held to").contains(
        "fast visits, by the simulator's law of a visit's gaps (PaceLawOracle) at 2^-12.5 a user-day");
    assertThat(table.lines().filter(l -> l.startsWith("default ") && l.contains("24/24")).findFirst().orElseThrow())
        .contains("14.3", "0/990", "0.017%", "21/24");
    assertThat(table).contains("lognormal-gaps (gaps not uniform: no exact law)");
    assertThat(table).doesNotContain("long visits, by");
  }
}
