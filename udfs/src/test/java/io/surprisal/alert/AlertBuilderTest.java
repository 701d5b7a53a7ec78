package io.surprisal.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surprisal.event.Event;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertBuilderTest {

    private static Event event(int i) {
        Event e = new Event();
        e.ts = 1_000_000 + i;
        e.eventId = "ev-" + i;
        e.user = "jane";
        e.session = "s-1";
        e.action = "login";
        return e;
    }

    private static List<Event> events(int n) {
        List<Event> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(event(i));
        }
        return all;
    }

    @Test
    void takesTimeUserAndSessionFromTheTriggerAndDerivesTheId() {
        Event trigger = event(7);
        Alert a = AlertBuilder.of("transition", trigger, 20)
                .bits(19.5, 13.0)
                .summary("jane went from login to buy")
                .reason("transition", "login -> buy", "a common step", 19.5)
                .event(trigger)
                .build();

        assertThat(a.ts).isEqualTo(trigger.ts);
        assertThat(a.user).isEqualTo("jane");
        assertThat(a.session).isEqualTo("s-1");
        assertThat(a.detector).isEqualTo("transition");
        assertThat(a.unit).isEqualTo("bits");
        assertThat(a.score).isEqualTo(19.5);
        assertThat(a.threshold).isEqualTo(13.0);
        assertThat(a.summary).isEqualTo("jane went from login to buy");
        assertThat(a.reasons).extracting(r -> r.feature).containsExactly("transition");
        assertThat(a.events).containsExactly(trigger);
        assertThat(a.repeats).isEqualTo(1);

        Alert same = new Alert();
        same.detector = "transition";
        same.user = "jane";
        same.events = List.of(trigger);
        assertThat(a.alertId).isNotNull().isEqualTo(same.withDerivedId().alertId);
    }

    @Test
    void anAlertWithoutATenantKeepsItsIdAndJsonAndOneWithATenantSaysSo() {
        Event plain = event(3);
        Alert a = AlertBuilder.of("transition", plain, 20).bits(19.5, 13.0).summary("s").event(plain).build();
        // The id of an alert without tenant is the one it always had: detector, user, event ids.
        assertThat(a.tenant).isNull();
        assertThat(a.alertId).isEqualTo(java.util.UUID.nameUUIDFromBytes(
                "transition\njane\nev-3".getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
        assertThat(AlertJson.toJson(a)).doesNotContain("tenant");

        Event t1 = event(3);
        t1.tenant = "t1";
        Event t2 = event(3);
        t2.tenant = "t2";
        Alert b1 = AlertBuilder.of("transition", t1, 20).bits(19.5, 13.0).summary("s").event(t1).build();
        Alert b2 = AlertBuilder.of("transition", t2, 20).bits(19.5, 13.0).summary("s").event(t2).build();
        assertThat(b1.user).isEqualTo("jane");
        assertThat(b1.tenant).isEqualTo("t1");
        assertThat(b1.alertId).isNotEqualTo(b2.alertId).isNotEqualTo(a.alertId);
        assertThat(AlertJson.toJson(b1)).contains("\"user\":\"jane\",\"tenant\":\"t1\",\"detector\"")
                .contains("\"event_id\":\"ev-3\",\"user\":\"jane\",\"tenant\":\"t1\",");
    }

    @Test
    void aScoreInBitsIsAsSevereAsItPassesItsThresholdUnlessTold() {
        Event e = event(1);
        assertThat(AlertBuilder.of("d", e, 1).bits(14.9, 13.0).summary("s").build().severity).isEqualTo(Severity.LOW);
        assertThat(AlertBuilder.of("d", e, 1).bits(15.0, 13.0).summary("s").build().severity).isEqualTo(Severity.MEDIUM);
        assertThat(AlertBuilder.of("d", e, 1).bits(25.0, 13.0).summary("s").build().severity).isEqualTo(Severity.CRITICAL);
        assertThat(AlertBuilder.of("d", e, 1).bits(3.0, 0).severity(Severity.HIGH).summary("s").build().severity)
                .isEqualTo(Severity.HIGH);
    }

    @Test
    void aScoreInAnotherUnitNeedsItsSeverity() {
        AlertBuilder noSeverity = AlertBuilder.of("cep:brute-force", event(1), 20).score(12, 10, "failed logins").summary("s");
        assertThatThrownBy(noSeverity::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("failed logins");

        Alert a = noSeverity.severity(Severity.HIGH).build();
        assertThat(a.severity).isEqualTo(Severity.HIGH);
        assertThat(a.unit).isEqualTo("failed logins");
    }

    @Test
    void anAlertWithoutScoreOrSummaryIsNotBuilt() {
        assertThatThrownBy(() -> AlertBuilder.of("d", event(1), 1).summary("s").build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> AlertBuilder.of("d", event(1), 1).bits(1, 0).build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void manyEventsKeepTheFirstOnesAndTheLast() {
        List<Event> all = events(30);
        Alert a = AlertBuilder.of("cep:brute-force", all.get(29), 5)
                .severity(Severity.HIGH).score(30, 10, "failed logins").summary("s")
                .events(all)
                .build();
        assertThat(a.events).extracting(e -> e.eventId).containsExactly("ev-0", "ev-1", "ev-2", "ev-3", "ev-29");

        Alert few = AlertBuilder.of("cep:brute-force", all.get(2), 5)
                .severity(Severity.HIGH).score(3, 10, "failed logins").summary("s")
                .events(all.subList(0, 3))
                .build();
        assertThat(few.events).extracting(e -> e.eventId).containsExactly("ev-0", "ev-1", "ev-2");
    }

    @Test
    void singleEventsStopAtTheCap() {
        AlertBuilder b = AlertBuilder.of("cusum", event(0), 2).bits(20, 10).summary("s");
        assertThat(b.hasRoomForEvent()).isTrue();
        b.event(event(0)).event(event(1));
        assertThat(b.hasRoomForEvent()).isFalse();
        b.event(event(2));
        assertThat(b.build().events).extracting(e -> e.eventId).containsExactly("ev-0", "ev-1");
    }

    @Test
    void anAlertNotTriggeredByOneEventTakesWhoAndWhenAsGiven() {
        Alert a = AlertBuilder.of("session", 5_000, null, "s-9", 20).bits(20, 12).summary("s").build();
        assertThat(a.ts).isEqualTo(5_000);
        assertThat(a.user).isNull();
        assertThat(a.session).isEqualTo("s-9");
        assertThat(a.alertId).isNotNull();
    }

    @Test
    void theUserCanBeAnIp() {
        Event e = event(1);
        e.ip = "192.0.2.7";
        Alert a = AlertBuilder.of("cep:credential-stuffing", e, 20).user("ip:" + e.ip)
                .severity(Severity.HIGH).score(12, 10, "users").summary("s").event(e).build();
        assertThat(a.user).isEqualTo("ip:192.0.2.7");
        assertThat(a.session).isEqualTo("s-1");
    }

    @Test
    void anEmittedAlertIsNotChangedByItsBuilder() {
        AlertBuilder b = AlertBuilder.of("transition", event(1), 20).bits(20, 10).summary("s");
        Alert a = b.build();
        assertThatThrownBy(() -> b.summary("other")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class);
        assertThat(a.summary).isEqualTo("s");
    }

    @Test
    void theRepeatKeyIsTheDetectorTheUsersKeyAndTheRepeatPartsHashed() {
        String key = repeatKey("transition", null, "jane", "login -> buy");
        assertThat(key).matches("[0-9a-f]{16}");
        // Deterministic, and independent of the events and the score: a repeat has other events.
        assertThat(repeatKey("transition", null, "jane", "login -> buy")).isEqualTo(key);
        assertThat(AlertBuilder.of("transition", event(9), 20).bits(40, 13).summary("again").repeatOn("login -> buy")
                .event(event(9)).build().repeatKey).isEqualTo(key);
        // Any other detector, user, tenant or part is another key.
        assertThat(List.of(repeatKey("session", null, "jane", "login -> buy"), repeatKey("transition", null, "joe", "login -> buy"),
                repeatKey("transition", "shop-eu", "jane", "login -> buy"), repeatKey("transition", null, "jane", "login -> pay"),
                repeatKey("transition", null, "jane", null)))
                .doesNotContain(key).doesNotHaveDuplicates();
        // Parts stay apart whatever text they hold.
        assertThat(RepeatKey.of("d", null, "u", List.of("a\n1:b"))).isNotEqualTo(RepeatKey.of("d", null, "u", List.of("a", "b")));
    }

    private static String repeatKey(String detector, String tenant, String user, String part) {
        Event e = event(1);
        e.user = user;
        e.tenant = tenant;
        AlertBuilder b = AlertBuilder.of(detector, e, 20).bits(20, 13).summary("s").event(e);
        if (part != null) {
            b.repeatOn(part);
        }
        return b.build().repeatKey;
    }
}
