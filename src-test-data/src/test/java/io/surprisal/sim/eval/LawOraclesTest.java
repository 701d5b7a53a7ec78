package io.surprisal.sim.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.surprisal.sim.Simulator;
import io.surprisal.sim.UserLabel;
import io.surprisal.sim.World;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LengthLawOracle} and {@link PaceLawOracle} on a generated default world of 2,000 users. */
class LawOraclesTest {
  private static final long SEED = 9L;
  private static final World WORLD = World.DEFAULT.scaled(0.4);

  @TempDir
  static Path dir;

  private static Path events;
  private static Path labels;
  private static Instant scoredStart;
  private static long longSessionUsers;
  private static long fastPaceUsers;

  @BeforeAll
  static void generate() throws Exception {
    Simulator sim = new Simulator(WORLD.config(SEED));
    events = dir.resolve("events.jsonl");
    labels = dir.resolve("labels.csv");
    try (Writer w = Files.newBufferedWriter(events, StandardCharsets.UTF_8)) {
      sim.writeEvents(w);
    }
    try (Writer w = Files.newBufferedWriter(labels, StandardCharsets.UTF_8)) {
      sim.writeLabels(w);
    }
    scoredStart = new EvalConfig(WORLD.learnDays(), WORLD.config(SEED).start()).scoredStart();
    longSessionUsers = sim.labels().stream().map(UserLabel::scenario).filter("long_session"::equals).count();
    fastPaceUsers = sim.labels().stream().map(UserLabel::scenario).filter("fast_pace"::equals).count();
  }

  @Test
  void atTheDetectorsBudgetTheBarFlagsNoMoreAndCatchesMostLongVisits() {
    LawBound r = LengthLawOracle.evaluate(events, labels, scoredStart, 11, 5_000);
    assertThat(r.normalUsers()).isGreaterThan(1_500);
    assertThat(r.flaggedShare()).isLessThanOrEqualTo(Math.pow(2, -11)).isGreaterThan(Math.pow(2, -12));
    assertThat(r.barBits()).isBetween(11.0, 14.0);
    assertThat(r.attackVisits()).isEqualTo(longSessionUsers).isGreaterThanOrEqualTo(5);
    assertThat(r.caught()).isBetween((int) Math.ceil(0.8 * r.attackVisits()), r.attackVisits());
  }

  @Test
  void theLawsShareOfNormalUsersFlaggedIsWhatTheSampleShows() {
    // At a budget of 2^-4 the bar flags about 6% of normal users: the count in the sample agrees
    // with the law's expectation within four binomial standard deviations.
    LawBound r = LengthLawOracle.evaluate(events, labels, scoredStart, 4, 5_000);
    double p = r.flaggedShare();
    assertThat(p).isBetween(0.04, 0.0625);
    assertThat((double) r.normalFlagged() / r.normalUsers())
        .isCloseTo(p, within(4 * Math.sqrt(p * (1 - p) / r.normalUsers())));
  }

  @Test
  void aVisitsGapsSayHowFastItIsUnderTheUniformLaw() {
    // n gaps uniform on 1..40, none longer than m: (m / 40)^n. Two gaps within 20 s: 1/4, 2 bits;
    // ten within 10 s: 20 bits.
    assertThat(PaceLawOracle.reachedBy(2, 40, 2)).isCloseTo(0.25, within(1e-12));
    assertThat(PaceLawOracle.reachedBy(3, 40, 3)).isCloseTo(0.125, within(1e-12));
    assertThat(PaceLawOracle.reachedBy(0, 40, 1)).isZero();
    // Where the bar falls between two gaps: three bits of two gaps need none over 40 x 2^-1.5 = 14.1 s.
    assertThat(PaceLawOracle.reachedBy(2, 40, 3)).isCloseTo(0.1225, within(1e-12));
    // A visit reaches the tail it has, and its chance is exactly (m / longest)^n.
    for (int longest : new int[] {40, 50}) {
      for (int n = 1; n <= 50; n++) {
        for (int m = 1; m <= longest; m++) {
          double bits = PaceLawOracle.tailBits(n, m, longest);
          assertThat(PaceLawOracle.mostGap(n, longest, bits)).as("n %d, m %d", n, m).isEqualTo(m);
          assertThat(PaceLawOracle.reachedBy(n, longest, bits)).isCloseTo(Math.pow((double) m / longest, n), within(1e-12));
        }
      }
    }
    LawVisits.LawVisit v = new LawVisits.LawVisit("u1", Instant.EPOCH);
    v.add(Instant.EPOCH);
    for (int i = 1; i <= 10; i++) {
      v.add(Instant.ofEpochSecond(i * 10L - (i % 2) * 5));
    }
    assertThat(v.events).isEqualTo(11);
    assertThat(v.longestGapSeconds).isEqualTo(15);
    assertThat(PaceLawOracle.tailBits(v, 40)).isCloseTo(10 * Math.log(40.0 / 15) / Math.log(2), within(1e-12));
  }

