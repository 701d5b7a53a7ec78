package io.surprisal.sim.eval;

import io.surprisal.sim.Profile;
import io.surprisal.sim.Scenario;
import io.surprisal.sim.VisitLengthLaw;
import io.surprisal.sim.World;
import io.surprisal.sim.eval.LawVisits.LawVisit;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a detector of long visits could catch if it knew the simulator's law of an ordinary visit's
 * length ({@link VisitLengthLaw}) and spent a detector's per-user-day budget on length alone: it
 * flags a visit whose tail under its user's law is below 2^-bar, with one bar for the world, the
 * lowest at which the normal users with a visit in the scored days are flagged at most 2^-budget
 * of the time on average (counted from the law, not from the sample); then it counts the
 * {@code long_session} visits (each account's first visit from its scenario's start) whose tail
 * reaches that bar. A bound on what length can tell, for comparison with the job's
 * {@code session-profile}; it holds only where visits are not stretched and people walk their
 * profile's chain (docs/evaluation.md).
 */
public final class LengthLawOracle {

  private LengthLawOracle() {}

  /** Whether {@code world}'s ordinary visits end as their profile's chain does: not stretched, and no chain of their own. */
  static boolean holdsIn(World world) {
    return whyNot(world) == null;
  }

  /** Why the profiles' laws do not hold in {@code world}, or null where they do. */
  static String whyNot(World world) {
    if (world.knobs().visitStretchSigma() != 0) {
      return "visits stretched";
    }
    return world.knobs().chainConcentration() != 0 ? "chains of their own" : null;
  }

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
  public static LawBound evaluate(Path events, Path labelsCsv, Instant scoredStart, double budgetBits, int maxEvents) {
    return evaluate(LawVisits.Sample.of(events, labelsCsv, scoredStart), budgetBits, maxEvents);
  }

  /** {@link #evaluate(Path, Path, Instant, double, int)} on a sample already read. */
  static LawBound evaluate(LawVisits.Sample sample, double budgetBits, int maxEvents) {
    Map<Profile, VisitLengthLaw> laws = new EnumMap<>(Profile.class);
    for (Profile p : Profile.values()) {
      if (!p.abnormal()) {
        laws.put(p, VisitLengthLaw.of(p, maxEvents));
      }
    }
    return LawVisits.bound(sample, Scenario.LONG_SESSION, new LawVisits.VisitLaw() {
      @Override
      public double tailBits(LawVisit v, Profile profile) {
        return laws.get(profile).tailBits(v.events);
      }

      @Override
      public double reachedBy(LawVisit v, Profile profile, double bits) {
        VisitLengthLaw law = laws.get(profile);
        int least = law.eventsReaching(bits);
        return least == Integer.MAX_VALUE ? 0.0 : law.atLeast(least);
      }
    }, budgetBits);
  }
}
