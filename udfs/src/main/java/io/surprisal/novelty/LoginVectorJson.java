package io.surprisal.novelty;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.surprisal.alert.AlertJson;
import io.surprisal.event.Timestamps;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * A login's vector as one JSON line, fields in a fixed order (docs/login-vectors.md):
 * {@code {"user":..,"tenant":..,"session":..,"ts":..,"features":{"country_new":..,..}}}; {@code
 * tenant} only when the event had one, a feature the login has not as null, numbers to three decimals.
 */
public final class LoginVectorJson {
    private static final JsonFactory JSON = new JsonFactory();

    private LoginVectorJson() {}

    public static String toJson(LoginVector l) {
        StringWriter w = new StringWriter(1024);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("user", l.user);
            if (l.tenant != null) {
                g.writeStringField("tenant", l.tenant);
            }
            if (l.session != null) {
                g.writeStringField("session", l.session);
            } else {
                g.writeNullField("session");
            }
            g.writeStringField("ts", Timestamps.format(l.ts));
            g.writeObjectFieldStart("features");
            for (int i = 0; i < LoginFeatures.COUNT; i++) {
                double v = l.features[i];
                if (Double.isNaN(v)) {
                    g.writeNullField(LoginFeatures.NAMES[i]);
                } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                    g.writeNumberField(LoginFeatures.NAMES[i], (long) v);
                } else {
                    g.writeNumberField(LoginFeatures.NAMES[i], AlertJson.round3(v));
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
