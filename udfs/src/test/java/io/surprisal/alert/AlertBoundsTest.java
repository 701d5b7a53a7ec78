package io.surprisal.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surprisal.event.Event;
import io.surprisal.event.SafeText;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AlertBoundsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Event event(int i, String userAgent) {
        Event e = new Event();
        e.ts = 1_000_000 + i;
        e.eventId = "ev-" + i;
        e.user = "mallory";
        e.action = "login";
        e.fail = true;
        e.ip = "198.51.100.7";
        e.country = "DE";
        e.userAgent = userAgent;
        return e;
    }

    private static Alert alert(String user) {
        Alert a = new Alert();
        a.ts = 1_000_000;
        a.user = user;
        a.detector = "cep:brute-force";
        a.severity = Severity.HIGH;
        a.score = 6;
        a.threshold = 5;
        a.unit = "failures";
        a.summary = user + " failed to log in 6 times";
        a.reasons.add(new Reason("failed_logins", "6 in 10m", ">= 5", 0));
        return a;
    }

    private static int jsonBytes(Alert a) {
        return AlertJson.toJson(a).getBytes(StandardCharsets.UTF_8).length;
    }

    private static int eventBytes(Alert a) {
        int n = 0;
        for (Event e : a.events) {
            n += AlertJson.toJson(e).getBytes(StandardCharsets.UTF_8).length;
        }
        return n;
    }

    @Test
    void anOrdinaryAlertPassesUntouched() {
        Alert a = alert("jane");
        a.events.add(event(1, "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"));
        a.withDerivedId();
        assertThat(AlertBounds.bound(a)).isSameAs(a);
    }

    @Test
    void twentyEventsWithMegabyteUserAgentsMakeASmallAlertThatSaysWhatWasCut() {
        String megabyte = "Mozilla/5.0 " + "A".repeat(1_000_000);
        Alert a = alert("mallory");
        for (int i = 0; i < 20; i++) {
            a.events.add(event(i, megabyte));
        }
        a.withDerivedId();
        assertThat(jsonBytes(a)).as("unbounded").isGreaterThan(20_000_000);

        Alert b = AlertBounds.bound(a);
        assertThat(jsonBytes(b)).isLessThanOrEqualTo(AlertBounds.EVENTS_MAX_BYTES + 4096);
        assertThat(eventBytes(b)).isLessThanOrEqualTo(AlertBounds.EVENTS_MAX_BYTES);
        assertThat(b.events).hasSizeBetween(1, 20);
        assertThat(b.events.get(0).userAgent).hasSizeLessThanOrEqualTo(AlertBounds.TEXT_MAX).startsWith("Mozilla/5.0 AAA")
                .endsWith("chars]").contains("\u2026[+");
        assertThat(b.alertId).isEqualTo(a.alertId);
        assertThat(a.events).as("the given alert is not changed").hasSize(20);
        assertThat(a.events.get(0).userAgent).isSameAs(megabyte);
    }

    @Test
    void eventsBeyondTheAlertsEventBytesAreLeftOutAndTheSummarySaysSo() {
        // Each event within the per-field bounds, together far above the alert's event bytes.
        String big = "\u0001".repeat(AlertBounds.TEXT_MAX);
        Alert a = alert("mallory");
        for (int i = 0; i < 20; i++) {
            Event e = event(i, big);
            e.city = big;
            e.region = big;
            a.events.add(e);
        }
        a.withDerivedId();
        Alert b = AlertBounds.bound(a);
        assertThat(eventBytes(b)).isLessThanOrEqualTo(AlertBounds.EVENTS_MAX_BYTES);
        assertThat(b.events).hasSizeBetween(1, 19);
        assertThat(b.events.get(0).eventId).isEqualTo("ev-0");
        assertThat(b.summary).isEqualTo("mallory failed to log in 6 times [" + (20 - b.events.size())
                + " of 20 triggering events left out: the events an alert carries are limited to 64 KiB]");
    }

    @Test
    void theWorstAlertAnyInputCanMakeStaysBelowTheBound() throws Exception {
        // Control characters: six bytes each in JSON (\u0001), the most any character costs.
        String worst = "\u0001".repeat(200_000);
        StringBuilder extra = new StringBuilder("{");
        for (int i = 0; i < 200; i++) {
            extra.append(i > 0 ? "," : "").append("\"f").append(i).append("\":\"").append("\\u0001".repeat(2000)).append('"');
        }
        extra.append(",\"nested\":{\"a\":[1,2,{\"b\":\"").append("\\u0001".repeat(5000)).append("\"}]}}");
        Alert a = alert(worst);
        a.session = worst;
        a.summary = worst;
        for (int i = 0; i < 100; i++) {
            a.reasons.add(new Reason(worst, worst, worst, i));
        }
        for (int i = 0; i < 20; i++) {
            Event e = event(i, worst);
            e.eventId = worst;
            e.user = worst;
            e.session = worst;
            e.action = worst;
            e.ip = worst;
            e.country = worst;
            e.region = worst;
            e.city = worst;
            e.device = worst;
            e.friend = worst;
            e.extra = extra.toString();
            a.events.add(e);
        }
        a.withDerivedId();

        Alert b = AlertBounds.bound(a);
        assertThat(jsonBytes(b)).isLessThanOrEqualTo(AlertBounds.ALERT_MAX_BYTES);
        assertThat(eventBytes(b)).isLessThanOrEqualTo(AlertBounds.EVENTS_MAX_BYTES);
        assertThat(b.reasons).hasSize(AlertBounds.MAX_REASONS);
        JsonNode json = JSON.readTree(AlertJson.toJson(b));
        assertThat(json.get("events").get(0).get(AlertBounds.EXTRA_LEFT_OUT_FIELD).asInt()).isPositive();
        assertThat(b.events.get(0).extra.length()).isLessThanOrEqualTo(AlertBounds.EXTRA_MAX);
        System.out.printf("worst alert: %d bytes of JSON (bound %d), %d events%n", jsonBytes(b), AlertBounds.ALERT_MAX_BYTES, b.events.size());
    }

    @Test
    void unknownFieldsAreKeptInOrderWhileTheyFitWithTheirStringsCut() throws Exception {
        String extra = "{\"plan\":\"gold\",\"note\":\"" + "n".repeat(5000) + "\",\"big\":[" + "1,".repeat(3000) + "1],\"tail\":true}";
        String bounded = AlertBounds.boundExtra(extra);
        JsonNode node = JSON.readTree(bounded);
        assertThat(node.get("plan").asText()).isEqualTo("gold");
        assertThat(node.get("note").asText()).hasSizeLessThanOrEqualTo(AlertBounds.TEXT_MAX).startsWith("nnnn").endsWith("chars]");
        assertThat(node.has("big")).isFalse();
        assertThat(node.get("tail").asBoolean()).isTrue();
        assertThat(node.get(AlertBounds.EXTRA_LEFT_OUT_FIELD).asInt()).isEqualTo(1);
        assertThat(bounded.length()).isLessThanOrEqualTo(AlertBounds.EXTRA_MAX);
        assertThat(AlertBounds.boundExtra("{\"a\":1}")).isEqualTo("{\"a\":1}");
    }

    @Test
    void textCutsNeverSplitACharacterAndLoneSurrogatesBecomeReplacementCharacters() {
        Alert a = alert("mal\uD83Dlory");
        a.events.add(event(1, "x".repeat(AlertBounds.TEXT_MAX - 30) + "\uD83D\uDE00".repeat(1000)));
        a.withDerivedId();
        Alert b = AlertBounds.bound(a);
        assertThat(b.user).isEqualTo("mal\uFFFDlory");
        assertThat(b.summary).startsWith("mal\uFFFDlory failed");
        assertThat(b.events.get(0).userAgent).contains("\uD83D\uDE00");
        assertThat(SafeText.hasLoneSurrogate(b.events.get(0).userAgent)).isFalse();
        assertThat(SafeText.hasLoneSurrogate(AlertJson.toJson(b))).isFalse();
    }
}
