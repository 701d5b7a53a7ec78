package io.surprisal.sim.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surprisal.sim.World;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seeds' arithmetic: every seed added up, the lowest seed, the seeds' spread, and how seeds are written. */
class SeedsReportTest {

  /** A seed of two worlds: {@code fast} of 10 fast visits caught in each, 1 of 1,000 normal users flagged in each. */
  private static MatrixReport seed(long seed, int fast) {
    List<EvalReport.Row> rows = List.of(
        new EvalReport.Row("buyer", "none", false, 1000, 1, 0),
        new EvalReport.Row("buyer", "fast_pace", true, 10, fast, 0));
    EvalReport report = new EvalReport(rows, new EvalReport.Metrics(fast, 1, 10 - fast, 999),
        new EvalReport.Metrics(0, 0, 0, 0), Map.of(), Map.of(), Map.of(), new EvalReport.NewUsers(0, 0));
    return new MatrixReport(seed, List.of(new MatrixReport.WorldResult(World.DEFAULT, 1, report, 1.0),
        new MatrixReport.WorldResult(World.SPARSE, 1, report, 1.0)));
  }

  @Test
  void everySeedAddedUpTheLowestSeedAndTheSpread() throws Exception {
    // fast visits caught: 18 of 20, 20 of 20, 16 of 20 (0.9, 1.0, 0.8: mean 0.9, sd 0.1)
    SeedsReport seeds = new SeedsReport(List.of(seed(1, 9), seed(2, 10), seed(7, 8)));
    MatrixReport.Group fast = MatrixReport.GROUPS.get(9);
    assertThat(fast.name()).isEqualTo("fast pace");

    assertThat(seeds.pooledRecall(fast)).isEqualTo(new MatrixReport.Recall(60, 54));
    assertThat(seeds.pooled()).isEqualTo(new EvalReport.Metrics(54, 6, 6, 5994));
    assertThat(seeds.lowest(fast).seed()).isEqualTo(7);
    assertThat(seeds.seedsBelow(fast, 0.9)).isEqualTo(1);
    assertThat(seeds.spread(fast)).isCloseTo(0.1, within(1e-12));
    // a group no seed has: no lowest seed, no spread
    MatrixReport.Group bots = MatrixReport.GROUPS.get(0);
    assertThat(seeds.lowest(bots)).isNull();
    assertThat(seeds.spread(bots)).isNaN();
    assertThat(seeds.seedsBelow(bots, 0.9)).isZero();

    String table = seeds.toTable();
    assertThat(table).startsWith("every world of each seed added up (3 seeds)");
    assertThat(table.lines().filter(l -> l.startsWith("7 ")).findFirst().orElseThrow())
        .contains("2/2000", "16/20 0.800", "n/a");
    assertThat(table.lines().filter(l -> l.startsWith("all seeds ")).findFirst().orElseThrow())
        .contains("90.00%", "0.10%", "6/6000", "54/60 0.900");
    assertThat(table.lines().filter(l -> l.startsWith("lowest seed ")).findFirst().orElseThrow())
        .contains("0.800 (seed 7)");
    assertThat(table.lines().filter(l -> l.startsWith("seed sd ")).findFirst().orElseThrow()).contains("0.100");
    // fast pace: one seed of three under 0.90; bots, which no seed has: n/a, not "0 of 3"
    String under = table.lines().filter(l -> l.startsWith("under 0.90 ")).findFirst().orElseThrow();
    assertThat(under).contains("1 of 3").doesNotContain("0 of 3");
    assertThat(under.substring("under 0.90".length()).strip()).startsWith("n/a");

    JsonNode json = new ObjectMapper().readTree(seeds.toJson());
    assertThat(json.path("seeds")).hasSize(3);
    assertThat(json.path("seeds").get(2).path("seed").asLong()).isEqualTo(7);
    JsonNode all = json.path("all_seeds").path("groups").path("fast pace");
    assertThat(all.path("flagged").asInt()).isEqualTo(54);
    assertThat(all.path("users").asInt()).isEqualTo(60);
    assertThat(all.path("lowest_seed").asLong()).isEqualTo(7);
    assertThat(all.path("lowest_recall").asDouble()).isEqualTo(0.8);
    assertThat(all.path("seed_sd").asDouble()).isCloseTo(0.1, within(1e-12));
    assertThat(all.path("seeds_under_target").asLong()).isEqualTo(1);
    assertThat(json.path("all_seeds").path("groups").path("bots").path("seed_sd").isNull()).isTrue();
  }

  @Test
  void seedsAreNumbersAndRangesEachOnce() {
    assertThat(SeedsReport.parseSeeds("1-4")).containsExactly(1L, 2L, 3L, 4L);
    assertThat(SeedsReport.parseSeeds("1-3,11, 23,2")).containsExactly(1L, 2L, 3L, 11L, 23L);
    assertThat(SeedsReport.parseSeeds("-5")).containsExactly(-5L);
    assertThatThrownBy(() -> SeedsReport.parseSeeds("4-1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SeedsReport.parseSeeds("one")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'one'");
    assertThatThrownBy(() -> SeedsReport.parseSeeds("1,,2")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SeedsReport.parseSeeds("1,2,")).isInstanceOf(IllegalArgumentException.class);
    // the largest seed, alone and at the end of a range, without wrapping round
    assertThat(SeedsReport.parseSeeds(Long.toString(Long.MAX_VALUE))).containsExactly(Long.MAX_VALUE);
    assertThat(SeedsReport.parseSeeds((Long.MAX_VALUE - 1) + "-" + Long.MAX_VALUE)).containsExactly(Long.MAX_VALUE - 1, Long.MAX_VALUE);
    assertThatThrownBy(() -> SeedsReport.parseSeeds(Long.MIN_VALUE + "-" + Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SeedsReport.parseSeeds("1-10001")).isInstanceOf(IllegalArgumentException.class);
    assertThat(SeedsReport.parseSeeds("1-10000")).hasSize(10_000);
    assertThatThrownBy(() -> new SeedsReport(List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
