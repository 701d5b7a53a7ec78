package io.surprisal.amount;

import io.surprisal.usual.LogMoments;

/**
 * One user's purchases, the amount detector's slice of the user's profile: the moments of the
 * natural log of the amounts learned ({@link LogMoments}), the purchases the user taught the
 * population in the current teaching window, and the purchases judged in about the last
 * false-alarm window.
 */
public final class SpendHistory extends LogMoments {
    /** Purchases this user taught the population in the current teaching window. */
    public byte taught;
    /** Purchases judged in about the last false-alarm window, decayed (see MultipleTests). */
    public double judgedInWindow;
}
