package io.surprisal.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.surprisal.event.DeadLetterReason;
import io.surprisal.event.Timestamps;
import io.surprisal.novelty.Cidr;
import java.io.IOException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Reads feedback records (one JSON object per line or Kafka record value; docs/alert-routing.md,
 * "Feedback") into {@link Feedback}, or says why not with a dead-letter reason. Fields it does not
 * know are ignored, as the alert contract's subscribers ignore theirs.
 */
public final class FeedbackParser {
    /** Longer records are dead letters ({@code too_long}): a note is a sentence, not a document. */
    public static final int MAX_CHARS = 16 * 1024;
    /** The record format's major version this parser reads. */
    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REPEAT_KEY = Pattern.compile("[0-9a-f]{16}");

    private final long falsePositiveMillis;

    /** @param falsePositiveFor how long a false positive without {@code until} holds, from its {@code at} */
    public FeedbackParser(Duration falsePositiveFor) {
        this.falsePositiveMillis = falsePositiveFor.toMillis();
    }

    public Feedback parse(String line) throws InvalidFeedbackException {
        if (line.length() > MAX_CHARS) {
            throw new InvalidFeedbackException(DeadLetterReason.TOO_LONG, "feedback record longer than " + MAX_CHARS + " characters");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(line);
        } catch (IOException e) {
            throw new InvalidFeedbackException(DeadLetterReason.MALFORMED_JSON, "feedback record is not JSON");
        }
        if (!(tree instanceof ObjectNode n)) {
            throw new InvalidFeedbackException(DeadLetterReason.MALFORMED_JSON, "feedback record is not a JSON object");
        }
        JsonNode version = n.get("schema_version");
        if (version != null && !version.isNull() && !(version.isIntegralNumber() && version.asLong() == SCHEMA_VERSION)) {
            throw new InvalidFeedbackException(DeadLetterReason.WRONG_TYPE, "feedback schema_version must be " + SCHEMA_VERSION + ", got " + version);
        }
        FeedbackAction action = action(required(n, "action"));
        long at = instant(required(n, "at"), "at");
        String untilText = optional(n, "until");
        long until = untilText == null ? Long.MAX_VALUE : instant(untilText, "until");
        String user = optional(n, "user");
        String detector = optional(n, "detector");
        String repeatKey = optional(n, "repeat_key");
        String network = null;
        switch (action) {
            case ACKNOWLEDGE -> required(n, "alert_id");
            case FALSE_POSITIVE -> {
                user = required(n, "user");
                repeatKey = required(n, "repeat_key");
                if (!REPEAT_KEY.matcher(repeatKey).matches()) {
                    throw new InvalidFeedbackException(DeadLetterReason.WRONG_TYPE, "feedback repeat_key must be 16 lower-case hex digits");
                }
                if (untilText == null) {
                    until = at + falsePositiveMillis;
                }
            }
            case MUTE -> {
                user = required(n, "user");
                detector = required(n, "detector");
                if (untilText == null) {
                    throw new InvalidFeedbackException(DeadLetterReason.MISSING_FIELD, "feedback action mute needs 'until'");
                }
            }
            case ALLOWLIST -> {
                try {
                    network = Cidr.parse(required(n, "network")).toString();
                } catch (IllegalArgumentException e) {
                    throw new InvalidFeedbackException(DeadLetterReason.WRONG_TYPE, "feedback network: " + e.getMessage());
                }
            }
        }
        if (action == FeedbackAction.ACKNOWLEDGE || action == FeedbackAction.ALLOWLIST) {
            until = Long.MAX_VALUE;
        }
        return new Feedback(action, at, until, optional(n, "by"), optional(n, "alert_id"), user, optional(n, "tenant"), detector,
                repeatKey, network);
    }

    private static FeedbackAction action(String text) throws InvalidFeedbackException {
        for (FeedbackAction a : FeedbackAction.values()) {
            if (a.label().equals(text)) {
                return a;
            }
        }
        throw new InvalidFeedbackException(DeadLetterReason.WRONG_TYPE,
                "feedback action must be acknowledge, false_positive, mute or allowlist, got '" + text + "'");
    }

    private static long instant(String text, String field) throws InvalidFeedbackException {
        try {
            return Timestamps.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidFeedbackException(DeadLetterReason.WRONG_TYPE, "feedback '" + field + "' must be an ISO-8601 instant, got '" + text + "'");
        }
    }

    /** A non-empty string field. */
    private static String required(ObjectNode n, String field) throws InvalidFeedbackException {
        String v = optional(n, field);
        if (v == null) {
            throw new InvalidFeedbackException(DeadLetterReason.MISSING_FIELD, "feedback record needs '" + field + "'");
        }
        return v;
    }

    /** A string field, or null when it is absent, null or empty. */
    private static String optional(ObjectNode n, String field) throws InvalidFeedbackException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidFeedbackException(DeadLetterReason.WRONG_TYPE, "feedback '" + field + "' must be a string");
        }
        return v.asText().isEmpty() ? null : v.asText();
    }
}
