package io.surprisal.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PopulationSharesTest {

  @Test
  void profileAndScenarioSharesOnTwentyThousandUsers() {
    int users = 20_000;
    SimulatorConfig config = SimulatorConfig.of(users, 3, 99L).withWorld(WorldKnobs.DEFAULT);
    List<UserLabel> labels = new Simulator(config).labels();
    assertThat(labels).hasSize(users);
    Map<String, Long> types = labels.stream()
        .collect(Collectors.groupingBy(UserLabel::type, Collectors.counting()));
    for (Profile p : Profile.values()) {
      double share = types.getOrDefault(p.label(), 0L) / (double) users;
      // about four binomial standard deviations
      double tolerance = 4 * Math.sqrt(p.share() * (1 - p.share()) / users);
      assertThat(share).as(p.label()).isCloseTo(p.share(), within(tolerance));
    }
    long normals = labels.stream()
        .filter(l -> l.type().equals("buyer") || l.type().equals("merchant")).count();
    Map<String, Long> scenarios = labels.stream()
        .collect(Collectors.groupingBy(UserLabel::scenario, Collectors.counting()));
    for (Scenario s : Scenario.values()) {
      if (s == Scenario.NONE) {
        continue;
      }
      assertThat(scenarios.get(s.label())).as(s.label())
          .isEqualTo(Math.round(config.world().scenarioShare(s) * normals));
    }
    // Scenarios only for normal users, with a start; never for abnormal ones.
    assertThat(labels).allSatisfy(l -> {
      if (!l.scenario().equals("none")) {
        assertThat(l.type()).isIn("buyer", "merchant");
        assertThat(l.scenarioStart()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
      } else {
        assertThat(l.scenarioStart()).isEmpty();
      }
    });
  }

  @Test
  void minPerKindGuaranteesEveryKindInSmallPopulations() {
    List<UserLabel> labels = new Simulator(
        new SimulatorConfig(30, 2, 3L, SimulatorConfig.DEFAULT_START, 1, 100, WorldKnobs.DEFAULT))
        .labels();
    Map<String, Long> types = labels.stream()
        .collect(Collectors.groupingBy(UserLabel::type, Collectors.counting()));
    Map<String, Long> scenarios = labels.stream()
        .collect(Collectors.groupingBy(UserLabel::scenario, Collectors.counting()));
    assertThat(types.keySet()).containsExactlyInAnyOrder(
        List.of(Profile.values()).stream().map(Profile::label).toArray(String[]::new));
    assertThat(scenarios.keySet()).containsExactlyInAnyOrder(
        List.of(Scenario.values()).stream().map(Scenario::label).toArray(String[]::new));
  }

  @Test
  void attackScenariosAtLeastOneFromTwoHundredUsers() {
    Map<String, Long> scenarios = new Simulator(
        SimulatorConfig.of(200, 2, 8L).withWorld(WorldKnobs.DEFAULT)).labels().stream()
        .collect(Collectors.groupingBy(UserLabel::scenario, Collectors.counting()));
    assertThat(scenarios.get("novelty")).isGreaterThanOrEqualTo(1);
    assertThat(scenarios.get("takeover")).isGreaterThanOrEqualTo(1);
    assertThat(scenarios.get("impossible_travel")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void theLegacyWorldHasNoImpossibleTravelEvenWithMinimums() {
    assertThat(new Simulator(new SimulatorConfig(30, 2, 3L, SimulatorConfig.DEFAULT_START, 1, 100))
        .labels()).extracting(UserLabel::scenario).doesNotContain("impossible_travel");
  }

  @Test
  void oneDayHasNoScenarios() {
    assertThat(new Simulator(SimulatorConfig.of(500, 1, 8L)).labels())
        .extracting(UserLabel::scenario).containsOnly("none");
  }
}
