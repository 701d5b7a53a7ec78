package io.surprisal.tools.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads the job's closed-session lines (docs/session-vectors.md) and login lines
 * (docs/login-vectors.md) into vectors in the job's order.
 */
public final class VectorLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private VectorLines() {}

    /** One parsed line. */
    public record Vector(String user, long ts, double[] features) {}

    /** A line's user, last event time and features ordered as {@code names}; a feature absent or null is NaN. */
    public static Vector parse(String line, String[] names) throws IOException {
        JsonNode n = JSON.readTree(line);
        JsonNode f = n.path("features");
        double[] v = new double[names.length];
        java.util.Arrays.fill(v, Double.NaN);
        java.util.Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < names.length; i++) {
            index.put(names[i], i);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = f.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Integer i = index.get(e.getKey());
            if (i != null && e.getValue().isNumber()) {
                v[i] = e.getValue().asDouble();
            }
        }
        return new Vector(n.path("user").asText(), Instant.parse(n.path("ts").asText()).toEpochMilli(), v);
    }
}
