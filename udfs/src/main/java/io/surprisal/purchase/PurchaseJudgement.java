package io.surprisal.purchase;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The verdict on one purchase against the recent purchases of the buyer's network.
 *
 * @param historySize how many network purchases the verdict is based on (at most T)
 * @param flagged whether the amount is strictly above mean + 3 sd (never with fewer than 2)
 * @param meanCents the network mean in cents, truncated toward zero; {@code null} when
 *     {@code historySize < 2}
 * @param sdCents the network population standard deviation in cents, truncated (floor);
 *     {@code null} when {@code historySize < 2}
 */
public record PurchaseJudgement(int historySize, boolean flagged, BigInteger meanCents, BigInteger sdCents) {

    /** The verdict when the network has made fewer than two purchases: never flagged, no statistics. */
    public static PurchaseJudgement notEnoughHistory(int historySize) {
        return new PurchaseJudgement(historySize, false, null, null);
    }

    /** Whether the network had at least two purchases, so mean and sd exist. */
    public boolean hasStatistics() {
        return meanCents != null;
    }

    /** The mean truncated to two decimals, e.g. 29.10; {@code null} without statistics. */
    public BigDecimal mean() {
        return meanCents == null ? null : new BigDecimal(meanCents, 2);
    }

    /** The standard deviation truncated to two decimals, e.g. 21.46; {@code null} without statistics. */
    public BigDecimal sd() {
        return sdCents == null ? null : new BigDecimal(sdCents, 2);
    }

    /** The mean as printed in the flagged-purchases file, e.g. {@code "29.10"}. */
    public String meanText() {
        return CentsAmount.formatCents(meanCents);
    }

    /** The standard deviation as printed in the flagged-purchases file, e.g. {@code "21.46"}. */
    public String sdText() {
        return CentsAmount.formatCents(sdCents);
    }
}
