package io.surprisal.sim.eval;

import io.surprisal.sim.GapLaw;
import io.surprisal.sim.Profile;
import io.surprisal.sim.Scenario;
import io.surprisal.sim.World;
import io.surprisal.sim.eval.LawVisits.LawVisit;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * What a detector of fast visits could catch if it knew the simulator's law of the gaps between a
 * visit's events, where that law is uniform (1 s to the user's longest gap: their profile's, {@link
 * Profile#maxGapSeconds}, or their own in a world of personal paces; each gap on its own): a visit
 * of n gaps none longer than m seconds has,
 * under it, a tail of (m / longest)^n, n log2(longest / m) bits, the most a fast visit can say of
 * itself there. As {@link LengthLawOracle} does for length, it takes the lowest bar at which the
 * normal users with a visit in the scored days are flagged at most 2^-budget of the time on
 * average (by the law), and counts the {@code fast_pace} visits whose tail reaches it. A bound on
 * what gaps can tell, for comparison with the job's {@code session-profile} pace; it holds only
 * for the uniform gap law (docs/evaluation.md).
 */
public final class PaceLawOracle {

  private PaceLawOracle() {}

  /** Whether {@code world} draws a visit's gaps by the uniform law. */
  static boolean holdsIn(World world) {
    return whyNot(world) == null;
  }

  /** Why the law of gaps does not hold in {@code world}, or null where it does. */
  static String whyNot(World world) {
    return world.knobs().gapLaw() == GapLaw.UNIFORM ? null : "gaps not uniform";
  }

  /**
   * The oracle on {@code events} and their {@code labels}, scoring visits that start at or after
   * {@code scoredStart}, each user's longest gap taken as their profile's: the law of every world
   * but one of personal paces, whose users' own longest gaps only the simulator knows ({@link
   * #evaluate(LawVisits.Sample, double, ToIntFunction)}); null when no normal user has a scored visit.
   *
   * @throws UncheckedIOException when a file cannot be read
   * @throws IllegalArgumentException when no bar under 64 bits keeps within the budget
   */
  public static LawBound evaluate(Path events, Path labelsCsv, Instant scoredStart, double budgetBits) {
    LawVisits.Sample sample = LawVisits.Sample.of(events, labelsCsv, scoredStart);
    return evaluate(sample, budgetBits, user -> sample.profile(user).maxGapSeconds());
  }

  /**
   * {@link #evaluate(Path, Path, Instant, double)} on a sample already read, with each user's
   * longest gap from {@code longestGap} (asked once a user).
   */
  static LawBound evaluate(LawVisits.Sample sample, double budgetBits, ToIntFunction<String> longestGap) {
    Map<String, Integer> longest = new HashMap<>();
    ToIntFunction<String> longestOf = user -> longest.computeIfAbsent(user, longestGap::applyAsInt);
    return LawVisits.bound(sample, Scenario.FAST_PACE, new LawVisits.VisitLaw() {
      @Override
      public double tailBits(LawVisit v, Profile profile) {
        return PaceLawOracle.tailBits(v, longestOf.applyAsInt(v.user));
      }

      @Override
      public double reachedBy(LawVisit v, Profile profile, double bits) {
        return PaceLawOracle.reachedBy(v.events - 1, longestOf.applyAsInt(v.user), bits);
      }
    }, budgetBits);
  }

  /** n log2(longest / m) for a visit of n gaps, none longer than m seconds; 0 without gaps. */
  static double tailBits(LawVisit v, int longest) {
    return tailBits(v.events - 1, (int) Math.max(1, v.longestGapSeconds), longest);
  }

  static double tailBits(int gaps, int most, int longest) {
    return gaps == 0 ? 0 : gaps * Math.log((double) longest / most) / Math.log(2);
  }

  /**
   * The longest gap m (0 to longest) of a visit of n gaps whose tail, none of them longer than m,
   * reaches {@code bits}, computed as {@link #tailBits} computes it: a visit reaches the bar exactly
   * when its longest gap is at most this.
   */
  static int mostGap(int gaps, int longest, double bits) {
    if (gaps == 0) {
      return bits <= 0 ? longest : 0;
    }
    int m = (int) Math.max(0, Math.min(longest, Math.floor(longest * Math.pow(2, -bits / gaps))));
    while (m >= 1 && tailBits(gaps, m, longest) < bits) {
      m--;
    }
    while (m < longest && tailBits(gaps, m + 1, longest) >= bits) {
      m++;
    }
    return m;
  }

  /** The chance that an ordinary visit of n gaps, each uniform on 1 to longest seconds, reaches {@code bits}. */
  static double reachedBy(int gaps, int longest, double bits) {
    if (gaps == 0) {
      return bits <= 0 ? 1 : 0; // a visit without gaps says nothing of its pace
    }
    return Math.pow((double) mostGap(gaps, longest, bits) / longest, gaps);
  }
}
