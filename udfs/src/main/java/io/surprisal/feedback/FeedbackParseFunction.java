package io.surprisal.feedback;

import io.surprisal.flink.Descriptors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.surprisal.config.SurprisalConfig.FeedbackConfig;
import io.surprisal.event.DeadLetter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Feedback records (JSON lines) into what the job does with them: false positives and mutes on the
 * main output, for {@link FeedbackSuppressionFunction}; allowlist actions as allowlist update lines
 * on {@link Descriptors#FEEDBACK_ALLOWLIST}, for login novelty's allowlist; acknowledgements counted
 * and dropped; invalid records to {@link Descriptors#DEAD_LETTERS} with the reason. Parsed here,
 * once, before the broadcast, so that each invalid record is one dead letter.
 */
public class FeedbackParseFunction extends ProcessFunction<String, Feedback> {
    /** The dead letters' {@code source}: the records carry no position of their own. */
    public static final String SOURCE = "feedback";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FeedbackConfig config;
    private transient FeedbackParser parser;
    private transient Counter falsePositives;
    private transient Counter mutes;
    private transient Counter allowlisted;
    private transient Counter acknowledged;
    private transient Counter invalid;

    public FeedbackParseFunction(FeedbackConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) {
        parser = new FeedbackParser(config.falsePositiveFor());
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("feedback");
        falsePositives = g.counter("falsePositives");
        mutes = g.counter("mutes");
        allowlisted = g.counter("allowlisted");
        acknowledged = g.counter("acknowledged");
        invalid = g.counter("invalid");
    }

    @Override
    public void processElement(String line, Context ctx, Collector<Feedback> out) {
        if (line == null || line.isBlank()) {
            return;
        }
        Feedback f;
        try {
            f = parser.parse(line);
        } catch (InvalidFeedbackException e) {
            invalid.inc();
            ctx.output(Descriptors.DEAD_LETTERS, new DeadLetter(e.reason(), e.getMessage(), line, SOURCE));
            return;
        }
        switch (f.action()) {
            case FALSE_POSITIVE -> {
                falsePositives.inc();
                out.collect(f);
            }
            case MUTE -> {
                mutes.inc();
                out.collect(f);
            }
            case ALLOWLIST -> {
                allowlisted.inc();
                ctx.output(Descriptors.FEEDBACK_ALLOWLIST, allowlistUpdate(f));
            }
            case ACKNOWLEDGE -> acknowledged.inc();
        }
    }

    /** The allowlist update line ({@code AllowlistEntry}'s format) that adds the record's network. */
    static String allowlistUpdate(Feedback f) {
        ObjectNode n = JSON.createObjectNode().put("op", "add").put("network", f.network());
        if (f.user() != null) {
            n.put("user", f.user());
        }
        return n.toString();
    }
}
