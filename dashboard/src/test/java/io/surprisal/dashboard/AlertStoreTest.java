package io.surprisal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store: positions kept with the records, replays that change nothing, filters, statuses, retention, reopening. */
class AlertStoreTest {
    @TempDir
    Path dir;

    static String alert(String id, String ts, String user, String detector, String severity) {
        return "{\"alert_id\":\"" + id + "\",\"ts\":\"" + ts + "\",\"user\":\"" + user + "\",\"detector\":\"" + detector
                + "\",\"severity\":\"" + severity + "\",\"score\":12.5,\"summary\":\"s\",\"reasons\":[],\"events\":[],\"repeats\":1,"
                + "\"schema_version\":1,\"repeat_key\":\"rk-" + id + "\"}";
    }

    @Test
    void storesFiltersAndKeepsItsPositionsAcrossAReopen() {
        Path file = dir.resolve("alerts");
        try (AlertStore store = new AlertStore(file)) {
            assertThat(store.isEmpty()).isTrue();
            assertThat(store.putAlert(AlertRecord.parse(alert("a1", "2026-11-02T08:00:00Z", "jane", "session", "medium")).orElseThrow(), "t", 0, 0)).isPresent();
            assertThat(store.putAlert(AlertRecord.parse(alert("a2", "2026-11-02T09:00:00Z", "joe", "login-novelty", "critical")).orElseThrow(), "t", 1, 7)).isPresent();
            assertThat(store.putAlert(AlertRecord.parse(alert("a1", "2026-11-02T08:00:00Z", "jane", "session", "medium")).orElseThrow(), "t", 0, 1))
                    .as("a replayed alert id is stored once").isEmpty();
            assertThat(AlertRecord.parse("{\"alert_id\":\"x\"}")).isEmpty();
            store.skip("t", 0, 2);

            assertThat(store.list(AlertFilter.all(10))).extracting(AlertRow::alertId).containsExactly("a2", "a1");
            assertThat(store.list(new AlertFilter(null, "high", null, null, null, 10))).extracting(AlertRow::alertId).containsExactly("a2");
            assertThat(store.list(new AlertFilter("session", null, null, null, null, 10))).extracting(AlertRow::alertId).containsExactly("a1");
            assertThat(store.list(new AlertFilter(null, null, "joe", null, null, 10))).extracting(AlertRow::alertId).containsExactly("a2");
            long nine = Instant.parse("2026-11-02T09:00:00Z").toEpochMilli();
            assertThat(store.list(new AlertFilter(null, null, null, null, nine, 10))).extracting(AlertRow::alertId).containsExactly("a1");
            assertThat(store.counts(AlertFilter.all(10), "severity", 3_600_000L)).extracting(AlertStore.Count::key).containsExactly("medium", "critical");

            store.putAction(new Feedback(Feedback.Action.FALSE_POSITIVE, Instant.parse("2026-12-06T10:00:00Z"), "me", "a1", "jane", null,
                    "session", "rk-a1", null, null, "n"), "f", 0, 0);
            assertThat(store.alert("a1").orElseThrow().status()).isEqualTo("false_positive");
            store.putAction(new Feedback(Feedback.Action.ACKNOWLEDGE, Instant.parse("2026-12-06T10:01:00Z"), "me", "a1", "jane", null,
                    "session", null, null, null, null), "f", 0, 1);
            assertThat(store.alert("a1").orElseThrow().status()).as("an acknowledgement does not undo a false positive").isEqualTo("false_positive");
            assertThat(store.actions("a1", null)).extracting(AlertStore.Action::action).containsExactly("false_positive", "acknowledge");
            Instant until = Instant.parse("2026-12-07T10:00:00Z");
            store.putAction(new Feedback(Feedback.Action.MUTE, Instant.parse("2026-12-06T10:02:00Z"), "me", null, "jane", null,
                    "*", null, null, until, null), "f", 0, 2);
            assertThat(store.actions(null, "jane")).filteredOn(a -> a.action().equals("mute"))
                    .extracting(AlertStore.Action::until).containsExactly(until.toEpochMilli());
        }
        try (AlertStore reopened = new AlertStore(file)) {
            assertThat(reopened.isEmpty()).isFalse();
            assertThat(reopened.offsets("t")).containsEntry(0, 3L).containsEntry(1, 8L);
            assertThat(reopened.offsets("f")).containsEntry(0, 3L);
            assertThat(reopened.alertCount()).isEqualTo(2);
        }
    }

    @Test
    void retentionCountsBackFromTheNewestAlertsEventTime() {
        try (AlertStore store = new AlertStore(dir.resolve("alerts"))) {
            for (String[] a : List.of(new String[] {"old", "2026-10-01T00:00:00Z"}, new String[] {"mid", "2026-10-30T00:00:00Z"},
                    new String[] {"new", "2026-11-02T00:00:00Z"})) {
                store.putAlert(AlertRecord.parse(alert(a[0], a[1], "u", "session", "low")).orElseThrow(), "t", 0, 0);
            }
            assertThat(store.applyRetention(Duration.ofDays(7), System.currentTimeMillis())).isEqualTo(1);
            assertThat(store.list(AlertFilter.all(10))).extracting(AlertRow::alertId).containsExactly("new", "mid");
        }
    }

    @Test
    void feedbackRecordsCarryTheSpecsFields() {
        Instant at = Instant.parse("2026-12-06T10:00:00Z");
        Feedback fp = new Feedback(Feedback.Action.FALSE_POSITIVE, at, "dashboard", "a1", "u123", null, "login-novelty", "9f2c",
                null, Instant.parse("2027-01-05T10:00:00Z"), "free text");
        assertThat(fp.toJson()).isEqualTo("{\"schema_version\":1,\"action\":\"false_positive\",\"at\":\"2026-12-06T10:00:00Z\",\"by\":\"dashboard\","
                + "\"alert_id\":\"a1\",\"user\":\"u123\",\"tenant\":null,\"detector\":\"login-novelty\",\"repeat_key\":\"9f2c\","
                + "\"until\":\"2027-01-05T10:00:00Z\",\"note\":\"free text\"}");
        assertThat(fp.key()).isEqualTo("u123");
        assertThat(Feedback.parse(fp.toJson())).contains(fp);
        Feedback mute = new Feedback(Feedback.Action.MUTE, at, "d", null, "u1", "shop", "*", null, null, at.plusSeconds(60), null);
        assertThat(mute.key()).isEqualTo("shop\u0000u1");
        assertThat(mute.toJson()).contains("\"action\":\"mute\"", "\"tenant\":\"shop\"", "\"detector\":\"*\"", "\"until\":").doesNotContain("alert_id");
        Feedback allow = new Feedback(Feedback.Action.ALLOWLIST, at, "d", null, null, null, null, null, "203.0.113.0/24", null, null);
        assertThat(allow.toJson()).isEqualTo("{\"schema_version\":1,\"action\":\"allowlist\",\"at\":\"2026-12-06T10:00:00Z\",\"by\":\"d\",\"network\":\"203.0.113.0/24\"}");
        assertThat(Feedback.parse("{\"schema_version\":2,\"action\":\"mute\",\"at\":\"2026-12-06T10:00:00Z\"}")).isEmpty();
    }
}
