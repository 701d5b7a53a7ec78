package io.surprisal.alert;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.surprisal.event.Event;
import io.surprisal.event.SafeText;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The size of one alert, bounded whatever the input: every text that can come from the input is cut
 * to a few hundred characters with a visible marker (never inside a character, lone surrogates as
 * U+FFFD), an event's unknown fields to a few KiB, and the events an alert carries to
 * {@link #EVENTS_MAX_BYTES} of JSON. So the largest alert's JSON form is below
 * {@link #ALERT_MAX_BYTES}, which the Kafka sink's request size covers (docs/hostile-output.md).
 */
public final class AlertBounds {
    /** Characters kept of each text field that can carry input text: user, ids, places, user agent, reasons. */
    public static final int TEXT_MAX = 512;
    /** Characters kept of an alert's summary, which quotes input text. */
    public static final int SUMMARY_MAX = 1024;
    /** Characters kept of an event's unknown fields, as JSON text. */
    public static final int EXTRA_MAX = 2048;
    /** Reasons kept; the detectors give fewer (a session alert: two plus one per event). */
    public static final int MAX_REASONS = 32;
    /** UTF-8 bytes of the JSON form of the events one alert carries; the first event is always kept. */
    public static final int EVENTS_MAX_BYTES = 64 * 1024;
    /** Above the largest alert JSON this bounding lets through (each character is at most 6 bytes, {@code \}{@code u0001}). */
    public static final int ALERT_MAX_BYTES = 512 * 1024;
    /** The field that says how many of an event's unknown fields were left out. */
    public static final String EXTRA_LEFT_OUT_FIELD = "truncated_fields";

    private static final JsonFactory JSON = new JsonFactory();

    private AlertBounds() {}

    /** The alert itself when it is within bounds, else a bounded copy (the given one is left unchanged). */
    public static Alert bound(Alert a) {
        if (within(a)) {
            return a;
        }
        Alert b = a.copy();
        b.user = SafeText.truncate(a.user, TEXT_MAX);
        b.tenant = SafeText.truncate(a.tenant, TEXT_MAX);
        b.session = SafeText.truncate(a.session, TEXT_MAX);
        b.summary = SafeText.truncate(a.summary, SUMMARY_MAX);
        b.reasons = new ArrayList<>(Math.min(a.reasons.size(), MAX_REASONS));
        for (Reason r : a.reasons.subList(0, Math.min(a.reasons.size(), MAX_REASONS))) {
            b.reasons.add(new Reason(SafeText.truncate(r.feature, TEXT_MAX), SafeText.truncate(r.observed, TEXT_MAX),
                    SafeText.truncate(r.expected, TEXT_MAX), r.bits));
        }
        b.events = new ArrayList<>();
        long bytes = 0;
        for (Event e : a.events) {
            Event be = bound(e);
            bytes += AlertJson.toJson(be).getBytes(StandardCharsets.UTF_8).length;
            if (bytes > EVENTS_MAX_BYTES && !b.events.isEmpty()) {
                break;
            }
            b.events.add(be);
        }
        int leftOut = a.events.size() - b.events.size();
        if (leftOut > 0) {
            b.summary = b.summary + " [" + leftOut + " of " + a.events.size()
                    + " triggering events left out: the events an alert carries are limited to " + EVENTS_MAX_BYTES / 1024 + " KiB]";
        }
        return b;
    }

    /** True when nothing would be cut: the common case costs a length check per field, no copy. */
    static boolean within(Alert a) {
        if (!fits(a.user, TEXT_MAX) || !fits(a.tenant, TEXT_MAX) || !fits(a.session, TEXT_MAX) || !fits(a.summary, SUMMARY_MAX) || a.reasons.size() > MAX_REASONS) {
            return false;
        }
        for (Reason r : a.reasons) {
            if (!fits(r.feature, TEXT_MAX) || !fits(r.observed, TEXT_MAX) || !fits(r.expected, TEXT_MAX)) {
                return false;
            }
        }
        long chars = 0;
        for (Event e : a.events) {
            if (!within(e)) {
                return false;
            }
            chars += textLength(e);
        }
        // Six bytes per character at most: within this, the events' JSON is within bounds without being written.
        return chars * 6 + a.events.size() * 512L <= EVENTS_MAX_BYTES;
    }

    private static boolean within(Event e) {
        return fits(e.eventId, TEXT_MAX) && fits(e.user, TEXT_MAX) && fits(e.tenant, TEXT_MAX) && fits(e.session, TEXT_MAX) && fits(e.action, TEXT_MAX)
                && fits(e.ip, TEXT_MAX) && fits(e.country, TEXT_MAX) && fits(e.region, TEXT_MAX) && fits(e.city, TEXT_MAX)
                && fits(e.userAgent, TEXT_MAX) && fits(e.device, TEXT_MAX) && fits(e.friend, TEXT_MAX) && fits(e.extra, EXTRA_MAX);
    }

    private static long textLength(Event e) {
        return length(e.eventId) + length(e.user) + length(e.tenant) + length(e.session) + length(e.action) + length(e.ip) + length(e.country)
                + length(e.region) + length(e.city) + length(e.userAgent) + length(e.device) + length(e.friend) + length(e.extra);
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    private static boolean fits(String s, int max) {
        return s == null || (s.length() <= max && !SafeText.hasLoneSurrogate(s));
    }

    /** A bounded copy of an event (its fields cut as an alert's are). */
    static Event bound(Event e) {
        Event b = e.copy();
        b.eventId = SafeText.truncate(e.eventId, TEXT_MAX);
        b.user = SafeText.truncate(e.user, TEXT_MAX);
        b.tenant = SafeText.truncate(e.tenant, TEXT_MAX);
        b.session = SafeText.truncate(e.session, TEXT_MAX);
        b.action = SafeText.truncate(e.action, TEXT_MAX);
        b.ip = SafeText.truncate(e.ip, TEXT_MAX);
        b.country = SafeText.truncate(e.country, TEXT_MAX);
        b.region = SafeText.truncate(e.region, TEXT_MAX);
        b.city = SafeText.truncate(e.city, TEXT_MAX);
        b.userAgent = SafeText.truncate(e.userAgent, TEXT_MAX);
        b.device = SafeText.truncate(e.device, TEXT_MAX);
        b.friend = SafeText.truncate(e.friend, TEXT_MAX);
        b.extra = boundExtra(e.extra);
        return b;
    }

    /**
     * An event's unknown fields (a JSON object's text) within {@link #EXTRA_MAX} characters: kept as
     * they are when they fit; otherwise the fields in order while they fit, names and string values
     * cut to {@link #TEXT_MAX}, and {@code "truncated_fields": n} for the n fields left out.
     */
    static String boundExtra(String extra) {
        if (fits(extra, EXTRA_MAX)) {
            return extra;
        }
        // Room for the closing brace and the count of fields left out.
        int budget = EXTRA_MAX - 2 - ("\"" + EXTRA_LEFT_OUT_FIELD + "\":" + Integer.MAX_VALUE + ",").length();
        StringBuilder kept = new StringBuilder("{");
        int leftOut = 0;
        try (JsonParser p = JSON.createParser(extra)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = boundedField(p);
                if (kept.length() + field.length() + 1 <= budget) {
                    kept.append(kept.length() > 1 ? "," : "").append(field);
                } else {
                    leftOut++;
                }
            }
        } catch (IOException ex) {
            // The parser wrote this text itself; should it not read back, say so rather than drop it silently.
            return "{\"" + EXTRA_LEFT_OUT_FIELD + "\":-1}";
        }
        if (leftOut > 0) {
            kept.append(kept.length() > 1 ? "," : "").append('"').append(EXTRA_LEFT_OUT_FIELD).append("\":").append(leftOut);
        }
        return kept.append('}').toString();
    }

    /** The field at the parser, {@code "name":value}, with the name and every string in the value cut. */
    private static String boundedField(JsonParser p) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            copyCut(p, g);
            p.nextToken();
            copyCut(p, g);
            if (p.currentToken() == JsonToken.START_OBJECT || p.currentToken() == JsonToken.START_ARRAY) {
                int depth = 1;
                while (depth > 0) {
                    JsonToken t = p.nextToken();
                    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                        depth++;
                    } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                        depth--;
                    }
                    copyCut(p, g);
                }
            }
            g.writeEndObject();
        }
        String object = w.toString();
        return object.substring(1, object.length() - 1);
    }

    private static void copyCut(JsonParser p, JsonGenerator g) throws IOException {
        switch (p.currentToken()) {
            case FIELD_NAME -> g.writeFieldName(SafeText.truncate(p.currentName(), TEXT_MAX));
            case VALUE_STRING -> g.writeString(SafeText.truncate(p.getText(), TEXT_MAX));
            default -> g.copyCurrentEvent(p);
        }
    }
}
