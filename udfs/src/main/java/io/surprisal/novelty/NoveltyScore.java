package io.surprisal.novelty;

import java.util.List;

/**
 * How unusual one login is for its user.
 *
 * @param bits the risk, Σ of the contributions, bits (never negative)
 * @param coldStart true when the user had no learned login before (nothing to be new against: the
 *     user-history part is then 0 and the login cannot alert)
 * @param userLogins decayed logins learned for the user before this one
 * @param contributions the attributes that added bits, largest first
 * @param travel the impossible-travel finding, or null
 * @param outcome what the login teaches the user's profile and the population
 */
public record NoveltyScore(
        double bits, boolean coldStart, double userLogins, List<Contribution> contributions, Travel travel, LoginOutcome outcome) {
    /**
     * One attribute's share of the score.
     *
     * @param feature the attribute
     * @param value the value shown to people (attacker-controlled text: escape where displayed)
     * @param bits its bits: user history (after the group's cap) plus population rarity
     * @param rarityBits the part of {@code bits} that is population rarity
     * @param userCount decayed times the user showed the value
     * @param userContext decayed times the user showed the value's parent (all logins for a top-level attribute)
     * @param context the parent's value, or null for a top-level attribute
     * @param newProbability the user's probability of a new value here, or NaN when the login was no trial
     * @param userNew decayed trials at which the user showed a new value of this attribute
     * @param userTrials decayed trials of this attribute for the user
     * @param populationNewRate the population's new-value rate at the user's history, or NaN
     * @param populationCount times a user showed the value for the first time
     * @param populationShare the value's share of the new values shown under the same parent
     */
    public record Contribution(
            Feature feature, String value, double bits, double rarityBits, double userCount, double userContext, String context,
            double newProbability, double userNew, double userTrials, double populationNewRate, long populationCount,
            double populationShare) {}

    /**
     * Two consecutive logins too far apart for the time between them.
     *
     * @param from the previous login's place as shown (may be null), {@code to} this one's
     * @param distanceKm great-circle distance
     * @param minutes event time between them
     * @param speedKmh distance over time (infinite when no time passed)
     * @param newPlace whether this login's place is new to the user
     * @param bits its bits
     */
    public record Travel(String from, String to, double distanceKm, double minutes, double speedKmh, boolean newPlace, double bits) {}
}