  @Test
  void atTheDetectorsBudgetTheGapsBarFlagsNoMoreAndCatchesMostFastVisits() {
    LawBound r = PaceLawOracle.evaluate(events, labels, scoredStart, 11);
    assertThat(r.normalUsers()).isGreaterThan(1_500);
    assertThat(r.barBits()).isBetween(11.0, 13.0);
    assertThat(r.flaggedShare()).isLessThanOrEqualTo(Math.pow(2, -11)).isGreaterThan(Math.pow(2, -12));
    assertThat(r.attackVisits()).isEqualTo(fastPaceUsers).isGreaterThanOrEqualTo(5);
    assertThat(r.caught()).isBetween((int) Math.ceil(0.8 * r.attackVisits()), r.attackVisits());
  }

  @Test
  void theGapLawsShareOfNormalUsersFlaggedIsWhatTheSampleShows() {
    // At budgets of 2^-4 and 2^-2 (about 6% and 25% of normal users flagged) the count in the
    // sample agrees with the law's expectation within four binomial standard deviations.
    for (double budget : new double[] {4, 2}) {
      LawBound r = PaceLawOracle.evaluate(events, labels, scoredStart, budget);
      double p = r.flaggedShare();
      assertThat(p).isBetween(0.6 * Math.pow(2, -budget), Math.pow(2, -budget));
      assertThat((double) r.normalFlagged() / r.normalUsers()).as("2^-%.0f", budget)
          .isCloseTo(p, within(4 * Math.sqrt(p * (1 - p) / r.normalUsers())));
    }
  }

  @Test
  void whereEachPersonHasAPaceOfTheirOwnTheGapsLawIsEachUsersOwn(@TempDir Path own) throws Exception {
    World world = World.PERSONAL_PACES.scaled(0.4);
    Simulator sim = new Simulator(world.config(SEED));
    Path ownEvents = own.resolve("events.jsonl");
    Path ownLabels = own.resolve("labels.csv");
    try (Writer w = Files.newBufferedWriter(ownEvents, StandardCharsets.UTF_8)) {
      sim.writeEvents(w);
    }
    try (Writer w = Files.newBufferedWriter(ownLabels, StandardCharsets.UTF_8)) {
      sim.writeLabels(w);
    }
    LawVisits.Sample sample = LawVisits.Sample.of(ownEvents, ownLabels,
        new EvalConfig(world.learnDays(), world.config(SEED).start()).scoredStart());
    // By each user's own longest gap the law's share of normal users flagged is what the sample
    // shows; by the profile's, people faster than their profile are flagged far more often.
    assertThat(PaceLawOracle.holdsIn(World.PERSONAL_PACES)).as("each user's own law").isTrue();
    assertThat(PaceLawOracle.whyNot(World.LOGNORMAL_GAPS)).isEqualTo("gaps not uniform");
    LawBound byUser = PaceLawOracle.evaluate(sample, 4, sim::longestGapSeconds);
    double p = byUser.flaggedShare();
    assertThat((double) byUser.normalFlagged() / byUser.normalUsers())
        .isCloseTo(p, within(4 * Math.sqrt(p * (1 - p) / byUser.normalUsers())));
    LawBound byProfile = PaceLawOracle.evaluate(sample, 4, user -> sample.profile(user).maxGapSeconds());
    double q = byProfile.flaggedShare();
    assertThat((double) byProfile.normalFlagged() / byProfile.normalUsers())
        .isGreaterThan(q + 4 * Math.sqrt(q * (1 - q) / byProfile.normalUsers()));
  }
}
