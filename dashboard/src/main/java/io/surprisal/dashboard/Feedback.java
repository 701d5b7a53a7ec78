package io.surprisal.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * A feedback record of the feedback topic (docs/dashboard.md, "Feedback records"): an analyst's
 * action that the job consumes (false positives, mutes, allowlisted networks) or that only the
 * dashboard keeps (acknowledgements). Schema version 1.
 */
record Feedback(Action action, Instant at, String by, String alertId, String user, String tenant, String detector,
        String repeatKey, String network, Instant until, String note) {
    static final int SCHEMA_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Action {
        ACKNOWLEDGE, FALSE_POSITIVE, MUTE, ALLOWLIST;

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Action> of(String wire) {
            for (Action a : values()) {
                if (a.wire().equals(wire)) {
                    return Optional.of(a);
                }
            }
            return Optional.empty();
        }
    }

    /** The record's key: the user's key (tenant and user joined by NUL, as the job keys users), else the alert id, else the network. */
    String key() {
        if (user != null) {
            return tenant == null ? user : tenant + '\u0000' + user;
        }
        return alertId != null ? alertId : network;
    }

    /** The record's value: the fields its action carries, absent ones omitted (tenant written as null when there is none). */
    String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("schema_version", SCHEMA_VERSION);
        o.put("action", action.wire());
        o.put("at", at.toString());
        o.put("by", by);
        switch (action) {
            case ACKNOWLEDGE -> {
                o.put("alert_id", alertId);
                putUser(o);
                o.put("detector", detector);
            }
            case FALSE_POSITIVE -> {
                o.put("alert_id", alertId);
                putUser(o);
                o.put("detector", detector);
                o.put("repeat_key", repeatKey);
                if (until != null) {
                    o.put("until", until.toString());
                }
            }
            case MUTE -> {
                putUser(o);
                o.put("detector", detector);
                o.put("until", until.toString());
            }
            case ALLOWLIST -> {
                o.put("network", network);
                if (until != null) {
                    o.put("until", until.toString());
                }
            }
        }
        if (note != null && !note.isEmpty()) {
            o.put("note", note);
        }
        return o.toString();
    }

    private void putUser(ObjectNode o) {
        o.put("user", user);
        o.put("tenant", tenant);
    }

    /** A record read back from the topic, or empty when it is not one this version understands. */
    static Optional<Feedback> parse(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            if (n == null || !n.isObject() || n.path("schema_version").asInt(-1) != SCHEMA_VERSION) {
                return Optional.empty();
            }
            Optional<Action> action = Action.of(AlertStore.text(n, "action"));
            String at = AlertStore.text(n, "at");
            if (action.isEmpty() || at == null) {
                return Optional.empty();
            }
            String until = AlertStore.text(n, "until");
            return Optional.of(new Feedback(action.get(), Instant.parse(at), AlertStore.text(n, "by"), AlertStore.text(n, "alert_id"),
                    AlertStore.text(n, "user"), AlertStore.text(n, "tenant"), AlertStore.text(n, "detector"),
                    AlertStore.text(n, "repeat_key"), AlertStore.text(n, "network"), until == null ? null : Instant.parse(until),
                    AlertStore.text(n, "note")));
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
