package io.surprisal.sim.eval;

import io.surprisal.sim.Profile;
import io.surprisal.sim.Scenario;
import io.surprisal.sim.UserLabel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * What the oracles of the simulator's laws ({@link LengthLawOracle}, {@link PaceLawOracle}) share:
 * the visits of an events file, the sample they are held to, and the lowest bar whose expected
 * share of normal users flagged keeps within a budget.
 */
final class LawVisits {

  /** The bars searched: a budget the law cannot meet below this is refused. */
  static final double MOST_BITS = 64;

  private LawVisits() {}

  /** One visit: its user, its first event's time, its events and the longest gap between two of them. */
  static final class LawVisit {
    final String user;
    final Instant start;
    Instant last;
    int events;
    long longestGapSeconds;

    LawVisit(String user, Instant start) {
      this.user = user;
      this.start = start;
      this.last = start;
    }

    void add(Instant ts) {
      if (events > 0) {
        longestGapSeconds = Math.max(longestGapSeconds, ts.getEpochSecond() - last.getEpochSecond());
      }
      last = ts;
      events++;
    }
  }

  /**
   * The visits of {@code events}, by user and session, in the order they start.
   *
   * @throws UncheckedIOException when the file cannot be read
   */
  private static Map<String, LawVisit> read(Path events) {
    Map<String, LawVisit> visits = new LinkedHashMap<>();
    try {
      Evaluation.readJsonLines(events, f -> {
        if (f.session() != null && f.user() != null && f.ts() != null) {
          visits.computeIfAbsent(f.user() + " " + f.session(), k -> new LawVisit(f.user(), f.ts())).add(f.ts());
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return visits;
  }

  /**
   * What an oracle holds a law to: the labels, the scored visits of each normal user (no attack, a
   * profile that is not abnormal: hard negatives included, as the evaluation counts them), and each
   * scenario account's scenario visit (its first from the scenario's start) when it is scored.
   */
  record Sample(Map<String, UserLabel> labels, Map<String, List<LawVisit>> normalScored,
      Map<String, LawVisit> scenarioVisits) {

    /** The profile of {@code user}, who is in the sample. */
    Profile profile(String user) {
      return profileOf(labels.get(user));
    }

    /** The scored visits of the accounts given {@code scenario}. */
    List<LawVisit> visitsOf(Scenario scenario) {
      return scenarioVisits.values().stream()
          .filter(v -> labels.get(v.user).scenario().equals(scenario.label())).toList();
    }

    /**
     * The sample of {@code events} and their labels, scoring visits that start at or after {@code
     * scoredStart}.
     *
     * @throws UncheckedIOException when a file cannot be read
     */
    static Sample of(Path events, Path labelsCsv, Instant scoredStart) {
      Map<String, UserLabel> labels;
      try {
        labels = Evaluation.readLabels(labelsCsv);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Map<String, List<LawVisit>> normalScored = new HashMap<>();
      Map<String, LawVisit> scenarioVisits = new HashMap<>();
      for (LawVisit v : read(events).values()) {
        UserLabel label = labels.get(v.user);
        Profile profile = label == null ? null : profileOf(label);
        if (profile == null || profile.abnormal()) {
          continue;
        }
        if (!label.positive() && !v.start.isBefore(scoredStart)) {
          normalScored.computeIfAbsent(v.user, u -> new ArrayList<>()).add(v);
        }
        if (!label.scenarioStart().isEmpty() && !v.start.isBefore(Instant.parse(label.scenarioStart()))) {
          scenarioVisits.putIfAbsent(v.user, v); // the scenario's visit, scored or not
        }
      }
      scenarioVisits.values().removeIf(v -> v.start.isBefore(scoredStart));
      return new Sample(labels, normalScored, scenarioVisits);
    }
  }

  /** A law of ordinary visits, as an oracle uses it. */
  interface VisitLaw {
    /** The tail of visit {@code v} of a user of {@code profile} under the law, in bits. */
    double tailBits(LawVisit v, Profile profile);

    /** The chance that an ordinary visit like {@code v} (as long, for a law of gaps) reaches {@code bits}. */
    double reachedBy(LawVisit v, Profile profile, double bits);
  }

  /**
   * What a detector that knew {@code law} would catch of {@code attack} in {@code sample}: the lowest
   * bar whose expected share of normal users flagged is at most 2^-{@code budgetBits}, that share by
   * the law and as counted, and the scenario visits whose tail reaches the bar; null when no normal
   * user has a scored visit.
   *
   * @throws IllegalArgumentException when no bar under {@link #MOST_BITS} keeps within the budget
   */
  static LawBound bound(Sample sample, Scenario attack, VisitLaw law, double budgetBits) {
    if (sample.normalScored().isEmpty()) {
      return null;
    }
    double bar = lowestBar(bits -> flaggedShare(sample, law, bits), budgetBits);
    int normalFlagged = 0;
    for (Map.Entry<String, List<LawVisit>> e : sample.normalScored().entrySet()) {
      Profile profile = sample.profile(e.getKey());
      if (e.getValue().stream().anyMatch(v -> law.tailBits(v, profile) >= bar)) {
        normalFlagged++;
      }
    }
    List<LawVisit> attacks = sample.visitsOf(attack);
    long caught = attacks.stream().filter(v -> law.tailBits(v, sample.profile(v.user)) >= bar).count();
    return new LawBound(bar, flaggedShare(sample, law, bar), sample.normalScored().size(), normalFlagged,
        (int) caught, attacks.size());
  }

  /** The expected share of the users with scored visits that a bar of {@code bits} flags at least once. */
  private static double flaggedShare(Sample sample, VisitLaw law, double bits) {
    double flagged = 0;
    for (Map.Entry<String, List<LawVisit>> e : sample.normalScored().entrySet()) {
      Profile profile = sample.profile(e.getKey());
      double none = 1;
      for (LawVisit v : e.getValue()) {
        none *= 1 - law.reachedBy(v, profile, bits);
      }
      flagged += 1 - none;
    }
    return flagged / sample.normalScored().size();
  }

  /** The profile of a label, or null for a type the simulator does not have. */
  static Profile profileOf(UserLabel label) {
    try {
      return Profile.valueOf(label.type().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * The lowest bar whose {@code flaggedShare} (never rising with the bar) is at most 2^-{@code
   * budgetBits}.
   *
   * @throws IllegalArgumentException when no bar under {@link #MOST_BITS} keeps within it
   */
  private static double lowestBar(DoubleUnaryOperator flaggedShare, double budgetBits) {
    double target = Math.pow(2, -budgetBits);
    if (flaggedShare.applyAsDouble(MOST_BITS) > target) {
      throw new IllegalArgumentException("no bar under " + MOST_BITS + " bits keeps within 2^-" + budgetBits);
    }
    double low = 0;
    double high = MOST_BITS;
    for (int i = 0; i < 50; i++) {
      double mid = (low + high) / 2;
      if (flaggedShare.applyAsDouble(mid) > target) {
        low = mid;
      } else {
        high = mid;
      }
    }
    return high;
  }
}
