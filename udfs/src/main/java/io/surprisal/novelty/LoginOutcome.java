package io.surprisal.novelty;

/**
 * What one login teaches, decided against the user's profile before it learns the login: which of
 * its values are new to the user, and at which attributes the login was a trial of the user's rate
 * of new values (the user had history there: for a top-level attribute any earlier login, for the
 * others the parent value). The user's profile and the population both learn from it.
 *
 * @param returning the user had learned at least one login before
 * @param newClient the login's device, OS or browser is new to the user (returning users only)
 * @param isNew per categorical {@link Feature}: the value is present and new to the user
 * @param trialBucket per categorical feature: the history bucket ({@link NoveltyScorer#bucket}) of a
 *     trial, or -1 when the login was no trial there
 * @param changed per categorical feature: the user had shown a new value there before (at least half
 *     a decayed one): the trial belongs to the population's users who change, not to those who do not
 */
public record LoginOutcome(boolean returning, boolean newClient, boolean[] isNew, byte[] trialBucket, boolean[] changed) {
    /** The population's new-value rate cell of feature {@code f}'s trial ({@code trialBucket[f] >= 0}). */
    int cell(Feature f) {
        return PopulationLogins.cell(f, trialBucket[f.ordinal()], clientSide(f), changed[f.ordinal()]);
    }

    /** Whether feature {@code f}'s rate is the one for logins with a new client: the network attributes only. */
    boolean clientSide(Feature f) {
        return f.dependsOnClient() && newClient;
    }
}
