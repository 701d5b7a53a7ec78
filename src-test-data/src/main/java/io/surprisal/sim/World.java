package io.surprisal.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A named world of the evaluation matrix: a population size, days of history, and the knobs of its
 * users. Every preset has its history on all days but the last and its scenarios and new users on
 * the last day, the one that is scored. See docs/simulator-worlds.md.
 *
 * @param name short name, e.g. {@code sparse}
 * @param description what the world stands for, one line
 * @param users population size at scale 1
 * @param days days simulated; the last is scored, the ones before are history
 * @param minPerKind at least this many users of every abnormal profile and scenario, so that every
 *     group's recall is measured even in a small world
 * @param knobs how the users behave
 */
public record World(
    String name, String description, int users, int days, int minPerKind, WorldKnobs knobs) {

  /** Fewest users a scaled world gets. */
  public static final int MIN_SCALED_USERS = 100;

  public World {
    if (days < 2) {
      throw new IllegalArgumentException("a world needs a day of history and a scored day: " + days);
    }
    if (knobs.historyDays() != days - 1) {
      throw new IllegalArgumentException(name + ": history must be every day but the last");
    }
  }

  /**
   * At least this many of every abnormal profile and attack in a preset: below it one miss moves a
   * group's recall by more than a tenth. It binds only in the smaller worlds (heavy, small-site).
   */
  public static final int PRESET_MIN_PER_KIND = 10;

  private static World preset(String name, String description, int users, int days, WorldKnobs knobs) {
    return preset(name, description, users, days, PRESET_MIN_PER_KIND, knobs);
  }

  private static World preset(String name, String description, int users, int days, int minPerKind,
      WorldKnobs knobs) {
    return new World(name, description, users, days, minPerKind, knobs.withHistoryDays(days - 1));
  }

  /** Today's default world: 1 to 3 visits a day from a stable home address. */
  public static final World DEFAULT = preset("default",
      "1-3 visits a day from a stable home /24, 35% with two devices", 5_000, 2,
      WorldKnobs.DEFAULT);

  /** Rare visitors whose address changes nearly every visit. */
  public static final World SPARSE = preset("sparse",
      "0.3-1.3 visits a day, a new /24 at 80% of visits, a third with two devices", 5_000, 3,
      WorldKnobs.DEFAULT.withVisitsPerDay(0.3, 1.3).withIpChurn(0.8).withMultiDeviceShare(0.33));

  /** Users who come back dozens of times a day. */
  public static final World HEAVY = preset("heavy",
      "10-40 visits a day, a new /24 at 20% of visits", 1_000, 2,
      WorldKnobs.DEFAULT.withVisitsPerDay(10, 40).withIpChurn(0.2));

  /** A small site with a week of history. */
  public static final World SMALL_SITE = preset("small-site",
      "1-3 visits a day, a week of history, 5 of every abnormal kind", 400, 8, 5, WorldKnobs.DEFAULT);

  /** Mostly phones on mobile carriers. */
  public static final World MOBILE_HEAVY = preset("mobile-heavy",
      "85% on phones and mobile carriers, a new /24 at 70% of visits", 5_000, 2,
      WorldKnobs.DEFAULT.withPhoneShare(0.85).withMobileNetworkShare(0.85).withIpChurn(0.7));

  /** A quarter of the users are new on the scored day. */
  public static final World MANY_NEW = preset("many-new",
      "25% of users first appear on the scored day, 1-6 visits a day", 5_000, 2,
      WorldKnobs.DEFAULT.withNewUserShare(0.25).withVisitsPerDay(1, 6));

  /**
   * The default world with log-normal gaps within a visit: long reads now and then, as real sites
   * have, where the presets' gaps are uniform up to the account's maximum. Not in the matrix;
   * {@code --worlds lognormal-gaps} runs it.
   */
  public static final World LOGNORMAL_GAPS = preset("lognormal-gaps",
      "the default world with log-normal gaps within a visit (the log's sd 1.0, capped at 10 minutes)", 5_000, 2,
      WorldKnobs.DEFAULT.withGapLaw(GapLaw.LOGNORMAL));

  /**
   * The default world with visits of heavy-tailed length: each ordinary visit stretched by a
   * log-normal factor (sigma 1, never below 1), so that now and then an ordinary visit is ten or
   * thirty times its user's usual, as binges and forgotten tabs give on real sites. What the session
   * detectors' false alarms do where long visits are not rare. Not in the matrix; {@code --worlds
   * lognormal-visits} runs it.
   */
  public static final World LOGNORMAL_VISITS = preset("lognormal-visits",
      "the default world with ordinary visits stretched by a log-normal factor (sigma 1, at least 1)", 5_000, 2,
      WorldKnobs.DEFAULT.withVisitStretchSigma(1.0));

  /**
   * The default world where people differ in how they walk the site: each buyer and merchant has a
   * chain of their own around their profile's (Dirichlet rows of concentration 20), where the other
   * worlds' buyers all walk one chain and merchants another. What per-user history must learn, and
   * what the population's steps say about a person who is not like it. Not in the matrix; {@code
   * --worlds personal-chains} runs it.
   */
  public static final World PERSONAL_CHAINS = preset("personal-chains",
      "the default world where every buyer and merchant walks a chain of their own (Dirichlet rows of concentration 20)", 5_000, 2,
      WorldKnobs.DEFAULT.withChainConcentration(20));

  /**
   * The default world where people click through the site at paces of their own: each buyer's and
   * merchant's longest gap between events is their profile's times a log-normal factor (the log's
   * sd 0.5), where in the other worlds every buyer's gaps go up to 40 s and every merchant's to 50 s.
   * Not in the matrix; {@code --worlds personal-paces} runs it.
   */
  public static final World PERSONAL_PACES = preset("personal-paces",
      "the default world where every buyer and merchant has a pace of their own (longest gap times e^(0.5 z))", 5_000, 2,
      WorldKnobs.DEFAULT.withPaceSigma(0.5));

  /**
   * The default world where people's purchases vary by their own spread: each buyer's log amount
   * has a standard deviation of 0.5 times e^(0.5 z) around their median, where in the other worlds
   * it is 0.5 for everyone. Not in the matrix; {@code --worlds personal-spending} runs it.
   */
  public static final World PERSONAL_SPENDING = preset("personal-spending",
      "the default world where every buyer's amounts vary by a spread of their own (0.5 times e^(0.5 z))", 5_000, 2,
      WorldKnobs.DEFAULT.withSpendSpreadSigma(0.5));

  /**
   * Every way the other worlds vary, at once: log-normal gaps, binges, chains, paces and spending
   * of people's own, visits from 0.3 to 6 a day from addresses that change at half of them, and a
   * tenth of the users new on the scored day. No one knob of a real site is the simulator's; this
   * world asks whether the detectors' false alarms stay in their budget when none is. Not in the
   * matrix; {@code --worlds mixed} runs it.
   */
  public static final World MIXED = preset("mixed",
      "every variation at once: log-normal gaps and visits, chains, paces and spending of people's own, 0.3-6 visits a day, a new /24 at half of them, 10% new users", 5_000, 3,
      WorldKnobs.DEFAULT.withGapLaw(GapLaw.LOGNORMAL).withVisitStretchSigma(1.0).withChainConcentration(20)
          .withPaceSigma(0.5).withSpendSpreadSigma(0.5).withVisitsPerDay(0.3, 6).withIpChurn(0.5)
          .withNewUserShare(0.1));

  /** Worlds outside the matrix, run by name. */
  public static final List<World> EXTRAS =
      List.of(LOGNORMAL_GAPS, LOGNORMAL_VISITS, PERSONAL_CHAINS, PERSONAL_PACES, PERSONAL_SPENDING, MIXED);

  /** The worlds of {@code eval --matrix}, in table order. */
  public static final List<World> PRESETS =
      List.of(DEFAULT, SPARSE, HEAVY, SMALL_SITE, MOBILE_HEAVY, MANY_NEW);

  /** The preset named {@code name} (case-insensitive). */
  public static World named(String name) {
    for (List<World> worlds : List.of(PRESETS, EXTRAS)) {
      for (World w : worlds) {
        if (w.name.equalsIgnoreCase(name.strip())) {
          return w;
        }
      }
    }
    List<String> names = new ArrayList<>();
    PRESETS.forEach(w -> names.add(w.name));
    EXTRAS.forEach(w -> names.add(w.name));
    throw new IllegalArgumentException("unknown world '" + name + "'; worlds: " + String.join(", ", names));
  }

  /**
   * This world with {@code users} scaled (never below {@link #MIN_SCALED_USERS}); a smaller world
   * keeps at least one of every kind, but its minimum shrinks with it so that some normal users
   * stay without a scenario.
   */
  public World scaled(double scale) {
    if (!(scale > 0)) {
      throw new IllegalArgumentException("scale must be > 0: " + scale);
    }
    int n = (int) Math.max(MIN_SCALED_USERS, Math.min(100_000_000, Math.round(users * scale)));
    int min = n >= users ? minPerKind
        : (int) Math.max(Math.min(minPerKind, 1), Math.round((double) minPerKind * n / users));
    return new World(name, description, n, days, min, knobs);
  }

  /** The simulator config of this world with {@code seed}. */
  public SimulatorConfig config(long seed) {
    return new SimulatorConfig(users, days, seed, SimulatorConfig.DEFAULT_START, minPerKind,
        SimulatorConfig.DEFAULT_MAX_EVENTS_PER_VISIT, knobs);
  }

  /** Days the detectors learn before the scored (last) day. */
  public int learnDays() {
    return days - 1;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s (%,d users, %d days: %s)", name, users, days, description);
  }
}
