package io.surprisal.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PopulationTransitionsTest {
    @Test
    void smoothedProbabilityOverTheVocabulary() {
        PopulationTransitions p = new PopulationTransitions(0.5, 100);
        p.observe("^", "login:success", 9);
        p.observe("^", "login:fail", 1);
        // Vocabulary: login:success, login:fail, plus one for "never seen" = 3.
        assertThat(p.vocabulary()).isEqualTo(3);
        assertThat(p.probability("^", "login:success")).isCloseTo(9.5 / 11.5, within(1e-12));
        assertThat(p.probability("^", "login:fail")).isCloseTo(1.5 / 11.5, within(1e-12));
        assertThat(p.probability("^", "buy_item:success")).isCloseTo(0.5 / 11.5, within(1e-12));
        // An unknown from-state: uniform over the vocabulary.
        assertThat(p.probability("nowhere", "login:fail")).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(p.bits("^", "buy_item:success")).isCloseTo(Math.log(23) / Math.log(2), within(1e-12));
    }

    @Test
    void entropyIsUpdatedIncrementallyAndMatchesTheDefinition() {
        PopulationTransitions p = new PopulationTransitions(0.5, 100);
        p.observe("a", "x", 6);
        p.observe("a", "y", 3);
        p.observe("a", "z");
        p.observe("a", "z");
        p.observe("a", "z"); // x 6, y 3, z 3 of 12
        double expected = -(0.5 * log2(0.5) + 0.25 * log2(0.25) + 0.25 * log2(0.25));
        assertThat(p.entropy("a")).isCloseTo(expected, within(1e-9)).isCloseTo(1.5, within(1e-9));
    }

    @Test
    void boundedNumberOfDistinctTransitions() {
        PopulationTransitions p = new PopulationTransitions(0.5, 16);
        for (int i = 0; i < 1000; i++) {
            p.observe("s" + (i % 40), "t" + i);
        }
        assertThat(p.entries()).hasSize(16);
        assertThat(p.events()).isEqualTo(1000);
    }

    @Test
    void entriesRoundTripThroughACheckpoint() {
        PopulationTransitions a = new PopulationTransitions(0.5, 100);
        a.observe("^", "login:success", 5);
        a.observe("login:success", "view_item:success", 7);
        PopulationTransitions b = new PopulationTransitions(0.5, 100);
        b.addAll(a.entries());
        assertThat(b.probability("login:success", "view_item:success")).isEqualTo(a.probability("login:success", "view_item:success"));
        assertThat(b.entropy("^")).isEqualTo(a.entropy("^"));
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
