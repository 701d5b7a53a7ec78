package io.surprisal.feedback;

import io.surprisal.flink.Descriptors;

import static io.surprisal.alert.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.alert.Alert;
import io.surprisal.alert.Severity;
import io.surprisal.config.ConfigLoader;
import io.surprisal.event.DeadLetter;
import io.surprisal.novelty.AllowlistEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** Feedback's broadcast state: what it holds back, for how long (processing time), across a checkpoint, and how its entries end. */
class FeedbackSuppressionFunctionTest {
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long T0 = 1_800_000_000_000L;

    private static BroadcastOperatorTestHarness<Alert, Feedback, Alert> harness() throws Exception {
        return ProcessFunctionTestHarnesses.forBroadcastProcessFunction(new FeedbackSuppressionFunction(), Descriptors.FEEDBACK_SUPPRESSION);
    }

    /** A harness not yet opened, to restore state into. */
    private static BroadcastOperatorTestHarness<Alert, Feedback, Alert> restoredHarness(OperatorSubtaskState snapshot) throws Exception {
        var h = new BroadcastOperatorTestHarness<>(
                new CoBroadcastWithNonKeyedOperator<>(new FeedbackSuppressionFunction(), List.of(Descriptors.FEEDBACK_SUPPRESSION)), 1, 1, 0);
        h.initializeState(snapshot);
        h.open();
        return h;
    }

    private static Alert janeUa(long ts, String eventId) {
        return alert("jane", "login-novelty", ts, Severity.HIGH, "country", "UA", eventId);
    }

    private static Feedback falsePositive(Alert a, long at, long until) {
        return new Feedback(FeedbackAction.FALSE_POSITIVE, at, until, "dashboard", a.alertId, a.user, a.tenant, a.detector, a.repeatKey, null);
    }

    private static Feedback mute(String user, String detector, long at, long until) {
        return new Feedback(FeedbackAction.MUTE, at, until, "dashboard", null, user, null, detector, null, null);
    }

    private static List<String> sent(BroadcastOperatorTestHarness<Alert, Feedback, Alert> h) {
        List<String> ids = new ArrayList<>();
        for (Alert a : h.extractOutputValues()) {
            ids.add(a.events.get(0).eventId);
        }
        return ids;
    }

    private static void send(BroadcastOperatorTestHarness<Alert, Feedback, Alert> h, Alert a) throws Exception {
        h.processElement(new StreamRecord<>(a, a.ts));
    }

    @Test
    void aFalsePositiveHoldsBackTheSameAlertOfThatUserUntilItEndsAndNothingElse() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(T0);
            Alert first = janeUa(T0, "e1");
            send(h, first);
            h.processBroadcastElement(falsePositive(first, T0, T0 + 2 * HOUR), T0);

