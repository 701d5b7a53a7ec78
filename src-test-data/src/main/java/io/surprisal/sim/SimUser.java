package io.surprisal.sim;

import io.surprisal.sim.Geo.City;
import io.surprisal.sim.Geo.Country;
import io.surprisal.sim.Geo.Network;
import io.surprisal.sim.UserAgents.Agent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One user's stable attributes (home place, network, devices, habits, spending) and, for scenario
 * users, where and when the scenario happens. Derived only from (seed, user index), so it can be
 * rebuilt at any time.
 */
final class SimUser {
  private static final int DAY_SECONDS = 86_400;
  /** The spread of the log of a purchase's amount around its buyer's median, unless the world gives each their own. */
  static final double SPEND_SIGMA = 0.5;

  final SimulatorConfig config;
  final int index;
  final String id;
  final Profile profile;
  final Scenario scenario;
  /** The chain this user's visits walk: their profile's, or their own ({@link WorldKnobs#chainConcentration}). */
  final MarkovChain chain;
  /** The longest gap between two events of this user's visits: their profile's, or their own ({@link WorldKnobs#paceSigma}). */
  final int maxGapSeconds;

  final Country country;
  final City city;
  final Network network;
  final int prefix24;
  final int hostOctet;
  final List<Agent> agents;
  /** Mean visits per day of a normal user (legacy world: 1..3). */
  final double visitRate;
  /** The first day with visits: 0, or a scored day for a user new on that day. */
  final int firstDay;
  /** Centre of the active window, seconds after UTC midnight. */
  final int activeCentreUtcSeconds;
  /** Median purchase amount. */
  final double spendMedian;
  /** The standard deviation of the log of a purchase's amount around {@link #spendMedian}. */
  final double spendSigma;

  /** Scored day of the scenario, or -1. */
  final int scenarioDay;
  /** Visit ordinal on {@link #scenarioDay} that carries the scenario, or -1. */
  final int scenarioOrdinal;
  /** The place and device the scenario visit comes from (when the scenario changes them). */
  final Country scenarioCountry;
  final City scenarioCity;
  final Network scenarioNetwork;
  final int scenarioPrefix24;
  final Agent scenarioAgent;
  /**
   * Seconds from the end of the last visit at home to the first visit of a plausible trip
   * (getting to the airport, the flight, getting to the hotel); 0 for other users.
   */
  final long tripSeconds;
  /**
   * How far the scenario departs from the account's usual: for {@code long_session} its events in
   * times the account's median (8 to 30); for {@code fast_pace} how many times shorter its gaps
   * are than the account's median gap (2.5 to 4.5); 0 for other users.
   */
  final double scenarioScale;
  /** A {@code fast_pace} visit's events in times the account's median (1 to 2); 0 for others. */
  final double scenarioLength;

