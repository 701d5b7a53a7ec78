package io.surprisal.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TransitionSurprisalTest {
    @Test
    void userWithoutHistoryIsJudgedByThePopulation() {
        // No own observations: p = (0 + 8 * 0.25) / (0 + 8) = 0.25, i.e. exactly 2 bits.
        assertThat(TransitionSurprisal.blendedProbability(0, 0, 0.25, 8)).isEqualTo(0.25);
        assertThat(TransitionSurprisal.blendedBits(0, 0, 0.25, 8)).isCloseTo(2.0, within(1e-12));
    }

    @Test
    void ownHistoryAndPopulationMixByPriorStrength() {
        // p = (3 + 8 * 0.25) / (10 + 8) = 5 / 18; bits = log2(18 / 5) = 1.8479969...
        assertThat(TransitionSurprisal.blendedProbability(3, 10, 0.25, 8)).isCloseTo(5.0 / 18, within(1e-12));
        assertThat(TransitionSurprisal.blendedBits(3, 10, 0.25, 8)).isCloseTo(1.8479969065549497, within(1e-12));
    }

    @Test
    void longHistoryDominatesThePrior() {
        // 1000 own observations, never this step, population 1/2: p = 4 / 1008, log2(252) = 7.977 bits.
        assertThat(TransitionSurprisal.blendedBits(0, 1000, 0.5, 8)).isCloseTo(7.977279923499917, within(1e-12));
        // The same step always taken: p = (1000 + 4) / 1008, log2(1008 / 1004) = 0.005736 bits.
        assertThat(TransitionSurprisal.blendedBits(1000, 1000, 0.5, 8)).isCloseTo(0.0057364, within(1e-6));
    }

    @Test
    void theTailOfAStepIsEveryStepAtMostAsLikely() {
        // A new user (no counts), population out of the state: 0.5, 0.3, 0.15, 0.04, and 10 more
        // states never seen there at 0.001 each. Taking the 0.04 step: tail = 0.04 + 10 * 0.001 =
        // 0.05, 4.32 bits, where the step alone is 4.64.
        long[] user = {0, 0, 0, 0};
        double[] pop = {0.5, 0.3, 0.15, 0.04};
        assertThat(TransitionSurprisal.tailProbability(0.04, 0, 16, user, pop, 4, 10, 0.001)).isCloseTo(0.05, within(1e-12));
        // A step never seen there: one of ten equally rare, tail 10 * 0.001 = 0.01 (6.64 bits, not 9.97).
        assertThat(TransitionSurprisal.tailProbability(0.001, 0, 16, user, pop, 4, 10, 0.001)).isCloseTo(0.01, within(1e-12));
        // The most likely step: everything is at most as likely, tail 1.
        assertThat(TransitionSurprisal.tailProbability(0.5, 0, 16, user, pop, 4, 10, 0.001)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void theTailUsesTheBlendOfTheUsersCountsAndThePopulations() {
        // k = 4; the user left this state 12 times: 8 to the first state, 4 to the second.
        // Blended: (8 + 4 * 0.5) / 16 = 0.625, (4 + 4 * 0.3) / 16 = 0.325, (0 + 4 * 0.15) / 16 = 0.0375,
        // (0 + 4 * 0.04) / 16 = 0.01, and ten unseen at 4 * 0.001 / 16 = 0.00025 each.
        long[] user = {8, 4, 0, 0};
        double[] pop = {0.5, 0.3, 0.15, 0.04};
        double observed = TransitionSurprisal.blendedProbability(0, 12, 0.15, 4);
        assertThat(observed).isCloseTo(0.0375, within(1e-12));
        // Taking the third: 0.0375 + 0.01 + 10 * 0.00025 = 0.05.
        assertThat(TransitionSurprisal.tailProbability(observed, 12, 4, user, pop, 4, 10, 0.001)).isCloseTo(0.05, within(1e-12));
    }
}
