package io.surprisal.novelty;

import java.util.List;

/**
 * How unusual one login is for its user.
 *
 * @param bits the risk, Σ of the contributions, bits (never negative)
 * @param coldStart true when the user had fewer learned logins than the cold-start minimum (the
 *     user-history part is then 0)
 * @param userLogins decayed logins learned for the user before this one
 * @param contributions the attributes that added bits, largest first
 */
public record NoveltyScore(double bits, boolean coldStart, double userLogins, List<Contribution> contributions) {
    /**
     * One attribute's share of the score.
     *
     * @param feature the attribute
     * @param value the value shown to people (attacker-controlled text: escape where displayed)
     * @param bits its bits
     * @param userCount decayed times the user showed the value
     * @param userContext decayed times the user showed the value's parent (all logins for a top-level attribute)
     * @param populationShare the value's share of the population's logins with the same parent
     * @param context the parent's value, or null for a top-level attribute
     */
    public record Contribution(
            Feature feature, String value, double bits, double userCount, double userContext, double populationShare, String context) {}
}
