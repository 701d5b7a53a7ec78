package io.surprisal.sim.eval;

import io.surprisal.sim.Profile;
import io.surprisal.sim.Scenario;
import io.surprisal.sim.UserLabel;
import io.surprisal.sim.VisitLengthLaw;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a detector of long visits could catch if it knew the simulator's law of an ordinary visit's
 * length ({@link VisitLengthLaw}) and spent a detector's per-user-day budget on length alone: it
 * flags a visit whose tail under its user's law is below 2^-bar, with one bar for the world, the
 * lowest at which the normal users with a visit in the scored days are flagged at most 2^-budget
 * of the time on average (counted from the law, not from the sample); then it counts the
 * {@code long_session} visits (each account's first visit from its scenario's start) whose tail
 * reaches that bar. A bound on what length can tell, for comparison with the job's
 * {@code session-profile}; it holds only where visits are not stretched (docs/evaluation.md).
 */
public final class LengthLawOracle {

  /**
   * @param barBits the bar a visit's tail must reach
   * @param flaggedShare the share of normal users with a scored visit the bar flags, by the law
   *     (a user is flagged when their longest scored visit is: the tail never falls with length)
   * @param normalUsers those users
   * @param normalFlagged those of them the bar flags in this sample
   * @param caught long visits whose tail reaches the bar
   * @param longVisits long visits in the scored days
   */
  public record Result(double barBits, double flaggedShare, int normalUsers, int normalFlagged, int caught,
      int longVisits) {}

  /**
   * The budget the matrix holds it to: the detectors' default {@code threshold-bits}, 2^-11 per
   * normal user over the scored days (one day in every preset world).
   */
  public static final double BUDGET_BITS = 11;

  /** The bars searched: a budget the law cannot meet below this is refused. */
  private static final double MOST_BITS = 64;

  private LengthLawOracle() {}

  /**
   * The oracle on {@code events} (JSON lines, as {@code generate} writes them) and their {@code
   * labels}, scoring visits that start at or after {@code scoredStart}, with visits capped at
   * {@code maxEvents}; null when no normal user has a scored visit. Normal users are those the
   * evaluation counts as normal (no attack, no abnormal profile: hard negatives included, whose
   * visits' lengths follow the same law).
   *
   * @throws UncheckedIOException when a file cannot be read
   * @throws IllegalArgumentException when no bar under 64 bits keeps within the budget
   */
  public static Result evaluate(Path events, Path labelsCsv, Instant scoredStart, double budgetBits, int maxEvents) {
    Map<String, UserLabel> labels;
    Map<String, ScoredVisit> visits = new LinkedHashMap<>();
    try {
      labels = Evaluation.readLabels(labelsCsv);
      Evaluation.readJsonLines(events, f -> {
        if (f.session() != null && f.user() != null && f.ts() != null) {
          visits.computeIfAbsent(f.user() + " " + f.session(), k -> new ScoredVisit(f.user(), f.ts())).events++;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<Profile, VisitLengthLaw> laws = new EnumMap<>(Profile.class);
    Map<String, Integer> scoredVisits = new HashMap<>();
    Map<String, Integer> longestScored = new HashMap<>();
    Map<String, ScoredVisit> longVisit = new HashMap<>();
    for (ScoredVisit v : visits.values()) {
      UserLabel label = labels.get(v.user);
      Profile profile = label == null ? null : profileOf(label);
      if (profile == null || profile.abnormal()) {
        continue;
      }
      laws.computeIfAbsent(profile, p -> VisitLengthLaw.of(p, maxEvents));
      boolean scored = !v.start.isBefore(scoredStart);
      if (!label.positive() && scored) {
        scoredVisits.merge(v.user, 1, Integer::sum);
        longestScored.merge(v.user, v.events, Math::max);
      }
      if (label.scenario().equals(Scenario.LONG_SESSION.label()) && !label.scenarioStart().isEmpty()
          && !v.start.isBefore(Instant.parse(label.scenarioStart()))) {
        longVisit.putIfAbsent(v.user, v); // the scenario's visit, scored or not
      }
    }
    longVisit.values().removeIf(v -> v.start.isBefore(scoredStart));
    if (scoredVisits.isEmpty()) {
      return null;
    }
    double target = Math.pow(2, -budgetBits);
    if (flaggedShare(MOST_BITS, scoredVisits, labels, laws) > target) {
      throw new IllegalArgumentException("no bar under " + MOST_BITS + " bits keeps within 2^-" + budgetBits);
    }
    double low = 0;
    double high = MOST_BITS;
    for (int i = 0; i < 50; i++) {
      double mid = (low + high) / 2;
      if (flaggedShare(mid, scoredVisits, labels, laws) > target) {
        low = mid;
      } else {
        high = mid;
      }
    }
    double bar = high;
    int normalFlagged = 0;
    for (Map.Entry<String, Integer> e : longestScored.entrySet()) {
      if (laws.get(profileOf(labels.get(e.getKey()))).tailBits(e.getValue()) >= bar) {
        normalFlagged++;
      }
    }
    int caught = 0;
    for (ScoredVisit v : longVisit.values()) {
      if (laws.get(profileOf(labels.get(v.user))).tailBits(v.events) >= bar) {
        caught++;
      }
    }
    return new Result(bar, flaggedShare(bar, scoredVisits, labels, laws), scoredVisits.size(), normalFlagged, caught,
        longVisit.size());
  }

  /** The expected share of the users with scored visits that a bar of {@code bits} flags at least once. */
  private static double flaggedShare(double bits, Map<String, Integer> scoredVisits, Map<String, UserLabel> labels,
      Map<Profile, VisitLengthLaw> laws) {
    if (scoredVisits.isEmpty()) {
      return 0;
    }
    Map<Profile, Double> perVisit = new EnumMap<>(Profile.class);
    laws.forEach((p, law) -> {
      int least = law.eventsReaching(bits);
      perVisit.put(p, least == Integer.MAX_VALUE ? 0.0 : law.atLeast(least));
    });
    double flagged = 0;
    for (Map.Entry<String, Integer> e : scoredVisits.entrySet()) {
      double p = perVisit.get(profileOf(labels.get(e.getKey())));
      flagged += 1 - Math.pow(1 - p, e.getValue());
    }
    return flagged / scoredVisits.size();
  }

  private static Profile profileOf(UserLabel label) {
    try {
      return Profile.valueOf(label.type().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** One visit: its user, its first event's time and its events. */
  private static final class ScoredVisit {
    final String user;
    final Instant start;
    int events;

    ScoredVisit(String user, Instant start) {
      this.user = user;
      this.start = start;
    }
  }
}
