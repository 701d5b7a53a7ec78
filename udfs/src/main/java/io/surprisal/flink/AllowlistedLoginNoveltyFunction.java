package io.surprisal.flink;

import io.surprisal.alert.Alert;
import io.surprisal.config.SurprisalConfig.CepConfig;
import io.surprisal.config.SurprisalConfig.NoveltyConfig;
import io.surprisal.event.DeadLetter;
import io.surprisal.event.DeadLetterReason;
import io.surprisal.event.Event;
import io.surprisal.novelty.Allowlist;
import io.surprisal.novelty.AllowlistEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Detector {@code login-novelty} ({@link LoginNoveltyLogic}) with allowlist updates at run time: the
 * broadcast input carries JSON lines ({@link AllowlistEntry}) that add to or remove from the
 * configured allowlist; bad lines go to the dead letters. Used when {@code novelty.allowlist-updates}
 * names a source; without one, {@link LoginNoveltyFunction} does the same work chained to its input.
 */
public class AllowlistedLoginNoveltyFunction extends KeyedBroadcastProcessFunction<String, Event, String, Event>
        implements CheckpointedFunction {
    private final LoginNoveltyLogic logic;
    private transient Allowlist allowlist;

    public AllowlistedLoginNoveltyFunction(NoveltyConfig config, CepConfig cep, java.time.Duration ttl, int maxEvents) {
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
    }

    @Override
    public void processElement(Event e, ReadOnlyContext ctx, Collector<Event> out) throws Exception {
        Alert alert = logic.process(e, () -> allowlist(ctx), ctx::output);
        if (alert != null) {
            ctx.output(Descriptors.ALERTS, alert);
        }
        out.collect(e);
    }

    @Override
    public void processBroadcastElement(String line, Context ctx, Collector<Event> out) throws Exception {
        BroadcastState<String, AllowlistEntry> state = ctx.getBroadcastState(Descriptors.ALLOWLIST);
        if (line == null || line.isBlank()) {
            return;
        }
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
}
