package io.surprisal.tools.challenge;

import io.surprisal.purchase.CentsAmount;
import java.time.Duration;

/**
 * What one {@link ChallengeRunner#run} did.
 *
 * @param batchEvents events applied from the batch log (header, blank and skipped lines excluded)
 * @param streamEvents events applied from the stream log (blank and skipped lines excluded)
 * @param purchasesJudged stream purchases judged
 * @param flaggedPurchases stream purchases flagged and written to the output
 * @param skippedLines malformed or meaningless lines skipped, in both logs
 * @param unusableAmounts of those, purchases skipped for their amount (negative, a fraction of a
 *     cent, above {@link CentsAmount#MAX_CENTS}, not a number)
 * @param elapsed wall time of the whole run, reading and writing included
 */
public record ChallengeResult(
        long batchEvents,
        long streamEvents,
        long purchasesJudged,
        long flaggedPurchases,
        long skippedLines,
        long unusableAmounts,
        Duration elapsed) {}
