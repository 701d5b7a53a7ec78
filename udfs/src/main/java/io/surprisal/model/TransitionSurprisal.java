package io.surprisal.model;

/**
 * Surprisal of one transition under a user's own counts blended with the population's, a Bayesian
 * mixture in which the population is the prior:
 *
 * <pre>  p(b | a) = (n_user(a→b) + k · p_pop(b | a)) / (n_user(a) + k)</pre>
 *
 * A user without history is judged by the population alone; with n_user(a) ≫ k mostly by their own
 * habits. {@code k} is the prior strength in observations.
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
}
