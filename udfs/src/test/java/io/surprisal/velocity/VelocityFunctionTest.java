package io.surprisal.velocity;

import io.surprisal.flink.Descriptors;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.alert.Alert;
import io.surprisal.alert.Severity;
import io.surprisal.cep.CepPatterns;
import io.surprisal.config.ConfigLoader;
import io.surprisal.event.Event;
import io.surprisal.event.UserKey;
import io.surprisal.novelty.LoginHarness;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Detector {@code velocity} in a keyed harness: alerts, late events, state cleared by its timer. */
class VelocityFunctionTest {
    private static final long T0 = 1_800_000_000_000L;

    private static KeyedOneInputStreamOperatorTestHarness<String, Event, Alert> harness() throws Exception {
        return LoginHarness.harness(new VelocityFunction(ConfigLoader.defaults()), new UserKey());
    }

    private static Event event(String user, long ts, int i) {
        Event e = new Event();
        e.ts = ts;
        e.eventId = user + "-" + i;
        e.user = user;
        e.action = "view_item";
        e.bits = 0.5;
        return e;
    }

    private static List<Alert> alerts(KeyedOneInputStreamOperatorTestHarness<String, Event, Alert> h) {
        List<Alert> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof Alert a) {
                out.add(a);
            }
        }
        return out;
    }

    @Test
    void aCrawlerAtTwentyEventsAMinuteAlertsOnceAndItsStateGoesWhenItStops() throws Exception {
        try (var h = harness()) {
            long ts = T0;
            for (int i = 0; i < 20 * 8; i++) {
                ts = T0 + i * 3000L + (i % 3) * 700L; // ~20 a minute, gaps of 2.3..4.4 s (cv ~0.3: not "regular")
                h.processElement(new StreamRecord<>(event("crawler", ts, i), ts));
                h.processElement(new StreamRecord<>(event("person", T0 + i * 25_000L + (i % 5) * 3000L, i), T0 + i * 25_000L + (i % 5) * 3000L));
            }
            h.processWatermark(ts);
            List<Alert> alerts = alerts(h);
            assertThat(alerts).hasSize(1);
            Alert a = alerts.get(0);
            assertThat(a.detector).isEqualTo("velocity");
            assertThat(a.user).isEqualTo("crawler");
            assertThat(a.severity).isEqualTo(Severity.HIGH);
            assertThat(a.unit).isEqualTo("events/min");
            assertThat(a.score).isEqualTo(16.0);
            assertThat(a.events).hasSize(20).allSatisfy(e -> assertThat(e.user).isEqualTo("crawler"));
            assertThat(a.reasons.get(0).bits).isEqualTo(20 * 0.5);
            assertThat(h.numKeyedStateEntries()).isPositive();

            // Both users go quiet: after the idle time (max of 2 min and max-regular-gap 5 min) nothing is left.
            h.processWatermark(T0 + 2 * 3600_000L);
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void aScriptOnAFixedSleepIsTooRegular() throws Exception {
        try (var h = harness()) {
            for (int i = 0; i < 25; i++) {
                long ts = T0 + i * 10_000L;
                h.processElement(new StreamRecord<>(event("cron", ts, i), ts));
            }
            h.processWatermark(T0 + 3600_000L);
            List<Alert> alerts = alerts(h);
            assertThat(alerts).hasSize(1);
            assertThat(alerts.get(0).unit).isEqualTo("cv");
            assertThat(alerts.get(0).score).isZero();
            assertThat(alerts.get(0).summary).contains("too regular");
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void aLateEventIsADeadLetter() throws Exception {
        try (var h = harness()) {
            h.processWatermark(T0);
            h.processElement(new StreamRecord<>(event("x", T0 - 1000, 1), T0 - 1000));
            assertThat(h.getSideOutput(Descriptors.DEAD_LETTERS)).singleElement()
                    .satisfies(r -> assertThat(r.getValue().reason).isEqualTo("late"));
            assertThat(alerts(h)).isEmpty();
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }
}