            send(h, janeUa(T0 + HOUR, "e2")); // the same alert again: held back
            send(h, alert("jane", "login-novelty", T0 + HOUR, Severity.HIGH, "country", "PL", "e3")); // another repeat key
            send(h, alert("joe", "login-novelty", T0 + HOUR, Severity.HIGH, "country", "UA", "e4")); // another user
            send(h, alert("jane", "transition", T0 + HOUR, Severity.HIGH, "country", "UA", "e5")); // another detector
            h.setProcessingTime(T0 + 2 * HOUR - 1);
            send(h, janeUa(T0 - HOUR, "e6")); // still held, whatever its event time
            h.setProcessingTime(T0 + 2 * HOUR);
            send(h, janeUa(T0 + 2 * HOUR, "e7")); // at its end: sent again
            assertThat(sent(h)).containsExactly("e1", "e3", "e4", "e5", "e7");
        }
    }

    @Test
    void aMuteHoldsBackOneDetectorOrAllOfAUsersAndALaterRecordForTheKeyReplacesOrLiftsIt() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(T0);
            h.processBroadcastElement(mute("jane", "transition", T0, T0 + 10 * HOUR), T0);
            send(h, alert("jane", "transition", T0, Severity.CRITICAL, "transition", "a -> b", "t1"));
            send(h, janeUa(T0, "n1"));
            h.processBroadcastElement(mute("jane", Feedback.ALL_DETECTORS, T0, T0 + 10 * HOUR), T0);
            send(h, janeUa(T0, "n2"));
            send(h, alert("joe", "transition", T0, Severity.HIGH, "transition", "a -> b", "j1"));
            assertThat(sent(h)).containsExactly("n1", "j1");

            // Lifted: a record for the same key that has ended when it comes.
            h.setProcessingTime(T0 + 5);
            h.processBroadcastElement(mute("jane", Feedback.ALL_DETECTORS, T0 + 5, T0 + 5), T0 + 5);
            send(h, janeUa(T0, "n3"));
            send(h, alert("jane", "transition", T0, Severity.HIGH, "transition", "a -> b", "t2"));
            // Replaced: the transition mute now ends sooner.
            h.processBroadcastElement(mute("jane", "transition", T0 + 5, T0 + 8), T0 + 5);
            h.setProcessingTime(T0 + 7);
            send(h, alert("jane", "transition", T0, Severity.HIGH, "transition", "a -> b", "t3"));
            h.setProcessingTime(T0 + 8);
            send(h, alert("jane", "transition", T0, Severity.HIGH, "transition", "a -> b", "t4"));
            assertThat(sent(h)).containsExactly("n1", "j1", "n3", "t4");
        }
    }

    @Test
    void theStateSurvivesACheckpointAndEndedEntriesAreRemovedWhenFeedbackArrives() throws Exception {
        Alert first = janeUa(T0, "e1");
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.setProcessingTime(T0);
            h.processBroadcastElement(falsePositive(first, T0, T0 + 2 * HOUR), T0);
            h.processBroadcastElement(mute("joe", Feedback.ALL_DETECTORS, T0, T0 + 30 * HOUR), T0);
            assertThat(entries(h)).isEqualTo(2);
            snapshot = h.snapshot(1, T0);
        }
        try (var h = restoredHarness(snapshot)) {
            h.setProcessingTime(T0 + HOUR);
            send(h, janeUa(T0 + HOUR, "e2"));
            send(h, alert("joe", "cusum", T0 + HOUR, Severity.HIGH, "cusum_excess_bits", "x", "j1"));
            send(h, alert("ann", "cusum", T0 + HOUR, Severity.HIGH, "cusum_excess_bits", "x", "a1"));
            assertThat(sent(h)).containsExactly("a1");

            // Feedback after the false positive's end removes it; joe's mute still holds.
            h.setProcessingTime(T0 + 3 * HOUR);
            h.processBroadcastElement(mute("ann", "amount", T0 + 3 * HOUR, T0 + 4 * HOUR), T0 + 3 * HOUR);
            assertThat(entries(h)).isEqualTo(2);
            h.setProcessingTime(T0 + 31 * HOUR);
            h.processBroadcastElement(mute("ann", "amount", T0 + 31 * HOUR, T0 + 32 * HOUR), T0 + 31 * HOUR);
            assertThat(entries(h)).isEqualTo(1);
        }
    }

    private static int entries(BroadcastOperatorTestHarness<Alert, Feedback, Alert> h) throws Exception {
        int n = 0;
        for (var ignored : h.getBroadcastState(Descriptors.FEEDBACK_SUPPRESSION).immutableEntries()) {
            n++;
        }
        return n;
    }

    @Test
    void theParserSendsSuppressionsOnAllowlistLinesAsideAndDeadLettersTheRest() throws Exception {
        var config = ConfigLoader.defaults().feedback();
        OneInputStreamOperatorTestHarness<String, Feedback> h = ProcessFunctionTestHarnesses.forProcessFunction(new FeedbackParseFunction(config));
        try (h) {
            h.processElement("{\"action\":\"false_positive\",\"at\":\"2026-12-06T10:00:00Z\",\"user\":\"jane\",\"repeat_key\":\"0123456789abcdef\"}", 0);
            h.processElement("{\"action\":\"mute\",\"at\":\"2026-12-06T10:00:00Z\",\"user\":\"jane\",\"detector\":\"cusum\",\"until\":\"2026-12-07T00:00:00Z\"}", 0);
            h.processElement("{\"action\":\"acknowledge\",\"at\":\"2026-12-06T10:00:00Z\",\"alert_id\":\"a-1\"}", 0);
            h.processElement("{\"action\":\"allowlist\",\"at\":\"2026-12-06T10:00:00Z\",\"network\":\"198.51.100.9/24\",\"user\":\"jane\"}", 0);
            h.processElement("   ", 0);
            h.processElement("{\"action\":\"mute\",\"at\":\"2026-12-06T10:00:00Z\",\"user\":\"jane\"}", 0);

            assertThat(h.extractOutputValues()).extracting(Feedback::action).containsExactly(FeedbackAction.FALSE_POSITIVE, FeedbackAction.MUTE);
            List<String> allowlist = new ArrayList<>();
            h.getSideOutput(Descriptors.FEEDBACK_ALLOWLIST).forEach(r -> allowlist.add(r.getValue()));
            assertThat(allowlist).singleElement().satisfies(line -> {
                AllowlistEntry e = AllowlistEntry.parse(line);
                assertThat(e.add).isTrue();
                assertThat(e.user).isEqualTo("jane");
                assertThat(e.kind).isEqualTo(AllowlistEntry.NETWORK);
                assertThat(e.value).isEqualTo("198.51.100.9/24");
            });
            List<DeadLetter> dead = new ArrayList<>();
            h.getSideOutput(Descriptors.DEAD_LETTERS).forEach(r -> dead.add(r.getValue()));
            assertThat(dead).singleElement().satisfies(d -> {
                assertThat(d.reason).isEqualTo("missing_field");
                assertThat(d.error).contains("detector");
                assertThat(d.source).isEqualTo(FeedbackParseFunction.SOURCE);
            });
        }
    }
}
