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
}