  SimUser(SimulatorConfig config, int index, Profile profile, Scenario scenario) {
    this.config = config;
    this.index = index;
    this.id = Population.userId(index);
    this.profile = profile;
    this.scenario = scenario;
    double concentration = config.world().chainConcentration();
    this.chain = concentration > 0 && !profile.abnormal()
        ? profile.chain().personal(Rng.hash(config.seed(), Rng.CHAIN, index), concentration)
        : profile.chain();
    double paceSigma = config.world().paceSigma();
    this.maxGapSeconds = paceSigma > 0 && !profile.abnormal()
        ? (int) Math.max(2, Math.round(profile.maxGapSeconds() * personalFactor(config, Rng.PACE, index, paceSigma)))
        : profile.maxGapSeconds();
    SplittableRandom rng = Rng.of(config.seed(), Rng.USER, index);

    if (profile == Profile.BOT) {
      Geo.Hosting hosting = Geo.HOSTING.get(rng.nextInt(Geo.HOSTING.size()));
      country = new Country(hosting.country(), 0, List.of(hosting.city()), List.of(hosting.network()));
      city = hosting.city();
      network = hosting.network();
      agents = List.of(UserAgents.BOTS.get(rng.nextInt(UserAgents.BOTS.size())));
    } else {
      country = Geo.weightedCommon(rng);
      city = country.randomCity(rng);
      List<Network> residential = country.networksOf(Geo.NetworkKind.RESIDENTIAL);
      List<Network> mobile = country.networksOf(Geo.NetworkKind.MOBILE);
      boolean useMobile = residential.isEmpty()
          || (!mobile.isEmpty() && rng.nextDouble() < config.world().mobileNetworkShare());
      List<Network> pool = useMobile ? mobile : residential;
      network = pool.get(rng.nextInt(pool.size()));
      agents = drawAgents(rng, config.world());
    }
    prefix24 = network.randomPrefix24(rng);
    hostOctet = 2 + rng.nextInt(252);
    WorldKnobs world = config.world();
    visitRate = world.minVisitsPerDay()
        + (world.maxVisitsPerDay() - world.minVisitsPerDay()) * rng.nextDouble();
    int localCentreHour = 8 + rng.nextInt(15); // 08:00..22:00 local
    activeCentreUtcSeconds =
        Math.floorMod((localCentreHour - city.utcOffsetHours()) * 3600 + rng.nextInt(3600), DAY_SECONDS);
    double median = 40.0 * StrictMath.exp(0.7 * Rng.gaussian(rng));
    spendMedian = Math.min(200.0, Math.max(10.0, median));
    double spread = world.spendSpreadSigma();
    spendSigma = spread > 0 && !profile.abnormal()
        ? SPEND_SIGMA * personalFactor(config, Rng.SPEND, index, spread)
        : SPEND_SIGMA;

    // Scenario details from their own stream, so adding a scenario does not shift other draws.
    SplittableRandom srng = Rng.of(config.seed(), Rng.SCENARIO, index);
    int scoredDays = config.days() - config.firstScoredDay();
    SplittableRandom wrng = Rng.of(config.seed(), Rng.WORLD, index);
    boolean isNew = scenario == Scenario.NONE && scoredDays > 0 && world.newUserShare() > 0
        && wrng.nextDouble() < world.newUserShare();
    firstDay = isNew ? config.firstScoredDay() + wrng.nextInt(scoredDays) : 0;
    if (scenario == Scenario.NONE || scoredDays <= 0) {
      scenarioDay = -1;
      scenarioOrdinal = -1;
      scenarioCountry = null;
      scenarioCity = null;
      scenarioNetwork = null;
      scenarioPrefix24 = 0;
      scenarioAgent = null;
      tripSeconds = 0;
      scenarioScale = 0;
      scenarioLength = 0;
      return;
    }
    scenarioDay = config.firstScoredDay() + srng.nextInt(scoredDays);
    int ordinalDraw = srng.nextInt(1 << 20);
    int visitsThatDay = plannedStarts(scenarioDay).length;
    // Impossible travel needs a visit from home before it, the same day.
    scenarioOrdinal = scenario == Scenario.IMPOSSIBLE_TRAVEL
        ? 1 + ordinalDraw % (visitsThatDay - 1)
        : ordinalDraw % visitsThatDay;
    City sCity = null;
    Country sc = null;
    Network sn = null;
    Agent sa = null;
    double scale = 0;
    double length = 0;
    switch (scenario) {
      case TRAVEL -> {
        sc = Geo.weightedCommonExcept(srng, country.code());
        List<Network> mobile = sc.networksOf(Geo.NetworkKind.MOBILE);
        sn = mobile.isEmpty() ? sc.networks().get(0) : mobile.get(srng.nextInt(mobile.size()));
      }
      case NEW_PHONE -> sa = pickAgent(srng, UserAgents.MOBILE, a -> !agents.contains(a));
      case NOVELTY -> {
        sc = srng.nextDouble() < 0.85 ? Geo.rare(srng) : Geo.weightedCommonExcept(srng, country.code());
        sn = sc.networks().get(srng.nextInt(sc.networks().size()));
        Set<String> families = families();
        sa = pickAgent(srng, allBrowsers(), a -> !families.contains(a.family()));
      }
      case TAKEOVER -> {
        sc = srng.nextDouble() < 0.6 ? Geo.rare(srng) : Geo.weightedCommonExcept(srng, country.code());
        sn = sc.networks().get(srng.nextInt(sc.networks().size()));
        sa = pickAgent(srng, allBrowsers(), a -> !agents.contains(a));
      }
      case IMPOSSIBLE_TRAVEL -> {
        // The user's own browser (a stolen session carries it); only the place gives it away.
        Geo.Place far = Geo.farFrom(srng, city, IMPOSSIBLE_TRAVEL_MIN_KM);
        sc = far.country();
        sCity = far.city();
        sn = sc.networks().get(srng.nextInt(sc.networks().size()));
      }
      // Sizes drawn per account, relative to its own habits: no detector can be tuned to one value.
      case LONG_SESSION -> scale = LONG_SESSION_MIN_SCALE
          + (LONG_SESSION_MAX_SCALE - LONG_SESSION_MIN_SCALE) * srng.nextDouble();
      case FAST_PACE -> {
        scale = FAST_PACE_MIN_SCALE + (FAST_PACE_MAX_SCALE - FAST_PACE_MIN_SCALE) * srng.nextDouble();
        length = 1 + srng.nextDouble();
      }
      default -> { }
    }
    scenarioScale = scale;
    scenarioLength = length;
    scenarioCountry = sc;
    scenarioCity = sc == null ? null : sCity != null ? sCity : sc.randomCity(srng);
    scenarioNetwork = sn;
    scenarioPrefix24 = sn == null ? 0 : sn.randomPrefix24(srng);
    scenarioAgent = sa;
    tripSeconds = scenario == Scenario.TRAVEL && world.plausibleTrips()
        ? TRIP_OVERHEAD_SECONDS + Math.round(city.kmTo(scenarioCity) / AIRLINER_KMH * 3600)
        : 0;
  }

