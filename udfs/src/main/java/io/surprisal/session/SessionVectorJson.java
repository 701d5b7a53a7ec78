package io.surprisal.session;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.surprisal.alert.AlertJson;
import io.surprisal.event.Timestamps;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * A closed session's vector as one JSON line, fields in a fixed order (docs/session-vectors.md):
 * {@code {"user":..,"tenant":..,"session":..,"start":..,"ts":..,"closed_by":..,"features":{"events":..,..}}};
 * {@code tenant} only when the events had one, a feature the session has not (visit_gap_s of a
 * user's first known session) as null, numbers to three decimals.
 */
public final class SessionVectorJson {
    private static final JsonFactory JSON = new JsonFactory();

    private SessionVectorJson() {}

    public static String toJson(ClosedSession s) {
        StringWriter w = new StringWriter(512);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("user", s.user);
            if (s.tenant != null) {
                g.writeStringField("tenant", s.tenant);
            }
            if (s.session != null) {
                g.writeStringField("session", s.session);
            } else {
                g.writeNullField("session");
            }
            g.writeStringField("start", Timestamps.format(s.start));
            g.writeStringField("ts", Timestamps.format(s.ts));
            g.writeStringField("closed_by", s.closedBy);
            g.writeObjectFieldStart("features");
            for (int i = 0; i < SessionFeatures.COUNT; i++) {
                double v = s.features[i];
                if (Double.isNaN(v)) {
                    g.writeNullField(SessionFeatures.NAMES[i]);
                } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                    g.writeNumberField(SessionFeatures.NAMES[i], (long) v);
                } else {
                    g.writeNumberField(SessionFeatures.NAMES[i], AlertJson.round3(v));
                }
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
