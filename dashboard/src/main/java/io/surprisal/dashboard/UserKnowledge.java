package io.surprisal.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the job knows of a user, as far as their alerts tell: the places, networks and devices of
 * the user's own events among the alerts' triggering events, with how often and when last seen,
 * the login-novelty reasons (what was new against their history), and the behaviour group the
 * newest alert that carries one typed the user into.
 */
final class UserKnowledge {
    record Seen(String value, String detail, int count, long lastSeen) {}

    record Novelty(String alertId, long ts, String feature, String observed, String expected, double bits) {}

    /** The user's behaviour group as of an alert ({@code group}, {@code group_posterior}). */
    record Group(String name, double posterior, long ts, String alertId) {}

    record Summary(List<Seen> places, List<Seen> networks, List<Seen> devices, List<Novelty> novelties, Group group) {}

    private UserKnowledge() {}

    static Summary of(String user, List<AlertStore.StoredAlert> alerts) {
        Map<String, long[]> places = new LinkedHashMap<>();
        Map<String, String> placeDetail = new LinkedHashMap<>();
        Map<String, long[]> networks = new LinkedHashMap<>();
        Map<String, String> networkDetail = new LinkedHashMap<>();
        Map<String, long[]> devices = new LinkedHashMap<>();
        Map<String, String> deviceDetail = new LinkedHashMap<>();
        List<Novelty> novelties = new ArrayList<>();
        Set<String> eventsSeen = new HashSet<>();
        Group group = null;
        for (AlertStore.StoredAlert stored : alerts) {
            JsonNode a = Json.read(stored.json());
            String alertId = AlertStore.text(a, "alert_id");
            long alertTs = time(AlertStore.text(a, "ts"));
            String groupName = AlertStore.text(a, "group");
            if (groupName != null && (group == null || alertTs > group.ts())) {
                group = new Group(groupName, a.path("group_posterior").asDouble(), alertTs, alertId);
            }
            if ("login-novelty".equals(AlertStore.text(a, "detector"))) {
                for (JsonNode r : a.path("reasons")) {
                    novelties.add(new Novelty(alertId, alertTs, AlertStore.text(r, "feature"), AlertStore.text(r, "observed"),
                            AlertStore.text(r, "expected"), r.path("bits").asDouble()));
                }
            }
            for (JsonNode e : a.path("events")) {
                String id = AlertStore.text(e, "event_id");
                if (!user.equals(AlertStore.text(e, "user")) || (id != null && !eventsSeen.add(id))) {
                    continue;
                }
                long ts = time(AlertStore.text(e, "ts"));
                String country = AlertStore.text(e, "country");
                if (country != null) {
                    String city = AlertStore.text(e, "city");
                    String region = AlertStore.text(e, "region");
                    String place = country + (city == null ? "" : " / " + city);
                    count(places, place, ts);
                    placeDetail.putIfAbsent(place, region == null ? "" : region);
                }
                String ip = AlertStore.text(e, "ip");
                if (ip != null) {
                    count(networks, ip, ts);
                    networkDetail.putIfAbsent(ip, e.hasNonNull("asn") ? "AS" + e.get("asn").asText() : "");
                }
                String device = AlertStore.text(e, "device");
                String agent = AlertStore.text(e, "user_agent");
                if (device != null || agent != null) {
                    String key = Objects.toString(agent, "");
                    count(devices, key, ts);
                    deviceDetail.putIfAbsent(key, Objects.toString(device, ""));
                }
            }
        }
        return new Summary(list(places, placeDetail), list(networks, networkDetail), list(devices, deviceDetail), novelties, group);
    }

    private static void count(Map<String, long[]> m, String key, long ts) {
        long[] c = m.computeIfAbsent(key, k -> new long[] {0, Long.MIN_VALUE});
        c[0]++;
        c[1] = Math.max(c[1], ts);
    }

    private static List<Seen> list(Map<String, long[]> counts, Map<String, String> details) {
        List<Seen> out = new ArrayList<>();
        counts.forEach((k, c) -> out.add(new Seen(k, details.get(k), (int) c[0], c[1])));
        out.sort(Comparator.comparingInt(Seen::count).reversed().thenComparing(Seen::value));
        return out;
    }

    private static long time(String iso) {
        try {
            return iso == null ? 0 : Instant.parse(iso).toEpochMilli();
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