  /** A long session has 8 to 30 times the account's median events per visit. */
  static final double LONG_SESSION_MIN_SCALE = 8;
  static final double LONG_SESSION_MAX_SCALE = 30;
  /** A fast-pace visit's gaps are 2.5 to 4.5 times shorter than the account's median gap. */
  static final double FAST_PACE_MIN_SCALE = 2.5;
  static final double FAST_PACE_MAX_SCALE = 4.5;

  /** The least distance of an impossible-travel login from home, km. */
  static final double IMPOSSIBLE_TRAVEL_MIN_KM = 3_000;
  /** Cruise speed of an airliner, km/h. */
  static final double AIRLINER_KMH = 850;
  /** Door to door beyond the flight itself: to the airport, boarding, to the hotel. */
  static final long TRIP_OVERHEAD_SECONDS = 3 * 3600;

  private static List<Agent> drawAgents(SplittableRandom rng, WorldKnobs world) {
    boolean desktopFirst = rng.nextDouble() < 1 - world.phoneShare();
    List<Agent> first = desktopFirst ? UserAgents.DESKTOP : UserAgents.MOBILE;
    List<Agent> out = new ArrayList<>(2);
    out.add(first.get(rng.nextInt(first.size())));
    if (rng.nextDouble() < world.multiDeviceShare()) {
      List<Agent> second = desktopFirst ? UserAgents.MOBILE : UserAgents.DESKTOP;
      out.add(second.get(rng.nextInt(second.size())));
    }
    return List.copyOf(out);
  }

  private static List<Agent> allBrowsers() {
    List<Agent> all = new ArrayList<>(UserAgents.DESKTOP);
    all.addAll(UserAgents.MOBILE);
    all.addAll(UserAgents.UNCOMMON);
    return all;
  }

