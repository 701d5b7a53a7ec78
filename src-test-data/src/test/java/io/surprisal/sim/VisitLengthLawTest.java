package io.surprisal.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** {@link VisitLengthLaw}: the chain's absorption time, against hand-computed values and sampled visits. */
class VisitLengthLawTest {

  @Test
  void theShortestVisitsAreTheChainsShortestPaths() {
    VisitLengthLaw buyer = VisitLengthLaw.of(Profile.BUYER, 5_000);
    // One event: home -> end (0.001). Two: home -> password_reset (0.005) -> end (0.01); every other
    // second state has no end in its row.
    assertThat(buyer.atLeast(1)).isEqualTo(1.0);
    assertThat(buyer.atLeast(2)).isCloseTo(0.999, within(1e-12));
    assertThat(buyer.atLeast(3)).isCloseTo(0.999 - 0.005 * 0.01, within(1e-12));
    assertThat(buyer.tailBits(2)).isCloseTo(-Math.log(0.999) / Math.log(2), within(1e-12));
  }

  @Test
  void theTailGrowsWithLengthFarOut() {
    // Hundreds of events are hundreds of bits out: the tail stays finite and rising, where 1 less
    // the share ended would round to nothing near 50 bits.
    VisitLengthLaw buyer = VisitLengthLaw.of(Profile.BUYER, 5_000);
    double previous = 0;
    for (int e = 2; e <= 1_000; e++) {
      assertThat(buyer.tailBits(e)).as("%d events", e).isFinite().isGreaterThan(previous);
      previous = buyer.tailBits(e);
    }
    assertThat(previous).isGreaterThan(100);
    assertThat(buyer.eventsReaching(60)).isBetween(300, 400);
  }

  @Test
  void aVisitEndsAtTheCap() {
    VisitLengthLaw capped = VisitLengthLaw.of(Profile.MERCHANT, 4);
    VisitLengthLaw free = VisitLengthLaw.of(Profile.MERCHANT, 5_000);
    assertThat(capped.atLeast(4)).isEqualTo(free.atLeast(4)).isPositive();
    assertThat(capped.atLeast(5)).isZero();
    assertThat(capped.tailBits(5)).isInfinite();
    assertThat(capped.eventsReaching(1_000)).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void theLawIsWhatTheSimulatorsOrdinaryVisitsDo() {
    // 40,000 ordinary visits of one buyer and one merchant of an unstretched world, each on a day
    // of its own: the share at least 10, 30 and 60 events long against the law (within four
    // binomial standard deviations).
    SimulatorConfig config = new SimulatorConfig(400, 2, 5L, SimulatorConfig.DEFAULT_START, 0, 5_000,
        WorldKnobs.DEFAULT);
    Population population = new Population(config);
    for (Profile profile : new Profile[] {Profile.BUYER, Profile.MERCHANT}) {
      SimUser user = null;
      for (int i = 0; i < population.size() && user == null; i++) {
        if (population.profile(i) == profile && population.scenario(i) == Scenario.NONE) {
          user = population.user(i);
        }
      }
      assertThat(user).isNotNull();
      VisitLengthLaw law = VisitLengthLaw.of(profile, 5_000);
      int visits = 40_000;
      int[] lengths = new int[visits];
      JsonText.Timestamps timestamps = new JsonText.Timestamps();
      for (int v = 0; v < visits; v++) {
        Visit visit = new Visit(user, 1_000 + v, 0, 0, timestamps);
        int n = 1;
        while (visit.advance()) {
          n++;
        }
        lengths[v] = n;
      }
      for (int l : new int[] {10, 30, 60}) {
        int atLeast = 0;
        for (int n : lengths) {
          atLeast += n >= l ? 1 : 0;
        }
        double p = law.atLeast(l);
        assertThat(p).isBetween(1e-4, 0.9);
        assertThat((double) atLeast / visits).as("%s, at least %d events", profile, l)
            .isCloseTo(p, within(4 * Math.sqrt(p * (1 - p) / visits)));
      }
    }
  }
}
