package io.surprisal.model;

/**
 * Surprisal of one transition under a user's own counts blended with the population's, a Bayesian
 * mixture in which the population is the prior:
 *
 * <pre>  p(b | a) = (n_user(a→b) + k · p_pop(b | a)) / (n_user(a) + k)</pre>
 *
 * A user without history is judged by the population alone; with n_user(a) ≫ k mostly by their own
 * habits. {@code k} is the prior strength in observations.
 *
 * <p>A step's own bits say how unlikely that one step was; a detector needs how unlikely it was to
 * see a step that rare at all: the tail, the sum of p(y | a) over every next state y at most as
 * likely as b. Out of a state with twenty possible next states, a step never seen is one of
 * fifteen never seen, so its tail is fifteen times its probability, log2(15) = 3.9 bits less.
 */
public final class TransitionSurprisal {
    private static final double LN2 = Math.log(2);

    private TransitionSurprisal() {}

    public static double blendedProbability(long userPair, long userFrom, double populationP, double priorStrength) {
        return (userPair + priorStrength * populationP) / (userFrom + priorStrength);
    }

    public static double bits(double probability) {
        // + 0.0 turns -0.0 (certainty) into 0.0, which reads better in alerts.
        return -Math.log(probability) / LN2 + 0.0;
    }

    public static double blendedBits(long userPair, long userFrom, double populationP, double priorStrength) {
        return bits(blendedProbability(userPair, userFrom, populationP, priorStrength));
    }

    /**
     * The tail of a step of blended probability {@code observedP}: Σ p(y | a) over the next states y
     * with p(y | a) <= observedP, under the blend. {@code userPairs[i]} and {@code populationPs[i]} are
     * the user's count and the population's probability of each next state either has seen from a;
     * the {@code unseen} other states of the vocabulary each have the population's probability
     * {@code unseenPopulationP} and no count of the user's. At least {@code observedP}, at most 1.
     */
    public static double tailProbability(double observedP, long userFrom, double priorStrength,
            long[] userPairs, double[] populationPs, int seen, long unseen, double unseenPopulationP) {
        // A relative tolerance, so that the observed step (computed the same way) always counts.
        double limit = observedP * (1 + 1e-9);
        double tail = 0;
        for (int i = 0; i < seen; i++) {
            double py = blendedProbability(userPairs[i], userFrom, populationPs[i], priorStrength);
            if (py <= limit) {
                tail += py;
            }
        }
        double p0 = blendedProbability(0, userFrom, unseenPopulationP, priorStrength);
        if (unseen > 0 && p0 <= limit) {
            tail += unseen * p0;
        }
        return Math.min(1.0, Math.max(observedP, tail));
    }
}
