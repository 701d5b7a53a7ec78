package io.surprisal.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.StringWriter;

/**
 * Parses one line of the input contract into an {@link Event}, or says precisely why it cannot.
 * Streaming (one token at a time, no reflection); unknown fields are copied verbatim into
 * {@link Event#extra} so they travel into alerts.
 */
public final class EventParser {
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();

    private EventParser() {}

    /** Why a line is not an event: the dead-letter reason and a message. */
    public static final class InvalidEventException extends Exception {
        private final DeadLetterReason reason;

        public InvalidEventException(DeadLetterReason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        public DeadLetterReason reason() {
            return reason;
        }
    }

    /** Parses a line, or turns it into a dead letter. */
    public static Object parseOrDeadLetter(SourceLine line) {
        try {
            return parse(line);
        } catch (InvalidEventException e) {
            return new DeadLetter(e.reason(), e.getMessage(), line.text, line.source);
        }
    }

    public static Event parse(SourceLine line) throws InvalidEventException {
        if (line.truncated) {
            throw new InvalidEventException(DeadLetterReason.TOO_LONG,
                    "line of " + line.length + " bytes is longer than the limit");
        }
        if (line.encodingError != null) {
            throw new InvalidEventException(DeadLetterReason.INVALID_UTF8, line.encodingError);
        }
        Event e = parse(line.text);
        e.source = line.source;
        return e;
    }

