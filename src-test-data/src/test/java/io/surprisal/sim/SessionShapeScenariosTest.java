package io.surprisal.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code long_session} and {@code fast_pace} attacks, measured on generated events against each
 * account's own visits before the scenario: their shape, their labels, and that they leave every
 * other account's events as they were.
 */
class SessionShapeScenariosTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> SCENARIOS = Set.of("long_session", "fast_pace");

  /** One visit's events: epoch seconds and actions, and its first event's attributes. */
  record Session(JsonNode first, List<Long> ts, List<String> actions) {
    int events() {
      return ts.size();
    }

    long seconds() {
      return ts.get(ts.size() - 1) - ts.get(0);
    }

    double meanGap() {
      return (double) seconds() / (events() - 1);
    }

    List<Long> gaps() {
      List<Long> out = new ArrayList<>();
      for (int i = 1; i < ts.size(); i++) {
        out.add(ts.get(i) - ts.get(i - 1));
      }
      return out;
    }
  }

  /** A scenario account: its label, its visits before the scenario and the scenario visit. */
  record Account(UserLabel label, SimUser user, List<Session> before, Session scenario) {
    double medianEvents() {
      return median(before.stream().map(s -> (double) s.events()).toList());
    }

    double medianSeconds() {
      return median(before.stream().map(s -> (double) s.seconds()).toList());
    }

    double medianGap() {
      return median(before.stream().flatMap(s -> s.gaps().stream()).map(g -> (double) g).toList());
    }
  }

  private static SimulatorConfig config;
  private static Map<String, Account> accounts;

  @BeforeAll
  static void generate() throws Exception {
    // Up to 5,000 events a visit (the generator's cap), so that no long session is cut short.
    config = new SimulatorConfig(3_000, 2, 41L, SimulatorConfig.DEFAULT_START, 0, 5_000,
        WorldKnobs.DEFAULT.withLongSessionShare(0.02).withFastPaceShare(0.02));
    Simulator sim = new Simulator(config);
    Map<String, UserLabel> labels = new HashMap<>();
    sim.labels().stream().filter(l -> SCENARIOS.contains(l.scenario()))
        .forEach(l -> labels.put(l.user(), l));
    Map<String, Map<String, Session>> sessions = new HashMap<>();
    Iterator<String> lines = sim.eventLines();
    while (lines.hasNext()) {
      String line = lines.next();
      String user = line.substring(line.indexOf("\"user\":\"") + 8, line.indexOf("\",\"session\""));
      if (!labels.containsKey(user)) {
        continue;
      }
      JsonNode e = JSON.readTree(line);
      Session s = sessions.computeIfAbsent(user, u -> new LinkedHashMap<>()).computeIfAbsent(
          e.path("session").asText(), k -> new Session(e, new ArrayList<>(), new ArrayList<>()));
      s.ts().add(Instant.parse(e.path("ts").asText()).getEpochSecond());
      s.actions().add(e.path("action").asText());
    }
    Population population = new Population(config);
    accounts = new TreeMap<>();
    labels.forEach((id, l) -> {
      long start = Instant.parse(l.scenarioStart()).getEpochSecond();
      List<Session> before = new ArrayList<>();
      Session scenario = null;
      for (Session s : sessions.get(id).values()) {
        if (s.ts().get(0) < start) {
          before.add(s);
        } else if (s.ts().get(0) == start) {
          scenario = s;
        }
      }
      accounts.put(id, new Account(l, population.user(Population.index(id)), before, scenario));
    });
  }

  private static List<Account> of(String scenario) {
    return accounts.values().stream().filter(a -> a.label().scenario().equals(scenario)).toList();
  }

  static double median(List<Double> values) {
    List<Double> v = new ArrayList<>(values);
    Collections.sort(v);
    int n = v.size();
    return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
  }

  /** Labelled positive, with history before the scenario day, from the account's own place and device. */
  private static void assertOrdinaryAccount(Account a) {
    String id = a.label().user();
    assertThat(a.label().positive()).as(id).isTrue();
    assertThat(a.label().type()).as(id).isIn("buyer", "merchant");
    assertThat(a.scenario()).as(id + " scenario visit at scenario_start").isNotNull();
    long scenarioDay = config.start().getEpochSecond() + 86_400L * a.user().scenarioDay;
    assertThat(a.before()).as(id).isNotEmpty();
    assertThat(a.before().get(0).ts().get(0)).as(id).isLessThan(scenarioDay);
    JsonNode first = a.scenario().first();
    assertThat(first.path("country").asText()).as(id).isEqualTo(a.user().country.code());
    assertThat(first.path("asn").asInt()).as(id).isEqualTo(a.user().network.asn());
    assertThat(a.user().agents).extracting(UserAgents.Agent::value).as(id)
        .contains(first.path("user_agent").asText());
    assertThat(a.scenario().actions().get(0)).as(id).isEqualTo("login");
  }

  @Test
  void aLongSessionHasEightToThirtyTimesTheAccountsMedianEventsAtItsOwnPace() {
    List<Account> longSessions = of("long_session");
    assertThat(longSessions).hasSize((int) Math.round(0.02 * normalUsers())).hasSizeGreaterThan(40);
    List<Double> eventRatios = new ArrayList<>();
    List<Double> durationRatios = new ArrayList<>();
    for (Account a : longSessions) {
      String id = a.label().user();
      assertOrdinaryAccount(a);
      Session s = a.scenario();
      long least = Math.round(SimUser.LONG_SESSION_MIN_SCALE * a.medianEvents());
      assertThat((long) s.events()).as(id).isGreaterThanOrEqualTo(least);
      // it neither leaves nor trades until it is long enough
      assertThat(s.actions().subList(0, (int) least - 1)).as(id)
          .doesNotContain("end", "logout", "buy_item", "sell_item");
      // at the account's own pace, so it lasts many times its usual visit too
      assertThat(s.meanGap()).as(id).isGreaterThan(a.medianGap() / 2);
      assertThat((double) s.seconds()).as(id).isGreaterThan(4 * a.medianSeconds());
      eventRatios.add(s.events() / a.medianEvents());
      durationRatios.add(s.seconds() / a.medianSeconds());
    }
    assertThat(median(eventRatios)).isBetween(12.0, 26.0);
    assertThat(median(durationRatios)).isGreaterThan(10.0);
    // sizes spread with the account, not one number
    assertThat(Collections.max(eventRatios) / Collections.min(eventRatios)).isGreaterThan(2.0);
    assertThat(longSessions.stream().map(a -> a.scenario().events()).distinct().count())
        .isGreaterThan(longSessions.size() * 3L / 4);
  }

  @Test
  void aFastPaceVisitIsSeveralTimesTheAccountsPaceYetNotTheVelocityRulesPace() {
    List<Account> fast = of("fast_pace");
    assertThat(fast).hasSize((int) Math.round(0.02 * normalUsers())).hasSizeGreaterThan(40);
    List<Double> paceRatios = new ArrayList<>();
    for (Account a : fast) {
      String id = a.label().user();
      assertOrdinaryAccount(a);
      Session s = a.scenario();
      assertThat(s.events()).as(id).isGreaterThanOrEqualTo((int) Visit.FAST_PACE_MIN_BASE_EVENTS);
      double ratio = a.medianGap() / s.meanGap();
      assertThat(ratio).as(id).isGreaterThan(2.0);
      paceRatios.add(ratio);
      assertNotVelocity(id, s);
    }
    assertThat(median(paceRatios)).isBetween(2.5, 5.0);
    assertThat(Collections.max(paceRatios) - Collections.min(paceRatios)).isGreaterThan(1.0);
  }

  /**
   * Neither condition of the {@code velocity} rule at its defaults (conf/surprisal.yaml): more
   * than 15 events in each of 5 consecutive minutes, or 20 consecutive gaps with a coefficient of
   * variation below 0.1.
   */
  private static void assertNotVelocity(String id, Session s) {
    Map<Long, Integer> perMinute = s.ts().stream()
        .collect(Collectors.groupingBy(t -> Math.floorDiv(t, 60L), TreeMap::new, Collectors.summingInt(t -> 1)));
    int run = 0;
    long previous = Long.MIN_VALUE;
    for (Map.Entry<Long, Integer> m : perMinute.entrySet()) {
      run = m.getValue() > 15 ? (m.getKey() == previous + 1 ? run + 1 : 1) : 0;
      previous = m.getValue() > 15 ? m.getKey() : Long.MIN_VALUE;
      assertThat(run).as(id + " minutes over 15 events in a row").isLessThan(5);
    }
    List<Long> gaps = s.gaps();
    for (int i = 0; i + 20 <= gaps.size(); i++) {
      double[] w = gaps.subList(i, i + 20).stream().mapToDouble(Long::doubleValue).toArray();
      double mean = java.util.Arrays.stream(w).average().orElseThrow();
      double sd = Math.sqrt(java.util.Arrays.stream(w).map(x -> (x - mean) * (x - mean)).sum() / w.length);
      assertThat(sd / mean).as(id + " gaps' coefficient of variation").isGreaterThanOrEqualTo(0.1);
    }
  }

  @Test
  void theNewAttacksLeaveEveryOtherAccountsEventsAsTheyWere() {
    SimulatorConfig small = new SimulatorConfig(600, 2, 43L, SimulatorConfig.DEFAULT_START, 0, 5_000,
        WorldKnobs.DEFAULT);
    SimulatorConfig without = small.withWorld(WorldKnobs.DEFAULT.withLongSessionShare(0).withFastPaceShare(0));
    List<UserLabel> with = new Simulator(small).labels();
    Set<String> theirs = with.stream().filter(l -> SCENARIOS.contains(l.scenario()))
        .map(UserLabel::user).collect(Collectors.toSet());
    assertThat(theirs).hasSize(6); // 0.5% of the normal users each
    List<UserLabel> others = with.stream().filter(l -> !theirs.contains(l.user())).toList();
    assertThat(new Simulator(without).labels()).filteredOn(l -> !theirs.contains(l.user()))
        .isEqualTo(others);
    assertThat(linesWithout(small, theirs)).isEqualTo(linesWithout(without, theirs)).hasSizeGreaterThan(40_000);
  }

  private static List<String> linesWithout(SimulatorConfig config, Set<String> users) {
    List<String> out = new ArrayList<>();
    Iterator<String> lines = new Simulator(config).eventLines();
    while (lines.hasNext()) {
      String line = lines.next();
      if (!users.contains(line.substring(line.indexOf("\"user\":\"") + 8, line.indexOf("\",\"session\"")))) {
        out.add(line);
      }
    }
    return out;
  }

  private static long normalUsers() {
    Population p = new Population(config);
    long n = 0;
    for (int i = 0; i < p.size(); i++) {
      n += p.profile(i).abnormal() ? 0 : 1;
    }
    return n;
  }
}
