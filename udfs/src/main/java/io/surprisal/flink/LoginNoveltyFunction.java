package io.surprisal.flink;

import io.surprisal.alert.Alert;
import io.surprisal.config.SurprisalConfig.CepConfig;
import io.surprisal.config.SurprisalConfig.NoveltyConfig;
import io.surprisal.event.Event;
import io.surprisal.novelty.Allowlist;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Detector {@code login-novelty} ({@link LoginNoveltyLogic}), keyed by user, after {@link
 * UserBehaviourFunction}: its input is already in per-user event-time order, so nothing is buffered
 * here, and with one input it chains to that operator (no shuffle, no copy through the network). The
 * allowlist is the configured one; {@link AllowlistedLoginNoveltyFunction} adds updates at run time.
 */
public class LoginNoveltyFunction extends KeyedProcessFunction<String, Event, Event> implements CheckpointedFunction {
    public static final String DETECTOR = "login-novelty";

    private final LoginNoveltyLogic logic;
    private transient LoginNoveltyLogic.AllowlistSource allowlist;

    public LoginNoveltyFunction(NoveltyConfig config, CepConfig cep, java.time.Duration ttl, int maxEvents) {
        this.logic = new LoginNoveltyLogic(config, cep, ttl, maxEvents);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        logic.initializeState(context, getRuntimeContext().getTaskInfo());
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        logic.snapshotState(getRuntimeContext().getTaskInfo());
    }

    @Override
    public void open(OpenContext openContext) {
        logic.open(getRuntimeContext());
        Allowlist configured = Allowlist.of(logic.configuredAllowlist());
        allowlist = () -> configured;
    }

    @Override
    public void processElement(Event e, Context ctx, Collector<Event> out) throws Exception {
        Alert alert = logic.process(e, allowlist, ctx::output);
        if (alert != null) {
            ctx.output(Descriptors.ALERTS, alert);
        }
        out.collect(e);
    }

    /** For tests and diagnostics: logins the population model has counted on this instance. */
    public long populationLogins() {
        return logic.populationLogins();
    }
}
