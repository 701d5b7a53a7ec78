package io.surprisal.sim;

import io.surprisal.sim.Geo.City;
import io.surprisal.sim.Geo.Country;
import io.surprisal.sim.Geo.Network;
import io.surprisal.sim.UserAgents.Agent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One visit (session) of one user: walks the user's chain (their profile's, or their own), or a scenario's script, one event at
 * a time. Everything is derived from (seed, user, day, ordinal, start), so the same visit is
 * produced whether the whole population or a single user is being simulated.
 */
final class Visit {
  /**
   * A {@code fast_pace} visit's mean gap is never shorter: 13.3 events a minute, under the rate of
   * the {@code velocity} rule (more than 15 a minute for 5 minutes running, in
   * conf/surprisal.yaml), so that the rule is not what catches it.
   */
  static final double FAST_PACE_MIN_MEAN_GAP_SECONDS = 4.5;
  /** A {@code fast_pace} visit has at least this many events times its length draw (1 to 2). */
  static final double FAST_PACE_MIN_BASE_EVENTS = 8;

  private final SimUser user;
  final int day;
  final int ordinal;
  final boolean scenarioVisit;
  private final SplittableRandom rng;
  private final MarkovChain chain;
  private final int maxGap;
  private final GapLaw gapLaw;
  private final int maxEvents;
  /** Until the visit has this many events its chain neither ends nor logs out (scenario visits). */
  private final int minEvents;
  /** The chance that an end or logout the chain draws is drawn again ({@link WorldKnobs#visitStretchSigma}). */
  private final double stayOn;
  private final String sessionHex;
  /** The constant part of every line of this visit, from {@code "ip"} to {@code "user_agent"}. */
  private final String attributesJson;
  private final boolean highAmounts;
  private final ArrayDeque<String> script = new ArrayDeque<>();
  private final JsonText.Timestamps timestamps;

  private String state;
  private long ts;
  private int emitted;
  private String action;
  private String status;
  private long amountCents = -1;

  Visit(SimUser user, int day, int ordinal, long startEpochSecond, JsonText.Timestamps timestamps) {
    this.user = user;
    this.day = day;
    this.ordinal = ordinal;
    this.timestamps = timestamps;
    SimulatorConfig cfg = user.config;
    this.rng = Rng.of(cfg.seed(), Rng.VISIT, user.index, day, ordinal);
    this.chain = user.chain;
    this.maxEvents = cfg.maxEventsPerVisit();
    this.sessionHex = String.format("%016x", Rng.hash(cfg.seed(), Rng.SESSION, user.index, day, ordinal));
    this.scenarioVisit = day == user.scenarioDay && ordinal == user.scenarioOrdinal;
    int gap = user.maxGapSeconds;
    int least = 0;
    if (scenarioVisit && user.scenario == Scenario.LONG_SESSION) {
      least = (int) Math.round(user.scenarioScale * Habits.before(user).medianEvents());
    } else if (scenarioVisit && user.scenario == Scenario.FAST_PACE) {
      Habits usual = Habits.before(user);
      least = (int) Math.round(
          Math.max(usual.medianEvents(), FAST_PACE_MIN_BASE_EVENTS) * user.scenarioLength);
      double meanGap = Math.max(
          FAST_PACE_MIN_MEAN_GAP_SECONDS, usual.medianGapSeconds() / user.scenarioScale);
      gap = (int) Math.round(2 * meanGap - 1); // gaps uniform in 1..gap: as irregular as a person's
    }
    this.maxGap = gap;
    this.gapLaw = cfg.world().gapLaw();
    this.minEvents = Math.min(least, maxEvents);
    this.state = user.profile.startState();
    this.highAmounts = scenarioVisit && (user.scenario == Scenario.TAKEOVER || user.scenario == Scenario.GIFT_CARDS);
    this.attributesJson = attributes();
    if (scenarioVisit) {
      scriptScenario();
    } else if (user.scenario == Scenario.GIFT_CARDS && day == user.firstDay && ordinal == 0 && day < user.scenarioDay) {
      // A gift-card scenario departs from the account's purchases: it has bought before.
      script.add("login:success");
      for (int i = 0; i < 3; i++) {
        script.add("buy_item:success");
      }
    }
    this.stayOn = stayOn(cfg, user, day, ordinal, scenarioVisit);
    this.ts = startEpochSecond;
    step();
  }

