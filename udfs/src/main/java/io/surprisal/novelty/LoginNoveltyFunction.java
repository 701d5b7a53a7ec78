package io.surprisal.novelty;

import io.surprisal.config.SurprisalConfig.CepConfig;
import io.surprisal.config.SurprisalConfig.ModelDetectorConfig;
import io.surprisal.config.SurprisalConfig.NoveltyConfig;
import io.surprisal.event.Event;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import io.surprisal.config.SurprisalConfig.StateConfig;
import org.apache.flink.util.Collector;

/**
 * Detector {@code login-novelty} ({@link LoginNoveltyLogic}), keyed by user, after {@link
 * UserBehaviourFunction}: its input is already in per-user event-time order, so nothing is buffered
 * here, and with one input it chains to that operator (no shuffle, no copy through the network). The
 * allowlist and the login model are the configured ones; {@link LoginNoveltyWithUpdatesFunction}
 * adds updates at run time.
 */
public class LoginNoveltyFunction extends KeyedProcessFunction<String, Event, Event> implements RunsLoginNovelty {
    public static final String DETECTOR = "login-novelty";

    private final LoginNoveltyLogic logic;
    private transient LoginNoveltyLogic.AllowlistSource allowlist;

    public LoginNoveltyFunction(NoveltyConfig config, CepConfig cep, StateConfig state, int maxEvents) {
        this(config, cep, null, state, maxEvents);
    }

    /** @param model detector model's configuration: with {@code logins} on, logins are scored by its login model */
    public LoginNoveltyFunction(NoveltyConfig config, CepConfig cep, ModelDetectorConfig model, StateConfig state, int maxEvents) {
        this.logic = new LoginNoveltyLogic(config, cep, model, state, maxEvents);
    }

    @Override
    public void open(OpenContext openContext) {
        logic.open(getRuntimeContext());
        Allowlist configured = Allowlist.of(logic.configuredAllowlist());
        allowlist = () -> configured;
    }

    @Override
    public void close() {
        logic.close();
    }

    @Override
    public void processElement(Event e, Context ctx, Collector<Event> out) throws Exception {
        logic.process(ctx.getCurrentKey(), e, allowlist, ctx::output);
        out.collect(e);
    }

    /** For tests and diagnostics: logins the population model has counted on this instance. */
    public long populationLogins() {
        return logic.populationLogins();
    }

    @Override
    public LoginNoveltyLogic logic() {
        return logic;
    }
}
