package io.surprisal.feedback;

import io.surprisal.flink.Descriptors;

import io.surprisal.alert.Alert;
import io.surprisal.event.SafeText;
import io.surprisal.event.Timestamps;
import io.surprisal.event.UserKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds back the alerts people have said not to send: a false positive (the user's alerts with its
 * repeat key) or a mute (the user's alerts of one detector, or of all), until the record's {@code
 * until} on the clock (processing time): "not sent until then" is about sending, and a person's "for
 * an hour" means an hour from now even when the job replays old events. Feedback arrives on the
 * broadcast input ({@link FeedbackParseFunction}) and lives in broadcast state, checkpointed with the
 * job, one entry per {@link Feedback#suppressionKey()}: a later record for the same key replaces the
 * earlier one, and one that has already ended lifts it. Ended entries are removed whenever a
 * feedback record arrives (broadcast state can change only then; feedback is people's actions, so
 * there are few).
 *
 * <p>Sits last before the sinks, after the bounds, so it matches the user as the alert's subscribers
 * saw it. Every alert held back is counted ({@code feedback.suppressed}) and logged at debug.
 */
public class FeedbackSuppressionFunction extends BroadcastProcessFunction<Alert, Feedback, Alert> {
    private static final Logger LOG = LoggerFactory.getLogger(FeedbackSuppressionFunction.class);

    private transient Counter suppressed;

    @Override
    public void open(OpenContext openContext) {
        suppressed = getRuntimeContext().getMetricGroup().addGroup("feedback").counter("suppressed");
    }

    @Override
    public void processElement(Alert alert, ReadOnlyContext ctx, Collector<Alert> out) throws Exception {
        ReadOnlyBroadcastState<String, Long> state = ctx.getBroadcastState(Descriptors.FEEDBACK_SUPPRESSION);
        String user = UserKey.of(alert.tenant, alert.user);
        long now = ctx.currentProcessingTime();
        String why = holds(state, Feedback.falsePositiveKey(user, alert.repeatKey), now, "a false positive");
        if (why == null) {
            why = holds(state, Feedback.muteKey(user, alert.detector), now, "a mute of " + alert.detector);
        }
        if (why == null) {
            why = holds(state, Feedback.muteKey(user, Feedback.ALL_DETECTORS), now, "a mute of all detectors");
        }
        if (why == null) {
            out.collect(alert);
            return;
        }
        suppressed.inc();
        if (LOG.isDebugEnabled()) {
            LOG.debug("alert {} ({}, {}, repeat key {}) not sent: {}", alert.alertId, SafeText.log(alert.detector),
                    SafeText.log(alert.user), alert.repeatKey, why);
        }
    }

    /** Why the entry under {@code key} holds alerts back at {@code now}, or null when it does not. */
    private static String holds(ReadOnlyBroadcastState<String, Long> state, String key, long now, String what) throws Exception {
        Long until = state.get(key);
        return until != null && now < until ? what + " until " + Timestamps.format(until) : null;
    }

    @Override
    public void processBroadcastElement(Feedback f, Context ctx, Collector<Alert> out) throws Exception {
        BroadcastState<String, Long> state = ctx.getBroadcastState(Descriptors.FEEDBACK_SUPPRESSION);
        state.put(f.suppressionKey(), f.until());
        long now = ctx.currentProcessingTime();
        List<String> ended = new ArrayList<>();
        for (Map.Entry<String, Long> e : state.immutableEntries()) {
            if (e.getValue() <= now) {
                ended.add(e.getKey());
            }
        }
        for (String key : ended) {
            state.remove(key);
        }
    }
}