  /** 1 - 1/m for the visit's stretch m = max(1, e^(sigma z)); its own stream, so the rest is as it was. */
  private static double stayOn(SimulatorConfig cfg, SimUser user, int day, int ordinal, boolean scenarioVisit) {
    double sigma = cfg.world().visitStretchSigma();
    if (sigma == 0 || scenarioVisit || user.profile.abnormal()) {
      return 0;
    }
    double z = Rng.gaussian(Rng.of(cfg.seed(), Rng.STRETCH, user.index, day, ordinal));
    return Math.max(0, 1 - Math.exp(-sigma * z));
  }

  /** Whether this visit is on a plausible trip: from its first visit abroad to the end. */
  private boolean onTrip() {
    return user.scenario == Scenario.TRAVEL && user.config.world().plausibleTrips()
        && (scenarioVisit || afterScenario());
  }

  private boolean afterScenario() {
    return user.scenarioDay >= 0
        && (day > user.scenarioDay || (day == user.scenarioDay && ordinal > user.scenarioOrdinal));
  }

  private String attributes() {
    Country country = user.country;
    City city = user.city;
    Network network = user.network;
    int prefix = user.prefix24;
    // Residential addresses are sticky; now and then the host part changes.
    int host = rng.nextDouble() < 0.8 ? user.hostOctet : 2 + rng.nextInt(252);
    Agent agent;
    List<Agent> agents = user.agents;
    if (user.scenario == Scenario.NEW_PHONE && afterScenario()) {
      agents = new ArrayList<>(agents);
      agents.add(user.scenarioAgent); // the new phone stays in use
    }
    agent = agents.get(rng.nextInt(agents.size()));
    if (user.profile == Profile.BOT) {
      host = 2 + rng.nextInt(252);
    } else if (user.profile == Profile.ATTACKER) {
      // A new place and device every visit, preferring countries rare in the population.
      country = rng.nextDouble() < 0.7 ? Geo.rare(rng) : Geo.weightedCommon(rng);
      city = country.randomCity(rng);
      network = country.networks().get(rng.nextInt(country.networks().size()));
      prefix = network.randomPrefix24(rng);
      List<Agent> pool = new ArrayList<>(UserAgents.DESKTOP);
      pool.addAll(UserAgents.MOBILE);
      pool.addAll(UserAgents.UNCOMMON);
      agent = pool.get(rng.nextInt(pool.size()));
    } else if ((scenarioVisit || onTrip()) && user.scenarioCountry != null) {
      country = user.scenarioCountry;
      city = user.scenarioCity;
      network = user.scenarioNetwork;
      prefix = user.scenarioPrefix24;
      host = 2 + rng.nextInt(252);
    }
    if (scenarioVisit && user.scenarioAgent != null) {
      agent = user.scenarioAgent;
    }
    WorldKnobs world = user.config.world();
    if (world.ipChurn() > 0 && !user.profile.abnormal()) {
      // Its own stream, so that churn leaves every other draw of the visit as it was.
      SplittableRandom churn = Rng.of(user.config.seed(), Rng.CHURN, user.index, day, ordinal);
      if (churn.nextDouble() < world.ipChurn()) {
        do {
          prefix = network.randomPrefix24(churn);
        } while (prefix == user.prefix24);
        host = 2 + churn.nextInt(252);
      }
    }
    StringBuilder sb = new StringBuilder(256);
    sb.append("\"ip\":");
    JsonText.appendString(sb, Geo.ip(prefix, host));
    sb.append(",\"country\":");
    JsonText.appendString(sb, country.code());
    sb.append(",\"region\":");
    JsonText.appendString(sb, city.region());
    sb.append(",\"city\":");
    JsonText.appendString(sb, city.city());
    if (world.coordinates()) {
      sb.append(",\"lat\":").append(city.lat()).append(",\"lon\":").append(city.lon());
    }
    sb.append(",\"asn\":").append(network.asn());
    sb.append(",\"device\":");
    JsonText.appendString(sb, agent.device());
    sb.append(",\"user_agent\":");
    JsonText.appendString(sb, agent.value());
    return sb.toString();
  }

  private void scriptScenario() {
    switch (user.scenario) {
      case FORGOT_PASSWORD -> {
        int fails = 1 + rng.nextInt(2);
        for (int i = 0; i < fails; i++) {
          script.add("login:fail");
        }
        script.add("password_reset");
        script.add("login:success");
        // then the normal chain continues from login:success
      }
      case TAKEOVER -> {
        int fails = 2 + rng.nextInt(5);
        for (int i = 0; i < fails; i++) {
          script.add("login:fail");
        }
        script.add("login:success");
        script.add("update_email:success");
        if (rng.nextDouble() < 0.5) {
          script.add("password_reset");
        }
        script.add(user.profile == Profile.MERCHANT ? "bank_modify:success" : "payment_modify:success");
        int buys = 1 + rng.nextInt(4);
        for (int i = 0; i < buys; i++) {
          script.add("buy_item:success");
        }
        if (rng.nextDouble() < 0.7) {
          script.add("logout");
        }
        script.add("end");
      }
      // the chain continues from login:success, without an end until the visit is long enough
      case LONG_SESSION, FAST_PACE -> script.add("login:success");
      case GIFT_CARDS -> {
        script.add("login:success");
        int views = rng.nextInt(3);
        for (int i = 0; i < views; i++) {
          script.add("view_item:success");
        }
        int buys = 1 + rng.nextInt(3);
        for (int i = 0; i < buys; i++) {
          script.add("buy_item:success");
        }
        script.add("end");
      }
      default -> { }
    }
  }

