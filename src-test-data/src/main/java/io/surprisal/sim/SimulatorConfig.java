package io.surprisal.sim;

import java.time.Instant;

/**
 * What to simulate.
 *
 * @param users number of users (ids {@code u0000001} ...)
 * @param days number of days; day 0 is the learning day, days after it are the scored days where
 *     hard negatives and attack scenarios happen
 * @param seed seed of every random draw; same config gives byte-identical output
 * @param start midnight (UTC) of day 0
 * @param minPerKind when positive, at least this many users of every abnormal profile and of every
 *     scenario (used for small samples, where the natural shares would give none)
 * @param maxEventsPerVisit cap on the events of one visit (the last one is then an {@code end});
 *     bots at machine speed would otherwise walk for a very long time
 * @param world how the users behave and who they are ({@link WorldKnobs#LEGACY} unless given)
 */
public record SimulatorConfig(
    int users, int days, long seed, Instant start, int minPerKind, int maxEventsPerVisit,
    WorldKnobs world) {

  /** Default start: 2026-11-02T00:00:00Z. */
  public static final Instant DEFAULT_START = Instant.parse("2026-11-02T00:00:00Z");

  /** Default cap on the events of one visit. */
  public static final int DEFAULT_MAX_EVENTS_PER_VISIT = 5_000;

  /**
   * Conservative mean events per user per day at default settings (measured: 10,000 users x 2
   * days give about 49 events per user-day, half of them from bots); used only to size days.
   */
  static final double EVENTS_PER_USER_DAY_ESTIMATE = 30;

  public SimulatorConfig {
    if (users < 1 || users > 100_000_000) {
      throw new IllegalArgumentException("users must be in 1..100,000,000: " + users);
    }
    if (days < 1 || days > 10_000) {
      throw new IllegalArgumentException("days must be in 1..10,000: " + days);
    }
    if (start == null) {
      throw new IllegalArgumentException("start is required");
    }
    if (start.getEpochSecond() % 86_400 != 0 || start.getNano() != 0) {
      throw new IllegalArgumentException("start must be a UTC midnight: " + start);
    }
    if (minPerKind < 0) {
      throw new IllegalArgumentException("minPerKind must be >= 0: " + minPerKind);
    }
    if (maxEventsPerVisit < 2) {
      throw new IllegalArgumentException("maxEventsPerVisit must be >= 2: " + maxEventsPerVisit);
    }
    if (world == null) {
      throw new IllegalArgumentException("world is required");
    }
  }

  /** The legacy world ({@link WorldKnobs#LEGACY}). */
  public SimulatorConfig(
      int users, int days, long seed, Instant start, int minPerKind, int maxEventsPerVisit) {
    this(users, days, seed, start, minPerKind, maxEventsPerVisit, WorldKnobs.LEGACY);
  }

  /** The four-argument form: no minimum per kind, default visit cap, legacy world. */
  public SimulatorConfig(int users, int days, long seed, Instant start) {
    this(users, days, seed, start, 0, DEFAULT_MAX_EVENTS_PER_VISIT);
  }

  /** {@code users} users over {@code days} days from {@link #DEFAULT_START}. */
  public static SimulatorConfig of(int users, int days, long seed) {
    return new SimulatorConfig(users, days, seed, DEFAULT_START);
  }

  /**
   * A config for benchmarks wanting about {@code events} events over {@code users} users: enough
   * days (with margin) that the lazy {@link Simulator#eventLines()} does not run out before {@code
   * events}; the caller stops reading after {@code events} lines.
   */
  public static SimulatorConfig forEventBudget(int users, long events, long seed) {
    double userDays = events / EVENTS_PER_USER_DAY_ESTIMATE;
    int days = (int) Math.min(10_000, Math.max(2, Math.ceil(2.0 * userDays / users) + 1));
    return of(users, days, seed);
  }

  /** This config with {@link #minPerKind} set. */
  public SimulatorConfig withMinPerKind(int min) {
    return new SimulatorConfig(users, days, seed, start, min, maxEventsPerVisit, world);
  }

  /** This config with {@link #maxEventsPerVisit} set. */
  public SimulatorConfig withMaxEventsPerVisit(int max) {
    return new SimulatorConfig(users, days, seed, start, minPerKind, max, world);
  }

  /** This config with another number of days. */
  public SimulatorConfig withDays(int d) {
    return new SimulatorConfig(users, d, seed, start, minPerKind, maxEventsPerVisit, world);
  }

  /** This config with other knobs. */
  public SimulatorConfig withWorld(WorldKnobs w) {
    return new SimulatorConfig(users, days, seed, start, minPerKind, maxEventsPerVisit, w);
  }

  /** The first scored day: scenarios and new users fall on days {@code >= firstScoredDay()}. */
  public int firstScoredDay() {
    return world.historyDays();
  }
}
