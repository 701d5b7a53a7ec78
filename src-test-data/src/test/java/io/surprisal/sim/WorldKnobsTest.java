package io.surprisal.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every knob of {@link WorldKnobs} does what it says, measured on generated events. */
class WorldKnobsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One visit: its first and last event. */
  record Session(JsonNode first, Instant start, Instant end) {
    String get(String field) {
      return first.path(field).asText();
    }

    String prefix24() {
      String ip = get("ip");
      return ip.substring(0, ip.lastIndexOf('.'));
    }
  }

  /** A generated world: labels and every user's sessions in time order. */
  record Generated(SimulatorConfig config, Map<String, UserLabel> labels,
      Map<String, List<Session>> sessions) {
    List<Session> of(String user) {
      return sessions.getOrDefault(user, List.of());
    }

    /** Users of {@code type}s with no scenario. */
    List<String> plain(String... types) {
      Set<String> wanted = Set.of(types);
      return labels.values().stream()
          .filter(l -> wanted.contains(l.type()) && l.scenario().equals("none"))
          .map(UserLabel::user).sorted().toList();
    }

    List<String> withScenario(String scenario) {
      return labels.values().stream().filter(l -> l.scenario().equals(scenario))
          .map(UserLabel::user).sorted().toList();
    }

    SimUser user(String id) {
      return new Population(config).user(Population.index(id));
    }
  }

  static Generated generate(SimulatorConfig config) throws Exception {
    Simulator sim = new Simulator(config);
    Map<String, UserLabel> labels =
        sim.labels().stream().collect(Collectors.toMap(UserLabel::user, l -> l));
    Map<String, List<Session>> sessions = new HashMap<>();
    Map<String, JsonNode[]> open = new HashMap<>(); // user -> {first, last} of the open session
    Iterator<String> lines = sim.eventLines();
    while (lines.hasNext()) {
      JsonNode e = JSON.readTree(lines.next());
      String user = e.path("user").asText();
      JsonNode[] current = open.get(user);
      if (current == null || !current[0].path("session").equals(e.path("session"))) {
        if (current != null) {
          close(sessions, user, current);
        }
        current = new JsonNode[] {e, e};
        open.put(user, current);
      }
      current[1] = e;
    }
    open.forEach((user, s) -> close(sessions, user, s));
    sessions.values().forEach(l -> l.sort((a, b) -> a.start().compareTo(b.start())));
    return new Generated(config, labels, sessions);
  }

  private static void close(Map<String, List<Session>> sessions, String user, JsonNode[] s) {
    sessions.computeIfAbsent(user, u -> new ArrayList<>()).add(new Session(s[0],
        Instant.parse(s[0].path("ts").asText()), Instant.parse(s[1].path("ts").asText())));
  }

  /** The events of {@code config}'s users of {@code types} with no scenario, in order. */
  private static List<JsonNode> plainEvents(SimulatorConfig config, String... types) throws Exception {
    Simulator sim = new Simulator(config);
    Set<String> wanted = Set.of(types);
    Set<String> plain = new HashSet<>();
    sim.labels().stream().filter(l -> wanted.contains(l.type()) && l.scenario().equals("none")).forEach(l -> plain.add(l.user()));
    List<JsonNode> events = new ArrayList<>();
    Iterator<String> lines = sim.eventLines();
    while (lines.hasNext()) {
      JsonNode e = JSON.readTree(lines.next());
      if (plain.contains(e.path("user").asText())) {
        events.add(e);
      }
    }
    return events;
  }

  private static SimulatorConfig config(int users, int days, long seed, WorldKnobs knobs) {
    return new SimulatorConfig(users, days, seed, SimulatorConfig.DEFAULT_START, 0, 300, knobs);
  }

  /** About four binomial standard deviations. */
  private static double tolerance(double p, int n) {
    return 4 * Math.sqrt(p * (1 - p) / n) + 1e-9;
  }

  @Test
  void ipChurnOneGivesEveryVisitANewPrefixInTheUsersOwnNetwork() throws Exception {
    Generated g = generate(config(600, 2, 31L, WorldKnobs.DEFAULT.withIpChurn(1.0)));
    int visits = 0;
    Set<String> distinct = new HashSet<>();
    for (String id : g.plain("buyer", "merchant")) {
      SimUser user = g.user(id);
      String home = Geo.ip(user.prefix24, 0);
      home = home.substring(0, home.lastIndexOf('.'));
      for (Session s : g.of(id)) {
        assertThat(s.prefix24()).as(id).isNotEqualTo(home);
        assertThat(s.first().path("asn").asInt()).as(id).isEqualTo(user.network.asn());
        visits++;
        distinct.add(id + " " + s.prefix24());
      }
    }
    assertThat(visits).isGreaterThan(1_000);
    // each visit's /24 is new: repeats only by chance inside networks of 512+ prefixes
    assertThat(distinct.size()).isGreaterThan((int) (0.98 * visits));
  }

  @Test
  void withoutChurnAUserKeepsTheHomePrefix() throws Exception {
    Generated g = generate(config(300, 2, 31L, WorldKnobs.DEFAULT));
    for (String id : g.plain("buyer", "merchant")) {
      assertThat(g.of(id).stream().map(Session::prefix24).distinct()).as(id).hasSize(1);
    }
  }

  @Test
  void newUserShareIsTheShareOfUsersWithNoEventBeforeTheScoredDay() throws Exception {
    double share = 0.3;
    Generated g = generate(config(3_000, 2, 32L, WorldKnobs.DEFAULT.withNewUserShare(share)));
    Instant scored = g.config().start().plusSeconds(86_400);
    List<String> candidates = g.plain("buyer", "merchant", "bot", "spammer", "fraudster", "attacker");
    long fresh = candidates.stream()
        .filter(u -> !g.of(u).isEmpty() && !g.of(u).get(0).start().isBefore(scored)).count();
    assertThat((double) fresh / candidates.size()).isCloseTo(share, within(tolerance(share, candidates.size())));
    // scenario users are never new: their scenario needs history
    for (UserLabel l : g.labels().values()) {
      if (!l.scenario().equals("none")) {
        assertThat(g.of(l.user()).get(0).start()).as(l.user()).isBefore(scored);
      }
    }
  }

  @Test
  void everyScenarioUserHasVisitedBeforeTheScenarioDayEvenWhenVisitsAreRare() throws Exception {
    Generated g = generate(config(4_000, 3, 36L, World.SPARSE.knobs().withAttackShare(0.02)));
    int scenarioUsers = 0;
    for (UserLabel l : g.labels().values()) {
      if (l.scenario().equals("none")) {
        continue;
      }
      SimUser user = g.user(l.user());
      Instant scenarioDayStart = g.config().start().plusSeconds(86_400L * user.scenarioDay);
      assertThat(g.of(l.user()).get(0).start()).as(l.user() + " " + l.scenario()).isBefore(scenarioDayStart);
      scenarioUsers++;
    }
    assertThat(scenarioUsers).isGreaterThan(200);
  }

  @Test
  void visitsPerDayFromOneEveryFourDaysToDozens() throws Exception {
    Generated rare = generate(config(1_000, 8, 33L, WorldKnobs.DEFAULT.withVisitsPerDay(0.25, 0.25)));
    List<String> users = rare.plain("buyer", "merchant");
    double perDay = users.stream().mapToInt(u -> rare.of(u).size()).average().orElseThrow() / 8;
    assertThat(perDay).isCloseTo(0.25, within(0.02));

    Generated heavy = generate(config(60, 1, 33L, WorldKnobs.DEFAULT.withVisitsPerDay(24, 24)));
    for (String u : heavy.plain("buyer", "merchant")) {
      assertThat(heavy.of(u)).as(u).hasSize(24);
    }
  }

  @Test
  void deviceAndNetworkSharesAreTheSharesOfNormalUsers() {
    int n = 4_000;
    WorldKnobs knobs = WorldKnobs.DEFAULT.withPhoneShare(0.8).withMultiDeviceShare(0.6)
        .withMobileNetworkShare(0.7);
    Population population = new Population(config(n, 2, 34L, knobs));
    int normals = 0;
    int phoneFirst = 0;
    int twoDevices = 0;
    int mobileNetwork = 0;
    for (int i = 0; i < n; i++) {
      if (population.profile(i).abnormal()) {
        continue;
      }
      SimUser u = population.user(i);
      normals++;
      phoneFirst += u.agents.get(0).device().equals("mobile") ? 1 : 0;
      twoDevices += u.agents.size() == 2 ? 1 : 0;
      // every common country has both a mobile carrier and a residential network
      mobileNetwork += u.network.kind() == Geo.NetworkKind.MOBILE ? 1 : 0;
    }
    assertThat((double) phoneFirst / normals).isCloseTo(0.8, within(tolerance(0.8, normals)));
    assertThat((double) twoDevices / normals).isCloseTo(0.6, within(tolerance(0.6, normals)));
    assertThat((double) mobileNetwork / normals).isCloseTo(0.7, within(tolerance(0.7, normals)));
  }

  @Test
  void abnormalAndAttackSharesSetTheScenarioMix() {
    int n = 10_000;
    WorldKnobs knobs = WorldKnobs.DEFAULT.withAbnormalShare(0.1).withAttackShare(0.02)
        .withTravelShare(0.05);
    List<UserLabel> labels = new Simulator(config(n, 2, 35L, knobs)).labels();
    long abnormal = labels.stream().filter(l -> !l.type().equals("buyer") && !l.type().equals("merchant")).count();
    assertThat((double) abnormal / n).isCloseTo(0.1, within(tolerance(0.1, n)));
    long normals = n - abnormal;
    Map<String, Long> scenarios = labels.stream()
        .collect(Collectors.groupingBy(UserLabel::scenario, Collectors.counting()));
    List<String> attacks =
        List.of("novelty", "takeover", "impossible_travel", "gift_cards", "long_session", "fast_pace");
    for (String attack : attacks) {
      assertThat(scenarios.get(attack)).as(attack).isEqualTo(Math.round(0.02 * normals));
    }
    assertThat(scenarios.get("travel")).isEqualTo(Math.round(0.05 * normals));
    assertThat(labels.stream().filter(UserLabel::positive).count())
        .isEqualTo(abnormal + attacks.size() * Math.round(0.02 * normals));
  }

  @Test
  void aGiftCardVisitBuysFifteenToFortyTimesTheUsualFromTheUsersOwnPlaceAndDevice() throws Exception {
    Simulator sim = new Simulator(config(3_000, 2, 37L, WorldKnobs.DEFAULT.withGiftCardShare(0.02)));
    Map<String, UserLabel> labels = sim.labels().stream().collect(Collectors.toMap(UserLabel::user, l -> l));
    Population population = new Population(sim.config());
    Map<String, List<JsonNode>> scenarioBuys = new HashMap<>();
    Iterator<String> lines = sim.eventLines();
    while (lines.hasNext()) {
      JsonNode e = JSON.readTree(lines.next());
      UserLabel l = labels.get(e.path("user").asText());
      if (l.scenario().equals("gift_cards") && e.has("amount")
          && !Instant.parse(e.path("ts").asText()).isBefore(Instant.parse(l.scenarioStart()))) {
        scenarioBuys.computeIfAbsent(l.user(), u -> new ArrayList<>()).add(e);
      }
    }
    assertThat(labels.values().stream().filter(l -> l.scenario().equals("gift_cards")))
        .allSatisfy(l -> assertThat(l.positive()).isTrue()).hasSize(scenarioBuys.size()).hasSizeGreaterThan(40);
    scenarioBuys.forEach((id, buys) -> {
      SimUser user = population.user(Population.index(id));
      JsonNode first = buys.get(0);
      assertThat(first.path("country").asText()).as(id).isEqualTo(user.country.code());
      assertThat(first.path("asn").asInt()).as(id).isEqualTo(user.network.asn());
      assertThat(user.agents).extracting(UserAgents.Agent::value).as(id).contains(first.path("user_agent").asText());
      double ratio = first.path("amount").asDouble() / user.spendMedian;
      assertThat(ratio).as(id).isBetween(14.9, 40.1);
    });
  }

  @Test
  void everyEventCarriesTheCoordinatesOfItsCity() throws Exception {
    Map<String, Geo.City> cities = new HashMap<>();
    for (List<Geo.Country> list : List.of(Geo.COMMON, Geo.RARE)) {
      list.forEach(c -> c.cities().forEach(city -> cities.put(c.code() + "/" + city.city(), city)));
    }
    Geo.HOSTING.forEach(h -> cities.put(h.country() + "/" + h.city().city(), h.city()));
    Simulator sim = new Simulator(config(300, 2, 36L, WorldKnobs.DEFAULT).withMinPerKind(2));
    Iterator<String> lines = sim.eventLines();
    int n = 0;
    while (lines.hasNext()) {
      JsonNode e = JSON.readTree(lines.next());
      Geo.City city = cities.get(e.path("country").asText() + "/" + e.path("city").asText());
      assertThat(city).as(e.toString()).isNotNull();
      assertThat(e.path("lat").isNumber()).isTrue();
      assertThat(e.path("lat").asDouble()).isEqualTo(city.lat());
      assertThat(e.path("lon").asDouble()).isEqualTo(city.lon());
      n++;
    }
    assertThat(n).isGreaterThan(1_000);
    // the legacy world has none
    assertThat(new Simulator(config(50, 1, 36L, WorldKnobs.LEGACY)).eventLines().next())
        .doesNotContain("\"lat\"");
  }

  @Test
  void impossibleTravelIsALoginThousandsOfKmAwayMinutesAfterAVisitFromHome() throws Exception {
    Generated g = generate(config(2_000, 2, 37L, WorldKnobs.DEFAULT.withAttackShare(0.01)));
    List<String> users = g.withScenario("impossible_travel");
    assertThat(users).hasSizeGreaterThanOrEqualTo(15);
    for (String id : users) {
      UserLabel label = g.labels().get(id);
      assertThat(label.positive()).isTrue();
      List<Session> sessions = g.of(id);
      int k = -1;
      for (int i = 0; i < sessions.size(); i++) {
        if (sessions.get(i).start().toString().equals(label.scenarioStart())) {
          k = i;
        }
      }
      assertThat(k).as(id).isPositive();
      Session home = sessions.get(k - 1);
      Session away = sessions.get(k);
      SimUser user = g.user(id);
      assertThat(home.get("city")).isEqualTo(user.city.city());
      double km = Geo.greatCircleKm(home.first().path("lat").asDouble(), home.first().path("lon").asDouble(),
          away.first().path("lat").asDouble(), away.first().path("lon").asDouble());
      assertThat(km).as(id).isGreaterThanOrEqualTo(SimUser.IMPOSSIBLE_TRAVEL_MIN_KM);
      long gap = away.start().getEpochSecond() - home.end().getEpochSecond();
      assertThat(gap).as(id).isBetween(60L, 16 * 60L);
      long sinceHomeLogin = away.start().getEpochSecond() - home.start().getEpochSecond();
      assertThat(km / (sinceHomeLogin / 3600.0)).as(id).isGreaterThan(SimUser.AIRLINER_KMH);
      // the user's own browser: only the place gives it away
      assertThat(user.agents.stream().map(UserAgents.Agent::value)).contains(away.get("user_agent"));
      // later visits are from home again
      for (int i = k + 1; i < sessions.size(); i++) {
        assertThat(sessions.get(i).get("city")).isEqualTo(user.city.city());
      }
    }
  }

  @Test
  void plausibleTripsTakeAtLeastTheFlightAndStayAbroad() throws Exception {
    Generated g = generate(config(2_000, 3, 38L, WorldKnobs.DEFAULT.withTravelShare(0.05)));
    List<String> users = g.withScenario("travel");
    assertThat(users).hasSizeGreaterThanOrEqualTo(50);
    for (String id : users) {
      SimUser user = g.user(id);
      List<Session> sessions = g.of(id);
      String start = g.labels().get(id).scenarioStart();
      int k = 0;
      while (!sessions.get(k).start().toString().equals(start)) {
        k++;
      }
      assertThat(k).as(id).isPositive();
      for (int i = 0; i < sessions.size(); i++) {
        String country = sessions.get(i).get("country");
        if (i < k) {
          assertThat(country).isEqualTo(user.country.code());
        } else {
          assertThat(country).isEqualTo(user.scenarioCountry.code());
        }
      }
      double km = user.city.kmTo(user.scenarioCity);
      double hours = (sessions.get(k).start().getEpochSecond()
          - sessions.get(k - 1).end().getEpochSecond()) / 3600.0;
      assertThat(km / hours).as(id).isLessThan(SimUser.AIRLINER_KMH);
    }
  }

  @Test
  void legacyKnobsAreTheOriginalSimulator() {
    SimulatorConfig legacy = new SimulatorConfig(200, 2, 39L, SimulatorConfig.DEFAULT_START, 1, 100);
    assertThat(legacy.world()).isEqualTo(WorldKnobs.LEGACY);
    assertThat(WorldKnobs.LEGACY.coordinates()).isFalse();
    assertThat(WorldKnobs.LEGACY.impossibleTravelShare()).isZero();
    assertThat(WorldKnobs.LEGACY.longSessionShare()).isZero();
    assertThat(WorldKnobs.LEGACY.fastPaceShare()).isZero();
    for (Profile p : Profile.values()) {
      assertThat(WorldKnobs.LEGACY.profileShare(p)).isEqualTo(p.share());
    }
  }

  @Test
  void knobsAreValidated() {
    assertThatThrownBy(() -> WorldKnobs.DEFAULT.withIpChurn(1.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ipChurn");
    assertThatThrownBy(() -> WorldKnobs.DEFAULT.withVisitsPerDay(2, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("visits per day");
    assertThatThrownBy(() -> WorldKnobs.DEFAULT.withHistoryDays(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("historyDays");
    assertThatThrownBy(() -> WorldKnobs.DEFAULT.withAttackShare(0.4))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than 1");
  }

  /** Seconds between consecutive events of a session, of buyers without a scenario. */
  private static List<Long> plainBuyersGaps(WorldKnobs knobs) throws Exception {
    Simulator sim = new Simulator(config(300, 2, 33L, knobs));
    Map<String, UserLabel> labels =
        sim.labels().stream().collect(Collectors.toMap(UserLabel::user, l -> l));
    Map<String, Instant> last = new HashMap<>();
    List<Long> gaps = new ArrayList<>();
    Iterator<String> lines = sim.eventLines();
    while (lines.hasNext()) {
      JsonNode e = JSON.readTree(lines.next());
      UserLabel l = labels.get(e.path("user").asText());
      if (!l.type().equals("buyer") || !l.scenario().equals("none")) {
        continue;
      }
      Instant ts = Instant.parse(e.path("ts").asText());
      Instant before = last.put(e.path("session").asText(), ts);
      if (before != null) {
        gaps.add(ts.getEpochSecond() - before.getEpochSecond());
      }
    }
    return gaps;
  }

  @Test
  void logNormalGapsHaveTheUniformLawsMedianAndALongTail() throws Exception {
    List<Long> uniform = plainBuyersGaps(WorldKnobs.DEFAULT);
    List<Long> logNormal = plainBuyersGaps(WorldKnobs.DEFAULT.withGapLaw(GapLaw.LOGNORMAL));
    // Buyers' gaps are uniform in 1..40 s: median 20.5, none longer.
    assertThat(uniform).allSatisfy(g -> assertThat(g).isBetween(1L, 40L));
    double medianUniform = uniform.stream().sorted().toList().get(uniform.size() / 2);
    double medianLogNormal = logNormal.stream().sorted().toList().get(logNormal.size() / 2);
    assertThat(medianLogNormal).isCloseTo(medianUniform, within(2.0));
    // Log-normal around 20.5 s with the log's sd 1: P(gap > 40 s) = P(z > ln(40 / 20.5)) = 0.25.
    double longer = logNormal.stream().filter(g -> g > 40).count() / (double) logNormal.size();
    assertThat(longer).isCloseTo(0.25, within(tolerance(0.25, logNormal.size())));
    assertThat(logNormal).allSatisfy(g -> assertThat(g).isBetween(1L, (long) GapLaw.MAX_GAP_SECONDS));
    assertThat(World.named("lognormal-gaps").knobs().gapLaw()).isEqualTo(GapLaw.LOGNORMAL);
    assertThat(World.PRESETS).as("not in the matrix").doesNotContain(World.LOGNORMAL_GAPS);
  }

  /** Events per visit of buyers and merchants without a scenario (true), and of abnormal profiles (false). */
  private static Map<Boolean, List<Integer>> visitLengths(WorldKnobs knobs) throws Exception {
    Simulator sim = new Simulator(config(300, 2, 33L, knobs));
    Map<String, UserLabel> labels =
        sim.labels().stream().collect(Collectors.toMap(UserLabel::user, l -> l));
    Map<String, Integer> events = new HashMap<>();
    Map<String, Boolean> plain = new HashMap<>();
    Iterator<String> lines = sim.eventLines();
    while (lines.hasNext()) {
      JsonNode e = JSON.readTree(lines.next());
      UserLabel l = labels.get(e.path("user").asText());
      boolean normal = l.type().equals("buyer") || l.type().equals("merchant");
      if (normal && !l.scenario().equals("none")) {
        continue;
      }
      String session = e.path("session").asText();
      events.merge(session, 1, Integer::sum);
      plain.put(session, normal);
    }
    return events.keySet().stream().collect(Collectors.partitioningBy(plain::get,
        Collectors.mapping(events::get, Collectors.toList())));
  }

  @Test
  void stretchedVisitsKeepMostVisitsAsTheyWereAndMakeSomeManyTimesLonger() throws Exception {
    Map<Boolean, List<Integer>> usual = visitLengths(WorldKnobs.DEFAULT);
    Map<Boolean, List<Integer>> stretched = visitLengths(WorldKnobs.DEFAULT.withVisitStretchSigma(1.0));
    List<Integer> before = usual.get(true).stream().sorted().toList();
    List<Integer> after = stretched.get(true).stream().sorted().toList();
    assertThat(after).hasSameSizeAs(before);
    // Half the visits have m = 1: the lower half of the lengths stays about where it was.
    assertThat(after.get(after.size() / 4)).isCloseTo(before.get(before.size() / 4), within(2));
    // The mean grows, by less than E[m] = E[max(1, e^z)] = 0.5 + e^0.5 Phi(1) = 1.89 (steps the
    // chain takes whatever the stretch, and at most 32 draws again), and the longest visits are many
    // times the longest before.
    double meanBefore = before.stream().mapToInt(Integer::intValue).average().orElseThrow();
    double meanAfter = after.stream().mapToInt(Integer::intValue).average().orElseThrow();
    assertThat(meanAfter / meanBefore).isBetween(1.2, 1.89);
    assertThat(after.get(after.size() - 1)).isGreaterThan(3 * before.get(before.size() - 1));
    // Abnormal users' visits are not stretched.
    assertThat(stretched.get(false)).hasSameElementsAs(usual.get(false));
    assertThat(World.named("lognormal-visits").knobs().visitStretchSigma()).isEqualTo(1.0);
    assertThat(World.PRESETS).as("not in the matrix").doesNotContain(World.LOGNORMAL_VISITS);
    assertThatThrownBy(() -> WorldKnobs.DEFAULT.withVisitStretchSigma(-1)).hasMessageContaining("visitStretchSigma");
  }

  @Test
  void personalChainsGiveEachPersonTheirOwnRowsAroundTheirProfilesAndLeaveOthersAsTheyWere() throws Exception {
    SimulatorConfig personal = config(2_000, 2, 47L, WorldKnobs.DEFAULT.withChainConcentration(20));
    Population people = new Population(personal);
    Population alike = new Population(config(2_000, 2, 47L, WorldKnobs.DEFAULT));
    String from = "view_item:success";
    String to = "buy_item:success";
    double p = Profile.BUYER.chain().probability(from, to);
    List<Double> own = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      SimUser user = people.user(i);
      SimUser same = alike.user(i);
      if (user.profile.abnormal()) {
        assertThat(user.chain).as("abnormal profiles keep their chain").isSameAs(user.profile.chain());
        continue;
      }
      assertThat(same.chain).as("no concentration: the profile's chain").isSameAs(same.profile.chain());
      for (String state : user.profile.chain().states()) {
        assertThat(user.chain.targets(state)).as(state).isEqualTo(user.profile.chain().targets(state));
      }
      if (user.profile == Profile.BUYER) {
        own.add(user.chain.probability(from, to));
      }
    }
    // A Dirichlet row of concentration c: each probability a Beta of mean p, variance p (1 - p) / (c + 1).
    double mean = own.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double variance = own.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / (own.size() - 1);
    assertThat(own.size()).isGreaterThan(800);
    assertThat(mean).isCloseTo(p, within(4 * Math.sqrt(p * (1 - p) / 21 / own.size())));
    assertThat(variance).isCloseTo(p * (1 - p) / 21, within(0.2 * p * (1 - p) / 21));
    // The same user in the same world walks the same chain (drawn from the seed and the user alone).
    assertThat(new Population(personal).user(7).chain.probability(from, to))
        .isEqualTo(people.user(7).chain.probability(from, to));
    // Each buyer's visits walk their own chain: the buyers whose own chain buys more often after a
    // view do so in their visits, as often as their chains say.
    SimulatorConfig small = config(800, 3, 47L, WorldKnobs.DEFAULT.withChainConcentration(20));
    Population smallPeople = new Population(small);
    Map<String, long[]> steps = new HashMap<>(); // user -> {views followed by a step, of them a purchase}
    Map<String, String> previous = new HashMap<>();
    for (JsonNode e : plainEvents(small, "buyer")) {
      String id = e.path("user").asText();
      String state = e.path("action").asText() + ":" + e.path("status").asText();
      String key = id + " " + e.path("session").asText();
      if (from.equals(previous.put(key, state))) {
        long[] c = steps.computeIfAbsent(id, k -> new long[2]);
        c[0]++;
        c[1] += state.equals(to) ? 1 : 0;
      }
    }
    List<String> buyers = new ArrayList<>(steps.keySet());
    buyers.sort(java.util.Comparator.comparingDouble(id -> smallPeople.user(Population.index(id)).chain.probability(from, to)));
    double[][] halves = new double[2][3]; // per half: observed purchases, views, expected purchases
    for (int i = 0; i < buyers.size(); i++) {
      String id = buyers.get(i);
      double[] h = halves[2 * i / buyers.size()];
      long[] c = steps.get(id);
      h[0] += c[1];
      h[1] += c[0];
      h[2] += c[0] * smallPeople.user(Population.index(id)).chain.probability(from, to);
    }
    for (double[] h : halves) {
      assertThat(h[1]).isGreaterThan(2_000);
      assertThat(h[0] / h[1]).isCloseTo(h[2] / h[1], within(4 * Math.sqrt(0.25 / h[1]) + 0.01));
    }
    assertThat(halves[1][0] / halves[1][1] - halves[0][0] / halves[0][1]).as("the halves differ").isGreaterThan(0.1);
    assertThat(World.named("personal-chains").knobs().chainConcentration()).isEqualTo(20);
    assertThat(World.PRESETS).as("not in the matrix").doesNotContain(World.PERSONAL_CHAINS);
    assertThatThrownBy(() -> WorldKnobs.DEFAULT.withChainConcentration(0.5)).hasMessageContaining("chainConcentration");
  }

  @Test
  void personalPacesGiveEachPersonTheirOwnLongestGapAroundTheirProfilesAndLeaveOthersAsTheyWere() throws Exception {
    SimulatorConfig personal = config(2_000, 2, 53L, WorldKnobs.DEFAULT.withPaceSigma(0.5));
    Population people = new Population(personal);
    Population alike = new Population(config(2_000, 2, 53L, WorldKnobs.DEFAULT));
    List<Double> logRatios = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      SimUser user = people.user(i);
      assertThat(alike.user(i).maxGapSeconds).isEqualTo(alike.user(i).profile.maxGapSeconds());
      if (user.profile.abnormal()) {
        assertThat(user.maxGapSeconds).as("abnormal profiles keep their pace").isEqualTo(user.profile.maxGapSeconds());
        continue;
      }
      assertThat(user.maxGapSeconds).isGreaterThanOrEqualTo(2);
      logRatios.add(Math.log((double) user.maxGapSeconds / user.profile.maxGapSeconds()));
    }
    double mean = logRatios.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double sd = Math.sqrt(logRatios.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / (logRatios.size() - 1));
    assertThat(mean).isCloseTo(0, within(0.05));
    assertThat(sd).isCloseTo(0.5, within(0.05));
    // A plain visit's gaps go up to its user's own longest, and reach near it.
    SimulatorConfig small = config(300, 2, 53L, WorldKnobs.DEFAULT.withPaceSigma(0.5));
    Population smallPeople = new Population(small);
    Map<String, Instant> last = new HashMap<>();
    Map<String, Long> longest = new HashMap<>();
    for (JsonNode e : plainEvents(small, "buyer", "merchant")) {
      String id = e.path("user").asText();
      String key = id + " " + e.path("session").asText();
      Instant ts = Instant.parse(e.path("ts").asText());
      Instant before = last.put(key, ts);
      if (before != null) {
        longest.merge(id, ts.getEpochSecond() - before.getEpochSecond(), Math::max);
      }
    }
    assertThat(longest).hasSizeGreaterThan(200);
    int near = 0;
    for (Map.Entry<String, Long> e : longest.entrySet()) {
      int own = smallPeople.user(Population.index(e.getKey())).maxGapSeconds;
      assertThat(e.getValue()).as(e.getKey()).isLessThanOrEqualTo(own);
      near += e.getValue() >= 0.7 * own ? 1 : 0;
    }
    assertThat(near).isGreaterThan(longest.size() / 2);
    assertThat(World.named("personal-paces").knobs().paceSigma()).isEqualTo(0.5);
    assertThat(World.PRESETS).as("not in the matrix").doesNotContain(World.PERSONAL_PACES);
    assertThatThrownBy(() -> WorldKnobs.DEFAULT.withPaceSigma(-0.1)).hasMessageContaining("paceSigma");
  }

  @Test
  void personalSpendingGivesEachBuyerTheirOwnSpreadOfAmounts() throws Exception {
    SimulatorConfig personal = config(1_500, 3, 59L, WorldKnobs.DEFAULT.withSpendSpreadSigma(0.5));
    Population people = new Population(personal);
    Population alike = new Population(config(1_500, 3, 59L, WorldKnobs.DEFAULT));
    List<Double> logSpreads = new ArrayList<>();
    for (int i = 0; i < 1_500; i++) {
      SimUser user = people.user(i);
      assertThat(alike.user(i).spendSigma).isEqualTo(SimUser.SPEND_SIGMA);
      if (user.profile.abnormal()) {
        assertThat(user.spendSigma).isEqualTo(SimUser.SPEND_SIGMA);
      } else {
        logSpreads.add(Math.log(user.spendSigma / SimUser.SPEND_SIGMA));
      }
    }
    double mean = logSpreads.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double sd = Math.sqrt(logSpreads.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / (logSpreads.size() - 1));
    assertThat(mean).isCloseTo(0, within(0.06));
    assertThat(sd).isCloseTo(0.5, within(0.06));
    // Each plain buyer's purchases spread by their own sigma: the narrowest fifth's log amounts
    // vary far less around their medians than the widest fifth's.
    Map<String, List<Double>> logs = new HashMap<>();
    for (JsonNode e : plainEvents(personal, "buyer")) {
      String id = e.path("user").asText();
      if (e.has("amount")) {
        SimUser user = people.user(Population.index(id));
        logs.computeIfAbsent(id, k -> new ArrayList<>()).add(Math.log(e.path("amount").asDouble() / user.spendMedian));
      }
    }
    List<Map.Entry<Double, Double>> bySigma = new ArrayList<>();
    logs.forEach((id, xs) -> {
      if (xs.size() >= 4) {
        double rms = Math.sqrt(xs.stream().mapToDouble(x -> x * x).sum() / xs.size());
        bySigma.add(Map.entry(people.user(Population.index(id)).spendSigma, rms));
      }
    });
    bySigma.sort(Map.Entry.comparingByKey());
    int fifth = bySigma.size() / 5;
    assertThat(fifth).isGreaterThan(20);
    double narrow = bySigma.subList(0, fifth).stream().mapToDouble(Map.Entry::getValue).average().orElseThrow();
    double wide = bySigma.subList(bySigma.size() - fifth, bySigma.size()).stream().mapToDouble(Map.Entry::getValue).average().orElseThrow();
    assertThat(wide).isGreaterThan(2 * narrow);
    assertThat(World.named("personal-spending").knobs().spendSpreadSigma()).isEqualTo(0.5);
    assertThat(World.PRESETS).as("not in the matrix").doesNotContain(World.PERSONAL_SPENDING);
    assertThatThrownBy(() -> WorldKnobs.DEFAULT.withSpendSpreadSigma(3)).hasMessageContaining("spendSpreadSigma");
  }

  @Test
  void theMixedWorldVariesEverythingTheOtherExtrasVaryOneAtATime() {
    WorldKnobs mixed = World.named("mixed").knobs();
    assertThat(mixed.gapLaw()).isEqualTo(World.LOGNORMAL_GAPS.knobs().gapLaw());
    assertThat(mixed.visitStretchSigma()).isEqualTo(World.LOGNORMAL_VISITS.knobs().visitStretchSigma());
    assertThat(mixed.chainConcentration()).isEqualTo(World.PERSONAL_CHAINS.knobs().chainConcentration());
    assertThat(mixed.paceSigma()).isEqualTo(World.PERSONAL_PACES.knobs().paceSigma());
    assertThat(mixed.spendSpreadSigma()).isEqualTo(World.PERSONAL_SPENDING.knobs().spendSpreadSigma());
    assertThat(mixed.minVisitsPerDay()).isLessThan(WorldKnobs.DEFAULT.minVisitsPerDay());
    assertThat(mixed.maxVisitsPerDay()).isGreaterThan(WorldKnobs.DEFAULT.maxVisitsPerDay());
    assertThat(mixed.ipChurn()).isPositive();
    assertThat(mixed.newUserShare()).isPositive();
    assertThat(World.MIXED.learnDays()).isEqualTo(2);
    assertThat(World.PRESETS).as("not in the matrix").doesNotContain(World.MIXED);
    assertThat(World.EXTRAS).contains(World.MIXED);
  }

  @Test
  void presetsScoreTheLastDayAndScaleWithAFloor() {
    assertThat(World.PRESETS).extracting(World::name)
        .containsExactly("default", "sparse", "heavy", "small-site", "mobile-heavy", "many-new");
    for (World w : World.PRESETS) {
      assertThat(w.knobs().historyDays()).isEqualTo(w.days() - 1);
      assertThat(w.learnDays()).isEqualTo(w.days() - 1);
      assertThat(w.knobs().coordinates()).isTrue();
      assertThat(w.knobs().impossibleTravelShare()).isPositive();
      assertThat(w.knobs().longSessionShare()).isPositive();
      assertThat(w.knobs().fastPaceShare()).isPositive();
    }
    assertThat(World.named("SMALL-SITE")).isEqualTo(World.SMALL_SITE);
    assertThat(World.SMALL_SITE.users()).isLessThan(1_000);
    assertThat(World.SMALL_SITE.days()).isGreaterThanOrEqualTo(8);
    assertThat(World.DEFAULT.scaled(0.001).users()).isEqualTo(World.MIN_SCALED_USERS);
    assertThat(World.DEFAULT.scaled(0.001).minPerKind()).isEqualTo(1);
    assertThat(World.HEAVY.minPerKind()).isEqualTo(World.PRESET_MIN_PER_KIND);
    assertThat(World.HEAVY.scaled(0.5).minPerKind()).isEqualTo(World.PRESET_MIN_PER_KIND / 2);
    assertThat(World.DEFAULT.scaled(2).users()).isEqualTo(10_000);
    assertThatThrownBy(() -> World.named("nope")).hasMessageContaining("sparse");
  }
}
