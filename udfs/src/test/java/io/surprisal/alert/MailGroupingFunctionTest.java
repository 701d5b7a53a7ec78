package io.surprisal.alert;

import static io.surprisal.alert.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class MailGroupingFunctionTest {
    @Test
    void aUsersAlertsWithinTheWindowBecomeOneGroupAndStateIsEmptied() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<String, Alert, AlertGroup>(
                new KeyedProcessOperator<>(new MailGroupingFunction(Duration.ofMinutes(10))), a -> a.user, Types.STRING);
        h.open();
        try (h) {
            h.processElement(new StreamRecord<>(alert("jane", "login-novelty", 0, Severity.HIGH, "country", "UA", "e1"), 0));
            h.processElement(new StreamRecord<>(alert("jane", "transition", 120_000, Severity.CRITICAL, "transition", "a -> b", "e2"), 120_000));
            h.processElement(new StreamRecord<>(alert("joe", "transition", 300_000, Severity.HIGH, "transition", "a -> b", "e3"), 300_000));
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.numKeyedStateEntries()).isEqualTo(2);

            h.processWatermark(600_000);
            assertThat(h.extractOutputValues()).singleElement().satisfies(g -> {
                assertThat(g.user).isEqualTo("jane");
                assertThat(g.alerts).extracting(a -> a.events.get(0).eventId).containsExactly("e1", "e2");
                assertThat(g.lead().detector).isEqualTo("transition");
            });
            h.processWatermark(900_000);
            assertThat(h.extractOutputValues()).extracting(g -> g.user).containsExactly("jane", "joe");
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
