package io.surprisal.alert;

import static io.surprisal.alert.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.config.ConfigLoader;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class AlertSuppressionFunctionTest {
    private static final long HOUR = 3_600_000L;

    private static KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> harness(String... sets) throws Exception {
        var config = ConfigLoader.load(null, List.of(sets)).suppression();
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AlertSuppressionFunction(config)),
                new AlertSuppressionFunction.Key(), Types.STRING);
        h.open();
        return h;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> budgetHarness(String... sets) throws Exception {
        var config = ConfigLoader.load(null, List.of(sets)).suppression();
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AlertSuppressionFunction(config, AlertSuppressionFunction.Scope.DETECTOR)),
                new AlertSuppressionFunction.DetectorKey(), Types.STRING);
        h.open();
        return h;
    }

    private static List<Alert> outputs(KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> h) {
        return h.extractOutputValues();
    }

    @Test
    void repeatsWithinTheWindowBecomeOneRollUpAndStateIsEmptiedAfterTheWindow() throws Exception {
        try (var h = harness()) {
            h.processElement(new StreamRecord<>(alert("jane", "login-novelty", 1000, Severity.CRITICAL, "country", "UA", "e1"), 1000));
            h.processElement(new StreamRecord<>(alert("jane", "login-novelty", 2000, Severity.MEDIUM, "country", "UA", "e2"), 2000));
            h.processElement(new StreamRecord<>(alert("jane", "login-novelty", 3000, Severity.HIGH, "country", "UA", "e3"), 3000));
            h.processElement(new StreamRecord<>(alert("jane", "login-novelty", 4000, Severity.LOW, "country", "UA", "e4"), 4000));
            // A different main reason and a different user are different keys.
            h.processElement(new StreamRecord<>(alert("jane", "login-novelty", 5000, Severity.HIGH, "country", "PL", "e5"), 5000));
            h.processElement(new StreamRecord<>(alert("joe", "login-novelty", 5000, Severity.HIGH, "country", "UA", "e6"), 5000));
            // The first alert of each key leaves at once, ahead of the watermark, and nothing waits
            // in state but the three windows.
            assertThat(outputs(h)).extracting(a -> a.events.get(0).eventId).containsExactly("e1", "e5", "e6");
            assertThat(outputs(h)).allSatisfy(a -> assertThat(a.repeats).isEqualTo(1));
            assertThat(h.numKeyedStateEntries()).isEqualTo(3);
            assertThat(h.numEventTimeTimers()).isEqualTo(3);
            h.processWatermark(5000);
            assertThat(outputs(h)).hasSize(3);

            h.processWatermark(1000 + HOUR - 1);
            assertThat(outputs(h)).hasSize(3);

            h.processWatermark(1000 + HOUR);
            List<Alert> out = outputs(h);
            assertThat(out).hasSize(4);
            Alert rollUp = out.get(3);
            assertThat(rollUp.repeats).isEqualTo(3);
            // The highest severity held back (the first alert's is not among them).
            assertThat(rollUp.severity).isEqualTo(Severity.HIGH);
            assertThat(rollUp.events.get(0).eventId).isEqualTo("e4");
            assertThat(rollUp.summary).startsWith("3 alerts with the same reason held back");
            // The roll-up is the same alert again: it keeps the repeat key a false positive names.
            assertThat(rollUp.repeatKey).isEqualTo(out.get(0).repeatKey)
                    .isEqualTo(alert("jane", "login-novelty", 4000, Severity.LOW, "country", "UA", "e4").repeatKey);

            h.processWatermark(5000 + HOUR);
            // Windows without repeats close silently; nothing is left behind.
            assertThat(outputs(h)).hasSize(4);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void anEscalationPassesAtOnceAndOnlyRepeatsAtItsSeverityAreHeld() throws Exception {
        try (var h = harness()) {
            // A high alert opens the window; the critical one with the same main reason (a success
            // after the same failed logins) must not wait for the window to close.
            h.processElement(new StreamRecord<>(alert("jane", "login-novelty", 1000, Severity.HIGH, "country", "UA", "e1"), 1000));
            h.processElement(new StreamRecord<>(alert("jane", "login-novelty", 2000, Severity.MEDIUM, "country", "UA", "e2"), 2000));
            h.processElement(new StreamRecord<>(alert("jane", "login-novelty", 3000, Severity.CRITICAL, "country", "UA", "e3"), 3000));
            h.processElement(new StreamRecord<>(alert("jane", "login-novelty", 4000, Severity.CRITICAL, "country", "UA", "e4"), 4000));
            h.processElement(new StreamRecord<>(alert("jane", "login-novelty", 5000, Severity.HIGH, "country", "UA", "e5"), 5000));
            assertThat(outputs(h)).extracting(a -> a.events.get(0).eventId + "x" + a.repeats + " " + a.severity)
                    .containsExactly("e1x1 HIGH", "e3x1 CRITICAL");

            h.processWatermark(1000 + HOUR);
            // e2, e4 and e5 were held: one roll-up, at the highest severity held, the latest alert's events.
            Alert rollUp = outputs(h).get(2);
            assertThat(outputs(h)).hasSize(3);
            assertThat(rollUp.repeats).isEqualTo(3);
            assertThat(rollUp.severity).isEqualTo(Severity.CRITICAL);
            assertThat(rollUp.events.get(0).eventId).isEqualTo("e5");
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void anAlertPastTheWindowClosesItBeforeTheTimerFires() throws Exception {
        try (var h = harness("suppression.window=10m")) {
            h.processElement(new StreamRecord<>(alert("jane", "transition", 0, Severity.HIGH, "transition", "a -> b", "e1"), 0));
            h.processElement(new StreamRecord<>(alert("jane", "transition", 60_000, Severity.HIGH, "transition", "a -> b", "e2"), 60_000));
            h.processElement(new StreamRecord<>(alert("jane", "transition", 600_000, Severity.HIGH, "transition", "a -> b", "e3"), 600_000));
            h.processWatermark(600_000);
            assertThat(outputs(h)).extracting(a -> a.events.get(0).eventId + "x" + a.repeats).containsExactly("e1x1", "e2x1", "e3x1");
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            h.processWatermark(1_200_000);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void theBudgetLetsMaxAlertsOfAUserAndDetectorThroughWhateverTheirReasonsThenOneRollUp() throws Exception {
        try (var h = budgetHarness()) {
            // A login from a new country every second: each alert has a main reason of its own.
            for (int i = 0; i < 1_000; i++) {
                Severity severity = i == 500 ? Severity.CRITICAL : Severity.HIGH;
                h.processElement(new StreamRecord<>(alert("jane", "login-novelty", i * 1000L, severity, "country", "C" + i, "e" + i), i * 1000L));
            }
            // Another detector of the same user, and another user, have budgets of their own.
            h.processElement(new StreamRecord<>(alert("jane", "transition", 5000, Severity.HIGH, "transition", "a -> b", "t1"), 5000));
            h.processElement(new StreamRecord<>(alert("joe", "login-novelty", 5000, Severity.HIGH, "country", "UA", "j1"), 5000));
            // The first ten and the escalation leave at once; one window per key waits.
            assertThat(outputs(h)).extracting(a -> a.events.get(0).eventId)
                    .containsExactly("e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9", "e500", "t1", "j1");
            assertThat(h.numKeyedStateEntries()).isEqualTo(3);
            assertThat(h.numEventTimeTimers()).isEqualTo(3);

            h.processWatermark(HOUR);
            List<Alert> out = outputs(h);
            assertThat(out).hasSize(14);
            Alert rollUp = out.get(13);
            assertThat(rollUp.repeats).isEqualTo(989);
            assertThat(rollUp.events.get(0).eventId).isEqualTo("e999");
            assertThat(rollUp.severity).isEqualTo(Severity.HIGH);
            assertThat(rollUp.summary).startsWith("989 alerts of login-novelty for jane over the budget of 10 per 1 h held back; the latest: ");
            // The budget's roll-up is the latest held-back alert again, with its repeat key.
            assertThat(rollUp.repeatKey).isEqualTo(alert("jane", "login-novelty", 999_000L, Severity.HIGH, "country", "C999", "e999").repeatKey)
                    .isNotEqualTo(out.get(0).repeatKey);
            assertThat(AlertSuppressionFunction.isRollUp(rollUp)).isTrue();
            h.processWatermark(5000 + HOUR);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void behindTheBudgetTheReasonRuleCountsARollUpForAllItStandsFor() throws Exception {
        try (var budget = budgetHarness("suppression.max-alerts=2"); var reason = harness()) {
            for (int i = 0; i < 50; i++) {
                // The same main reason every time, then a new one for the last ten.
                String observed = i < 40 ? "UA" : "C" + i;
                budget.processElement(new StreamRecord<>(alert("jane", "login-novelty", i * 1000L, Severity.HIGH, "country", observed, "e" + i), i * 1000L));
            }
            budget.processWatermark(HOUR);
            for (Alert a : outputs(budget)) {
                reason.processElement(new StreamRecord<>(a, Math.max(a.ts, 0)));
            }
            reason.processWatermark(2 * HOUR);
            // The budget let e0 and e1 through and rolled up 48; the reason rule let e0 through,
            // held e1 (same reason), and let the budget's roll-up (latest: C49) through.
            assertThat(outputs(budget)).extracting(a -> a.events.get(0).eventId + "x" + a.repeats).containsExactly("e0x1", "e1x1", "e49x48");
            assertThat(outputs(reason)).extracting(a -> a.events.get(0).eventId + "x" + a.repeats).containsExactly("e0x1", "e49x48", "e1x1");
            // Every alert is accounted for: 1 + 48 + 1.
            assertThat(outputs(reason).stream().mapToInt(a -> a.repeats).sum()).isEqualTo(50);
            assertThat(reason.numKeyedStateEntries()).isZero();
            assertThat(budget.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void perDetectorWindowsAndZeroTurnSuppressionOff() throws Exception {
        var config = ConfigLoader.fromYaml("suppression: {detectors: {session: 0s, transition: 5m}}").suppression();
        assertThat(config.windowFor("session")).isZero();
        assertThat(config.windowFor("transition")).hasMinutes(5);
        assertThat(config.windowFor("login-novelty")).hasHours(1);
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AlertSuppressionFunction(config)), new AlertSuppressionFunction.Key(), Types.STRING);
        h.open();
        try (h) {
            h.processElement(new StreamRecord<>(alert("jane", "session", 0, Severity.HIGH, "f", "o", "e1"), 0));
            h.processElement(new StreamRecord<>(alert("jane", "session", 1, Severity.HIGH, "f", "o", "e2"), 1));
            assertThat(h.extractOutputValues()).hasSize(2);
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }
}
