package io.surprisal.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Optional;

/**
 * The fields of an alert record (docs/contracts.md, alert contract) the store indexes, and the
 * record's JSON as the job wrote it, which the pages read the rest from.
 */
record AlertRecord(String alertId, long ts, String user, String tenant, String detector, String severity,
        double score, String summary, int repeats, String repeatKey, String json) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The alert in {@code json}, or empty when it is not an alert record (no id, user, detector, severity or time). */
    static Optional<AlertRecord> parse(String json) {
        try {
            JsonNode a = JSON.readTree(json);
            if (a == null || !a.isObject()) {
                return Optional.empty();
            }
            String id = AlertStore.text(a, "alert_id");
            String user = AlertStore.text(a, "user");
            String detector = AlertStore.text(a, "detector");
            String severity = AlertStore.text(a, "severity");
            String ts = AlertStore.text(a, "ts");
            if (id == null || user == null || detector == null || severity == null || ts == null || Severity.rank(severity) < 0) {
                return Optional.empty();
            }
            return Optional.of(new AlertRecord(id, Instant.parse(ts).toEpochMilli(), user, AlertStore.text(a, "tenant"), detector,
                    severity, a.path("score").asDouble(), AlertStore.text(a, "summary"), a.path("repeats").asInt(1),
                    AlertStore.text(a, "repeat_key"), json));
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