  private static Agent pickAgent(
      SplittableRandom rng, List<Agent> pool, java.util.function.Predicate<Agent> allowed) {
    List<Agent> candidates = new ArrayList<>();
    for (Agent a : pool) {
      if (allowed.test(a)) {
        candidates.add(a);
      }
    }
    if (candidates.isEmpty()) {
      candidates = UserAgents.UNCOMMON;
    }
    return candidates.get(rng.nextInt(candidates.size()));
  }

  /** Browser families of the user's usual agents. */
  Set<String> families() {
    Set<String> out = new HashSet<>();
    for (Agent a : agents) {
      out.add(a.family());
    }
    return out;
  }

  /**
   * Planned start times (epoch seconds, sorted) of the user's visits on {@code day}. Actual starts
   * may be later, since a visit never starts before the previous one has ended.
   */
  long[] plannedStarts(int day) {
    if (day < firstDay) {
      return new long[0];
    }
    SplittableRandom rng = Rng.of(config.seed(), Rng.DAY, index, day);
    long dayStart = config.start().getEpochSecond() + (long) day * DAY_SECONDS;
    int visits;
    double spreadSeconds;
    boolean uniform = false;
    switch (profile) {
      case BOT -> {
        visits = 1 + rng.nextInt(2);
        spreadSeconds = 0;
        uniform = true;
      }
      case ATTACKER -> {
        visits = 1 + rng.nextInt(3);
        spreadSeconds = 0;
        uniform = true;
      }
      case SPAMMER -> {
        visits = 1 + rng.nextInt(3);
        spreadSeconds = 4 * 3600;
      }
      case FRAUDSTER -> {
        visits = 1 + rng.nextInt(2);
        spreadSeconds = 4 * 3600;
      }
      default -> {
        int whole = (int) visitRate;
        visits = whole + (rng.nextDouble() < visitRate - whole ? 1 : 0);
        // Many visits a day spread over more of the waking day.
        spreadSeconds = 2.5 * 3600 * Math.max(1.0, StrictMath.sqrt(visits / 3.0));
      }
    }
    if ((firstDay > 0 && day == firstDay) || day == scenarioDay) {
      visits = Math.max(visits, 1); // a new user appears; a scenario needs its visit
    }
    if (scenarioDay > firstDay && day == firstDay) {
      // Every scenario is a departure from the account's history: the account has one.
      visits = Math.max(visits, 1);
    }
    if (day == scenarioDay && scenario == Scenario.IMPOSSIBLE_TRAVEL) {
      visits = Math.max(visits, 2);
    }
    long[] starts = new long[visits];
    for (int v = 0; v < visits; v++) {
      long offset = uniform
          ? rng.nextInt(DAY_SECONDS)
          : Math.floorMod(activeCentreUtcSeconds + Math.round(spreadSeconds * Rng.gaussian(rng)), DAY_SECONDS);
      starts[v] = dayStart + offset;
    }
    Arrays.sort(starts);
    return starts;
  }

  /**
   * The user's first visit: {@code slot = {day, 0, planned start}}; false when the user has no
   * visit at all (a rare visitor over a short simulation).
   */
  boolean firstSlot(long[] slot) {
    for (int day = firstDay; day < config.days(); day++) {
      long[] planned = plannedStarts(day);
      if (planned.length > 0) {
        slot[0] = day;
        slot[1] = 0;
        slot[2] = planned[0];
        return true;
      }
    }
    return false;
  }

  /**
   * e^(sigma z), z standard normal from the user's own stream {@code tag}: how far a value of their
   * own lies from their profile's, drawn only in the worlds that give it (so others' bytes stay).
   */
  private static double personalFactor(SimulatorConfig config, long tag, int index, double sigma) {
    return StrictMath.exp(sigma * Rng.gaussian(Rng.of(config.seed(), tag, index)));
  }
}
