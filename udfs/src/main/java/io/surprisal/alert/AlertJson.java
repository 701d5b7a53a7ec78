package io.surprisal.alert;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.surprisal.event.DeadLetter;
import io.surprisal.event.Event;
import io.surprisal.event.Timestamps;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The JSON forms of alerts, events and dead letters, with a fixed field order so that the same
 * alerts always give the same bytes. Streaming writer, one static factory.
 */
public final class AlertJson {
    private static final JsonFactory JSON = new JsonFactory();

    private AlertJson() {}

    /** Rounds bits for display: three decimals are plenty and keep output stable and short. */
    public static double round3(double x) {
        return Math.round(x * 1000.0) / 1000.0;
    }

    public static String toJson(Alert a) {
        StringWriter w = new StringWriter(512);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeNumberField("schema_version", Alert.SCHEMA_VERSION);
            g.writeStringField("alert_id", a.alertId);
            g.writeStringField("repeat_key", a.repeatKey);
            g.writeStringField("ts", Timestamps.format(a.ts));
            g.writeStringField("user", a.user);
            optional(g, "tenant", a.tenant);
            g.writeStringField("detector", a.detector);
            g.writeStringField("severity", a.severity.label());
            g.writeNumberField("score", round3(a.score));
            g.writeNumberField("threshold", round3(a.threshold));
            g.writeStringField("unit", a.unit);
            g.writeStringField("summary", a.summary);
            g.writeArrayFieldStart("reasons");
            for (Reason r : a.reasons) {
                g.writeStartObject();
                g.writeStringField("feature", r.feature);
                g.writeStringField("observed", r.observed);
                g.writeStringField("expected", r.expected);
                g.writeNumberField("bits", round3(r.bits));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("events");
            for (Event e : a.events) {
                writeEvent(g, e);
            }
            g.writeEndArray();
            if (a.session != null) {
                g.writeStringField("session", a.session);
            } else {
                g.writeNullField("session");
            }
            g.writeNumberField("repeats", a.repeats);
            if (a.group != null) {
                g.writeStringField("group", a.group);
                g.writeNumberField("group_posterior", round3(a.groupPosterior));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** An event in the input contract's shape, with its unknown fields and the bits it scored. */
    public static String toJson(Event e) {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            writeEvent(g, e);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return w.toString();
    }

    public static String toJson(DeadLetter d) {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("error", d.error);
            g.writeStringField("reason", d.reason);
            g.writeStringField("raw", d.raw);
            g.writeStringField("source", d.source);
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return w.toString();
    }

    private static void writeEvent(JsonGenerator g, Event e) throws IOException {
        g.writeStartObject();
        g.writeStringField("ts", Timestamps.format(e.ts));
        g.writeStringField("event_id", e.eventId);
        g.writeStringField("user", e.user);
        optional(g, "tenant", e.tenant);
        optional(g, "session", e.session);
        g.writeStringField("action", e.action);
        g.writeStringField("status", e.status());
        optional(g, "ip", e.ip);
        optional(g, "country", e.country);
        optional(g, "region", e.region);
        optional(g, "city", e.city);
        if (e.asn != null) {
            g.writeNumberField("asn", e.asn);
        }
        if (e.lat != null) {
            g.writeNumberField("lat", e.lat);
        }
        if (e.lon != null) {
            g.writeNumberField("lon", e.lon);
        }
        optional(g, "device", e.device);
        optional(g, "user_agent", e.userAgent);
        if (e.amount != null) {
            g.writeNumberField("amount", e.amount);
        }
        optional(g, "friend", e.friend);
        if (e.extra != null) {
            try (JsonParser p = JSON.createParser(e.extra)) {
                if (p.nextToken() == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        g.writeFieldName(p.currentName());
                        p.nextToken();
                        g.copyCurrentStructure(p);
                    }
                }
            }
        }
        g.writeNumberField("bits", round3(e.bits));
        if (e.noveltyBits > 0) {
            g.writeNumberField("novelty_bits", round3(e.noveltyBits));
        }
        if (e.novel) {
            g.writeBooleanField("novel", true);
        }
        g.writeEndObject();
    }

    private static void optional(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }
}
