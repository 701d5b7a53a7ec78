package io.surprisal.flink;

import io.surprisal.classifier.ModelFiles;
import io.surprisal.classifier.LoadedModel;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.Event;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * {@link UserBehaviourFunction} with detector {@code model}'s replacements at run time: the
 * broadcast input carries update lines ({@link ModelFiles#parseUpdate}: a model directory's path,
 * or the model itself), each loaded on every instance; the model in use is kept in broadcast state
 * ({@link Descriptors#MODEL}), so a restore scores with it again. An update the detector cannot use
 * goes to the dead letters and the model in use goes on. Used when {@code
 * detectors.model.updates} names a source; without one, {@link UserBehaviourFunction} runs alone,
 * chained to its input as before.
 *
 * <p>All the keyed work is the wrapped function's, called with this operator's contexts: one
 * implementation of the per-user scoring, whichever input shape the graph has.
 */
public class UserBehaviourWithModelUpdatesFunction extends KeyedBroadcastProcessFunction<String, Event, String, Event>
        implements CheckpointedFunction, CachesUsers {

    private final UserBehaviourFunction scoring;
    /** The model restored from broadcast state, applied once the wrapped function is open. */
    private transient LoadedModel restored;

    public UserBehaviourWithModelUpdatesFunction(SurprisalConfig config) {
        this.scoring = new UserBehaviourFunction(config);
    }

    /** The wrapped per-user function. */
    UserBehaviourFunction scoring() {
        return scoring;
    }

    @Override
    public void cacheUsersWith(org.apache.flink.streaming.api.operators.KeyContext operatorKeys, boolean stateKeepsObjects) {
        scoring.cacheUsersWith(operatorKeys, stateKeepsObjects);
    }

    @Override
    public void writeBackCachedUsers() throws Exception {
        scoring.writeBackCachedUsers();
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        scoring.setRuntimeContext(getRuntimeContext());
        scoring.initializeState(context);
        ModelFiles files = BroadcastModel.restore(context.getOperatorStateStore().getBroadcastState(Descriptors.MODEL));
        if (files != null) {
            restored = scoring.modelDetector().load(files);
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        scoring.snapshotState(context);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        scoring.open(openContext);
        if (restored != null) {
            scoring.useModel(restored); // the last update wins over the configured path, as it did before
            restored = null;
        }
    }

    @Override
    public void close() throws Exception {
        scoring.close();
    }

    @Override
    public void processElement(Event e, ReadOnlyContext ctx, Collector<Event> out) throws Exception {
        scoring.processElement(e, new UserBehaviourContext(scoring, ctx.timerService(), ctx.getCurrentKey(), ctx::output, ctx.timestamp()), out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Event> out) throws Exception {
        scoring.onTimer(timestamp, new UserBehaviourContext(scoring, ctx.timerService(), ctx.getCurrentKey(), ctx::output, ctx.timestamp()), out);
    }

    @Override
    public void processBroadcastElement(String line, Context ctx, Collector<Event> out) throws Exception {
        if (line == null || line.isBlank()) {
            return;
        }
        LoadedModel next = BroadcastModel.take(line, ModelFiles.SESSION, scoring.modelDetector(), ctx.getBroadcastState(Descriptors.MODEL),
                d -> ctx.output(Descriptors.DEAD_LETTERS, d), "the model in use");
        if (next == null) {
            return; // a login model only (login novelty's operator takes it), or unusable
        }
        scoring.useModel(next);
    }
}