  /** Chooses and stamps the next event. */
  private void step() {
    String next;
    if (!script.isEmpty()) {
      next = script.poll();
    } else {
      next = chain.next(state, rng);
      // A visit that must go on draws again from its own chain instead of leaving.
      for (int tries = 0; tries < 32 && next != null && emitted + 1 < minEvents && held(next); tries++) {
        next = chain.next(state, rng);
      }
      // A stretched visit goes on where its chain would leave.
      for (int tries = 0; tries < 32 && next != null && stayOn > 0 && endsVisit(MarkovChain.action(next))
          && rng.nextDouble() < stayOn; tries++) {
        next = chain.next(state, rng);
      }
      if (next == null) {
        next = "end"; // a state with no row ends the visit
      }
    }
    if (emitted == maxEvents - 1) {
      next = "end";
    }
    if (emitted > 0) {
      ts += gapLaw == GapLaw.UNIFORM ? 1 + rng.nextInt(maxGap) : logNormalGap();
    }
    state = next;
    action = MarkovChain.action(next);
    status = MarkovChain.status(next);
    amountCents = action.equals("buy_item") ? drawAmountCents() : -1;
    emitted++;
  }

  /**
   * Whether a visit that must go on may not take {@code next} yet: an end or logout; for a long
   * session also a purchase or sale (the hijacker reads, the account's money stays as it was).
   */
  private boolean held(String next) {
    String a = MarkovChain.action(next);
    return endsVisit(a)
        || (user.scenario == Scenario.LONG_SESSION && (a.equals("buy_item") || a.equals("sell_item")));
  }

  /** Whether {@code action} ends the visit: an end or a logout. */
  private static boolean endsVisit(String action) {
    return action.equals("end") || action.equals("logout");
  }

  private long drawAmountCents() {
    double amount = user.spendMedian * StrictMath.exp(user.spendSigma * Rng.gaussian(rng));
    if (highAmounts && user.scenario == Scenario.GIFT_CARDS) {
      amount = user.spendMedian * (15 + 25 * rng.nextDouble());
    } else if (highAmounts) {
      amount = Math.max(300.0, user.spendMedian * (8 + 17 * rng.nextDouble()));
    }
    return Math.max(50, Math.round(amount * 100));
  }

  /** Moves to the next event; false when the current event was the visit's last ({@code end}). */
  boolean advance() {
    if (action.equals("end")) {
      return false;
    }
    step();
    return true;
  }

  SimUser user() {
    return user;
  }

  long ts() {
    return ts;
  }

  String action() {
    return action;
  }

  String status() {
    return status;
  }

  /** The current event as one JSON line (no newline), fields in the fixed order. */
  String line() {
    StringBuilder sb = new StringBuilder(200 + attributesJson.length());
    sb.append("{\"ts\":\"").append(timestamps.format(ts)).append('"');
    sb.append(",\"event_id\":\"e-").append(sessionHex).append('-').append(emitted).append('"');
    sb.append(",\"user\":\"").append(user.id).append('"');
    sb.append(",\"session\":\"s-").append(sessionHex).append('"');
    sb.append(",\"action\":");
    JsonText.appendString(sb, action);
    sb.append(",\"status\":\"").append(status).append('"');
    sb.append(',').append(attributesJson);
    if (amountCents >= 0) {
      sb.append(",\"amount\":").append(amountCents / 100).append('.');
      long cents = amountCents % 100;
      sb.append(cents < 10 ? "0" : "").append(cents);
    }
    sb.append('}');
    return sb.toString();
  }

  /** A log-normal gap around the median the uniform law of {@code maxGap} has, floored at 1 s and capped. */
  private long logNormalGap() {
    double median = (1 + maxGap) / 2.0;
    long gap = Math.round(median * Math.exp(GapLaw.LOGNORMAL_SIGMA * rng.nextGaussian()));
    return Math.max(1, Math.min(GapLaw.MAX_GAP_SECONDS, gap));
  }
}