    public static Event parse(String text) throws InvalidEventException {
        Event e = new Event();
        boolean hasTs = false;
        StringWriter extraText = null;
        JsonGenerator extra = null;
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidEventException(DeadLetterReason.MALFORMED_JSON, "not a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "ts" -> {
                        e.ts = timestamp(p, v);
                        hasTs = true;
                    }
                    case "user" -> e.user = keyPart(p, v, name);
                    case "tenant" -> e.tenant = keyPart(p, v, name);
                    case "action" -> e.action = string(p, v, name);
                    case "status" -> e.fail = status(p, v);
                    case "session" -> e.session = string(p, v, name);
                    case "event_id" -> e.eventId = string(p, v, name);
                    case "ip" -> e.ip = string(p, v, name);
                    case "country" -> e.country = string(p, v, name);
                    case "region" -> e.region = string(p, v, name);
                    case "city" -> e.city = string(p, v, name);
                    case "asn" -> e.asn = asn(p, v);
                    case "lat" -> e.lat = degrees(p, v, name, 90);
                    case "lon" -> e.lon = degrees(p, v, name, 180);
                    case "user_agent" -> e.userAgent = string(p, v, name);
                    case "device" -> e.device = string(p, v, name);
                    case "amount" -> e.amount = amount(p, v);
                    case "friend" -> e.friend = string(p, v, name);
                    default -> {
                        if (extra == null) {
                            extraText = new StringWriter();
                            extra = JSON.createGenerator(extraText);
                            extra.writeStartObject();
                        }
                        extra.writeFieldName(name);
                        extra.copyCurrentStructure(p);
                    }
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new InvalidEventException(DeadLetterReason.MALFORMED_JSON, "not a JSON object");
            }
            if (p.nextToken() != null) {
                throw new InvalidEventException(DeadLetterReason.MALFORMED_JSON, "trailing content after the JSON object");
            }
            if (extra != null) {
                extra.writeEndObject();
                extra.close();
                e.extra = extraText.toString();
            }
        } catch (JsonProcessingException ex) {
            throw new InvalidEventException(DeadLetterReason.MALFORMED_JSON, "not valid JSON: " + ex.getOriginalMessage());
        } catch (IOException ex) {
            throw new InvalidEventException(DeadLetterReason.MALFORMED_JSON, "unreadable: " + ex.getMessage());
        }
        if (!hasTs) {
            throw new InvalidEventException(DeadLetterReason.MISSING_FIELD, "required field 'ts' is missing");
        }
        if (e.user == null || e.user.isEmpty()) {
            throw new InvalidEventException(DeadLetterReason.MISSING_FIELD, "required field 'user' is missing or empty");
        }
        if (e.action == null || e.action.isEmpty()) {
            throw new InvalidEventException(DeadLetterReason.MISSING_FIELD, "required field 'action' is missing or empty");
        }
        if (e.eventId == null) {
            e.eventId = lineHash(text);
        }
        return e;
    }

    /** A deterministic id for a line that has none: 64-bit FNV-1a of its text. */
    public static String lineHash(String text) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            h ^= text.charAt(i);
            h *= 0x100000001b3L;
        }
        return "h" + Long.toHexString(h);
    }

    private static String string(JsonParser p, JsonToken v, String name) throws IOException, InvalidEventException {
        if (v == JsonToken.VALUE_STRING) {
            String s = p.getText();
            if (SafeText.hasLoneSurrogate(s)) {
                // Only a JSON escape such as "\ud800" can make one; no output could encode it.
                throw new InvalidEventException(DeadLetterReason.INVALID_UTF8,
                        "field '" + name + "' holds a lone UTF-16 surrogate escape: not a Unicode character");
            }
            return s;
        }
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        throw new InvalidEventException(DeadLetterReason.WRONG_TYPE, "field '" + name + "' must be a string, got " + describe(v));
    }

    /** A string of the user's key ({@link UserKey}): it must not hold the key's separator. */
    private static String keyPart(JsonParser p, JsonToken v, String name) throws IOException, InvalidEventException {
        String s = string(p, v, name);
        if (s != null && s.indexOf(UserKey.SEPARATOR) >= 0) {
            throw new InvalidEventException(DeadLetterReason.WRONG_TYPE, "field '" + name + "' holds a NUL character (\\u0000)");
        }
        return s;
    }

    private static long timestamp(JsonParser p, JsonToken v) throws IOException, InvalidEventException {
        if (v == JsonToken.VALUE_NUMBER_INT) {
            try {
                return Timestamps.inRange(p.getLongValue(), p.getText());
            } catch (IllegalArgumentException | JsonProcessingException ex) {
                // getLongValue throws (InputCoercionException) for integers beyond a long.
                throw new InvalidEventException(DeadLetterReason.WRONG_TYPE,
                        "'ts' is outside the supported years 0001 to 9999: " + p.getText());
            }
        }
        if (v == JsonToken.VALUE_STRING) {
            try {
                return Timestamps.parse(p.getText());
            } catch (IllegalArgumentException ex) {
                throw new InvalidEventException(DeadLetterReason.WRONG_TYPE, ex.getMessage());
            }
        }
        if (v == JsonToken.VALUE_NULL) {
            throw new InvalidEventException(DeadLetterReason.MISSING_FIELD, "required field 'ts' is null");
        }
        throw new InvalidEventException(DeadLetterReason.WRONG_TYPE,
                "field 'ts' must be an ISO-8601 string or epoch milliseconds, got " + describe(v));
    }

    private static boolean status(JsonParser p, JsonToken v) throws IOException, InvalidEventException {
        if (v == JsonToken.VALUE_NULL) {
            return false;
        }
        if (v == JsonToken.VALUE_STRING) {
            String s = p.getText();
            if (s.equals("success")) {
                return false;
            }
            if (s.equals("fail")) {
                return true;
            }
            throw new InvalidEventException(DeadLetterReason.WRONG_TYPE, "field 'status' must be 'success' or 'fail', got '" + s + "'");
        }
        throw new InvalidEventException(DeadLetterReason.WRONG_TYPE, "field 'status' must be a string, got " + describe(v));
    }

    private static Long asn(JsonParser p, JsonToken v) throws IOException, InvalidEventException {
        if (v == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        throw new InvalidEventException(DeadLetterReason.WRONG_TYPE, "field 'asn' must be an integer, got " + describe(v));
    }

    private static Double amount(JsonParser p, JsonToken v) throws IOException, InvalidEventException {
        if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
            double d = p.getDoubleValue();
            if (!Double.isFinite(d)) {
                throw new InvalidEventException(DeadLetterReason.WRONG_TYPE, "field 'amount' is not finite");
            }
            return d;
        }
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        throw new InvalidEventException(DeadLetterReason.WRONG_TYPE, "field 'amount' must be a number, got " + describe(v));
    }

    /** A coordinate in decimal degrees within ±{@code limit}, or null. */
    private static Double degrees(JsonParser p, JsonToken v, String name, double limit) throws IOException, InvalidEventException {
        if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
            double d = p.getDoubleValue();
            if (!(d >= -limit && d <= limit)) {
                throw new InvalidEventException(DeadLetterReason.WRONG_TYPE,
                        "field '" + name + "' must be decimal degrees in [-" + (int) limit + ", " + (int) limit + "], got " + p.getText());
            }
            return d;
        }
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        throw new InvalidEventException(DeadLetterReason.WRONG_TYPE, "field '" + name + "' must be a number, got " + describe(v));
    }

    private static String describe(JsonToken v) {
        return switch (v) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_NULL -> "null";
            default -> v.asString();
        };
    }
}
