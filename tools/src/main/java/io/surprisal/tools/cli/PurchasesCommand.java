package io.surprisal.tools.cli;

import io.surprisal.tools.challenge.ChallengeResult;
import io.surprisal.tools.challenge.ChallengeRunner;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code surprisal purchases}: the purchase-network challenge's formats (seed 001). */
@Command(name = "purchases", mixinStandardHelpOptions = true,
        description = "Flag purchases more than 3 sd above the mean of the last T purchases in the buyer's D-degree network, in the challenge's file formats.")
public final class PurchasesCommand implements Callable<Integer> {
    @Option(names = "--batch", required = true, paramLabel = "FILE", description = "batch_log.json: {\"D\":..,\"T\":..} then history")
    Path batch;

    @Option(names = "--stream", required = true, paramLabel = "FILE", description = "stream_log.json: events to judge")
    Path stream;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "flagged_purchases.json")
    Path out;

    @Override
    public Integer call() throws Exception {
        ChallengeResult r = ChallengeRunner.run(batch, stream, out);
        System.err.printf(Locale.ROOT, "surprisal purchases: %,d batch events, %,d stream events, %,d purchases judged, %,d flagged,"
                        + " %,d lines skipped (%,d for an unusable amount), %.2f s%n",
                r.batchEvents(), r.streamEvents(), r.purchasesJudged(), r.flaggedPurchases(), r.skippedLines(),
                r.unusableAmounts(), r.elapsed().toNanos() / 1e9);
        return 0;
    }
}
