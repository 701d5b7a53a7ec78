package io.surprisal.tools.challenge;

import io.surprisal.purchase.CentsAmount;
import io.surprisal.purchase.PurchaseJudgement;
import io.surprisal.purchase.PurchaseNetwork;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Runs the InsightDataScience purchase-network challenge on files: builds the network and purchase
 * history from a batch log, then judges every purchase of a stream log and writes the flagged ones.
 *
 * <p>Formats (one JSON object a line, every value a string, blank lines ignored):
 * <ul>
 *   <li>batch log: header {@code {"D":"3", "T":"50"}}, then events;</li>
 *   <li>events: {@code {"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "1",
 *       "amount": "16.83"}} and {@code {"event_type":"befriend"|"unfriend", "timestamp":"...",
 *       "id1": "1", "id2": "2"}};</li>
 *   <li>output: each flagged stream purchase as its input line, fields in their original order
 *       and style, with {@code , "mean": "29.10", "sd": "21.46"}} appended; the file is created
 *       even when nothing is flagged.</li>
 * </ul>
 * Amounts are exact whole cents of any size up to {@link CentsAmount#MAX_CENTS} (92233720368547758.07).
 * A malformed event line (bad JSON, missing field, bad timestamp, unknown event type,
 * self-friendship, or an amount that is negative, has a fraction of a cent, is above that maximum or
 * is not a number) is skipped with a message naming the file, the line number and the reason, and
 * counted; the run goes on. Only an unusable header, which leaves D and T unknown, fails the run.
 */
public final class ChallengeRunner {

    private static final int BUFFER_SIZE = 1 << 16;

    private final PurchaseNetwork network;
    private final Consumer<String> warnings;
    private final FlatJsonObject fields = new FlatJsonObject();
    private long skippedLines;
    private long unusableAmounts;

    private ChallengeRunner(PurchaseNetwork network, Consumer<String> warnings) {
        this.network = network;
        this.warnings = warnings;
    }

    /**
     * Runs the challenge, reporting skipped lines on standard error.
     *
     * @throws IOException when a file cannot be read or written
     * @throws IllegalArgumentException when the batch log has no valid {@code D}/{@code T} header
     */
    public static ChallengeResult run(Path batchLog, Path streamLog, Path out) throws IOException {
        return run(batchLog, streamLog, out, System.err::println);
    }

    /**
     * Runs the challenge, reporting each skipped line to {@code warnings}.
     *
     * @throws IOException when a file cannot be read or written
     * @throws IllegalArgumentException when the batch log has no valid {@code D}/{@code T} header
     */
    public static ChallengeResult run(Path batchLog, Path streamLog, Path out, Consumer<String> warnings)
            throws IOException {
        long started = System.nanoTime();
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        long batchEvents = 0;
        long streamEvents = 0;
        long judged = 0;
        long flagged = 0;
        ChallengeRunner runner;
        try (BufferedReader batch = open(batchLog)) {
            String batchName = String.valueOf(batchLog.getFileName());
            int[] lineNumber = {0};
            PurchaseNetwork network = readHeader(batch, batchName, lineNumber);
            runner = new ChallengeRunner(network, warnings);
            String line;
            while ((line = batch.readLine()) != null) {
                lineNumber[0]++;
                if (!line.isBlank() && runner.apply(line, batchName, lineNumber[0], null) != Outcome.SKIPPED) {
                    batchEvents++;
                }
            }
        }
        try (BufferedReader stream = open(streamLog);
                Writer output = new BufferedWriter(
                        new OutputStreamWriter(Files.newOutputStream(out), StandardCharsets.UTF_8), BUFFER_SIZE)) {
            String streamName = String.valueOf(streamLog.getFileName());
            String line;
            int lineNumber = 0;
            while ((line = stream.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                Outcome outcome = runner.apply(line, streamName, lineNumber, output);
                if (outcome != Outcome.SKIPPED) {
                    streamEvents++;
                }
                if (outcome == Outcome.JUDGED || outcome == Outcome.FLAGGED) {
                    judged++;
                }
                if (outcome == Outcome.FLAGGED) {
                    flagged++;
                }
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        return new ChallengeResult(batchEvents, streamEvents, judged, flagged, runner.skippedLines, runner.unusableAmounts, elapsed);
    }

    private enum Outcome { APPLIED, JUDGED, FLAGGED, SKIPPED }

    /** Applies one event line; judges purchases when {@code flaggedOutput} is non-null (the stream). */
    private Outcome apply(String line, String fileName, int lineNumber, Writer flaggedOutput) throws IOException {
        try {
            fields.parse(stripByteOrderMark(line));
            String eventType = fields.require("event_type");
            switch (eventType) {
                case "purchase" -> {
                    long timestamp = EventTimestamp.parse(fields.require("timestamp"));
                    String buyer = requireId("id");
                    long amountCents = amountCents(fields.require("amount"));
                    if (flaggedOutput == null) {
                        network.recordPurchase(buyer, timestamp, amountCents);
                        return Outcome.APPLIED;
                    }
                    PurchaseJudgement judgement = network.judgeAndRecord(buyer, timestamp, amountCents);
                    if (!judgement.flagged()) {
                        return Outcome.JUDGED;
                    }
                    writeFlagged(flaggedOutput, line, judgement);
                    return Outcome.FLAGGED;
                }
                case "befriend", "unfriend" -> {
                    EventTimestamp.parse(fields.require("timestamp"));
                    String user = requireId("id1");
                    String other = requireId("id2");
                    if (user.equals(other)) {
                        throw new IllegalArgumentException("a user cannot " + eventType + " themself (id1 = id2 = \"" + user + "\")");
                    }
                    if (eventType.equals("befriend")) {
                        network.befriend(user, other);
                    } else {
                        network.unfriend(user, other);
                    }
                    return Outcome.APPLIED;
                }
                default -> throw new IllegalArgumentException(
                        "unknown event_type \"" + eventType + "\" (expected purchase, befriend or unfriend)");
            }
        } catch (IllegalArgumentException malformed) {
            skippedLines++;
            warnings.accept(fileName + " line " + lineNumber + ": skipped: " + malformed.getMessage());
            return Outcome.SKIPPED;
        }
    }

    private long amountCents(String text) {
        try {
            return CentsAmount.parseCents(text);
        } catch (IllegalArgumentException unusable) {
            unusableAmounts++;
            throw unusable;
        }
    }

    private String requireId(String name) {
        String id = fields.require(name);
        if (id.isEmpty()) {
            throw new IllegalArgumentException("field \"" + name + "\" is empty");
        }
        return id;
    }

    /** The input line as written, with mean and sd appended before its closing brace. */
    private static void writeFlagged(Writer output, String line, PurchaseJudgement judgement) throws IOException {
        String object = stripByteOrderMark(line).strip();
        String body = object.substring(0, object.length() - 1).stripTrailing(); // parsed: ends with '}'
        output.write(body);
        output.write(", \"mean\": \"");
        output.write(judgement.meanText());
        output.write("\", \"sd\": \"");
        output.write(judgement.sdText());
        output.write("\"}\n");
    }

    private static PurchaseNetwork readHeader(BufferedReader batch, String fileName, int[] lineNumber) throws IOException {
        String line;
        while ((line = batch.readLine()) != null) {
            lineNumber[0]++;
            if (line.isBlank()) {
                continue;
            }
            try {
                FlatJsonObject header = new FlatJsonObject();
                header.parse(stripByteOrderMark(line));
                int degrees = positiveInt(header, "D");
                int tracked = positiveInt(header, "T");
                return new PurchaseNetwork(degrees, tracked);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(fileName + " line " + lineNumber[0]
                        + ": invalid header, expected {\"D\":\"<degrees>\", \"T\":\"<tracked purchases>\"}: " + e.getMessage(), e);
            }
        }
        throw new IllegalArgumentException(fileName + ": empty batch log, expected a {\"D\":..., \"T\":...} header");
    }

    private static int positiveInt(FlatJsonObject header, String name) {
        String text = header.require(name);
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(name + " = \"" + text + "\" is not a whole number below 10^9");
        }
        return Integer.parseInt(text);
    }

    private static String stripByteOrderMark(String line) {
        return !line.isEmpty() && line.charAt(0) == '\uFEFF' ? line.substring(1) : line;
    }

    private static BufferedReader open(Path path) throws IOException {
        // InputStreamReader replaces undecodable bytes instead of throwing, so bad bytes only spoil their line.
        return new BufferedReader(new InputStreamReader(Files.newInputStream(path), StandardCharsets.UTF_8), BUFFER_SIZE);
    }
}
