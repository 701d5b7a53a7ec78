package io.surprisal.purchase;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertBuilder;
import io.surprisal.event.Event;
import java.math.BigInteger;
import java.util.Locale;

/**
 * Turns a flagged purchase into an {@link Alert} of detector {@code purchase-network}.
 *
 * <p>Score and threshold are in bits, like every other detector: the purchase's distance above the
 * network mean in standard deviations, {@code z = (amount - mean) / sd}, weighed as the surprisal of
 * a Gaussian tail, {@code -log2 P(Z > z)}; the threshold is that of {@code z = 3} (9.53 bits). The
 * verdict itself is the challenge's exact integer rule ({@link NetworkStats}); the bits only rank and
 * explain it. The mean and sd used for {@code z} are the printed (truncated) ones; an sd of zero (a
 * network whose amounts are all equal) counts as one cent, so the score stays finite.
 */
public final class PurchaseNetworkAlerts {

    /** The detector's name in alerts, config and metrics. */
    public static final String DETECTOR = "purchase-network";

    /** -log2 P(Z > 3): the bits of the challenge's 3 sd threshold. */
    public static final double THRESHOLD_BITS = gaussianTailBits(3.0);

    /** An alert carries the flagged purchase alone. */
    private static final int EVENTS = 1;

    private PurchaseNetworkAlerts() {}

    /**
     * The alert for a flagged purchase.
     *
     * @param purchase the purchase event (carried by the alert as is)
     * @param amountCents its amount in cents
     * @param judgement the flagged verdict (with statistics)
     */
    public static Alert alert(Event purchase, long amountCents, PurchaseJudgement judgement, int degrees, int trackedPurchases) {
        double mean = judgement.meanCents().doubleValue() / 100.0;
        double sd = Math.max(judgement.sdCents().doubleValue(), 1.0) / 100.0;
        double z = (amountCents / 100.0 - mean) / sd;
        double bits = gaussianTailBits(z);
        String amount = CentsAmount.formatCents(amountCents);
        return AlertBuilder.of(DETECTOR, purchase, EVENTS)
                .bits(bits, THRESHOLD_BITS)
                .summary(String.format(Locale.ROOT,
                        "purchase of %s by %s is above mean %s + 3 sd %s of the last %d purchases in their %d-degree network (%d purchases)",
                        amount, purchase.user, judgement.meanText(), judgement.sdText(), trackedPurchases, degrees,
                        judgement.historySize()))
                .reason("amount", amount,
                        String.format(Locale.ROOT, "<= %s (mean %s + 3 sd %s over %d network purchases; %.1f sd above the mean)",
                                CentsAmount.formatCents(judgement.meanCents().add(judgement.sdCents().multiply(BigInteger.valueOf(3)))),
                                judgement.meanText(), judgement.sdText(), judgement.historySize(), z),
                        bits)
                .event(purchase)
                .build();
    }

    /**
     * {@code -log2 P(Z > z)} for a standard normal Z, computed in log space so that it stays finite
     * and accurate far in the tail (no underflow at z = 40). Uses the Chebyshev fit of erfc
     * (Numerical Recipes {@code erfcc}, relative error below 1.2e-7).
     */
    public static double gaussianTailBits(double z) {
        double x = Math.abs(z) / Math.sqrt(2.0);
        double t = 1.0 / (1.0 + 0.5 * x);
        double lnErfc = Math.log(t) - x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277))))))));
        double lnTail = z >= 0
                ? Math.log(0.5) + lnErfc                 // P(Z > z) = erfc(x) / 2
                : Math.log1p(-0.5 * Math.exp(lnErfc));   // P(Z > -|z|) = 1 - erfc(x) / 2
        return -lnTail / Math.log(2.0);
    }
}
