package io.surprisal.novelty;

import io.surprisal.flink.BroadcastModel;
import io.surprisal.flink.Descriptors;

import io.surprisal.classifier.LoadedModel;
import io.surprisal.classifier.ModelFiles;
import io.surprisal.config.SurprisalConfig.CepConfig;
import io.surprisal.config.SurprisalConfig.ModelDetectorConfig;
import io.surprisal.config.SurprisalConfig.NoveltyConfig;
import io.surprisal.event.DeadLetter;
import io.surprisal.event.DeadLetterReason;
import io.surprisal.event.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import io.surprisal.config.SurprisalConfig.StateConfig;
import org.apache.flink.util.Collector;

/**
 * Detector {@code login-novelty} ({@link LoginNoveltyLogic}) with updates at run time on a
 * broadcast input ({@link LoginNoveltyUpdate}): allowlist lines ({@link AllowlistEntry}) add to or
 * remove from the configured allowlist; model lines ({@link ModelFiles#parseUpdate(String,
 * String)}) replace detector {@code model}'s login model, kept in broadcast state ({@link
 * Descriptors#LOGIN_MODEL}) so a restore scores with it again. Bad lines go to the dead letters
 * (a model update without a login model is not one: it is for the sessions' operator). Used when an
 * allowlist or model updates source is configured; without one, {@link LoginNoveltyFunction} does
 * the same work chained to its input.
 */
public class LoginNoveltyWithUpdatesFunction extends KeyedBroadcastProcessFunction<String, Event, LoginNoveltyUpdate, Event>
        implements RunsLoginNovelty {

    private final LoginNoveltyLogic logic;
    private transient Allowlist allowlist;
    /** The login model restored from broadcast state, applied once the logic is open. */
    private transient ModelFiles restored;

    public LoginNoveltyWithUpdatesFunction(NoveltyConfig config, CepConfig cep, StateConfig state, int maxEvents) {
        this(config, cep, null, state, maxEvents);
    }

    public LoginNoveltyWithUpdatesFunction(NoveltyConfig config, CepConfig cep, ModelDetectorConfig model, StateConfig state,
            int maxEvents) {
        this.logic = new LoginNoveltyLogic(config, cep, model, state, maxEvents);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        RunsLoginNovelty.super.initializeState(context);
        restored = BroadcastModel.restore(context.getOperatorStateStore().getBroadcastState(Descriptors.LOGIN_MODEL));
    }

    @Override
    public void open(OpenContext openContext) {
        logic.open(getRuntimeContext());
        if (restored != null && logic.loginModel() != null) {
            logic.useLoginModel(logic.loginModel().load(restored)); // the last update wins over the configured path
        }
        restored = null;
    }

    @Override
    public void close() {
        logic.close();
    }

    @Override
    public void processElement(Event e, ReadOnlyContext ctx, Collector<Event> out) throws Exception {
        logic.process(ctx.getCurrentKey(), e, () -> allowlist(ctx), ctx::output);
        out.collect(e);
    }

    @Override
    public void processBroadcastElement(LoginNoveltyUpdate update, Context ctx, Collector<Event> out) throws Exception {
        if (update == null || update.line == null || update.line.isBlank()) {
            return;
        }
        if (LoginNoveltyUpdate.MODEL.equals(update.kind)) {
            updateModel(update.line, ctx);
            return;
        }
        String line = update.line;
        BroadcastState<String, AllowlistEntry> state = ctx.getBroadcastState(Descriptors.ALLOWLIST);
        AllowlistEntry entry;
        try {
            entry = AllowlistEntry.parse(line);
        } catch (IllegalArgumentException ex) {
            ctx.output(Descriptors.DEAD_LETTERS, new DeadLetter(DeadLetterReason.MALFORMED_JSON,
                    "allowlist update: " + ex.getMessage(), line, "allowlist"));
            return;
        }
        if (entry.add) {
            state.put(entry.id(), entry);
        } else {
            state.remove(entry.id());
        }
        allowlist = null; // rebuilt on next use, from configuration plus broadcast state
    }

    private void updateModel(String line, Context ctx) throws Exception {
        if (logic.loginModel() == null) {
            return; // detectors.model.logins is off
        }
        LoadedModel next = BroadcastModel.take(line, ModelFiles.LOGIN, logic.loginModel(), ctx.getBroadcastState(Descriptors.LOGIN_MODEL),
                d -> ctx.output(Descriptors.DEAD_LETTERS, d), "the login model in use");
        if (next == null) {
            return; // a session model only, or unusable
        }
        logic.useLoginModel(next);
    }

    private Allowlist allowlist(ReadOnlyContext ctx) throws Exception {
        if (allowlist == null) {
            List<AllowlistEntry> all = new ArrayList<>(logic.configuredAllowlist());
            ReadOnlyBroadcastState<String, AllowlistEntry> state = ctx.getBroadcastState(Descriptors.ALLOWLIST);
            for (Map.Entry<String, AllowlistEntry> en : state.immutableEntries()) {
                all.add(en.getValue());
            }
            allowlist = Allowlist.of(all);
        }
        return allowlist;
    }

    /** For tests and diagnostics: logins the population model has counted on this instance. */
    public long populationLogins() {
        return logic.populationLogins();
    }

    /** For tests: the login model in use, or null. */
    public LoadedModel loginModel() {
        return logic.loginModel() == null ? null : logic.loginModel().model();
    }

    @Override
    public LoginNoveltyLogic logic() {
        return logic;
    }
}
