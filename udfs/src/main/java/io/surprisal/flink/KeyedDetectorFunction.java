package io.surprisal.flink;

import io.surprisal.alert.Alert;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.Event;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * What the keyed detectors outside the per-user behaviour operator share (brute force, credential
 * stuffing): the state's time to live, the events an alert lists at most, the alerts
 * counted per detector, and late events reported as dead letters, counted, never dropped silently.
 * Each subclass opens its own state in {@link #openState}.
 */
public abstract class KeyedDetectorFunction<K> extends KeyedProcessFunction<K, Event, Alert> {
    /** The detector's name in metrics and dead letters. */
    private final String detector;
    protected final Duration ttl;
    protected final int maxEvents;

    private transient Counter alertsMetric;
    private transient Counter lateMetric;

    protected KeyedDetectorFunction(SurprisalConfig config, String detector) {
        this.detector = detector;
        this.ttl = config.state().ttl();
        this.maxEvents = config.alerts().maxEvents();
    }

    @Override
    public final void open(OpenContext openContext) throws Exception {
        var metrics = getRuntimeContext().getMetricGroup();
        alertsMetric = metrics.addGroup("alerts", detector).counter("count");
        lateMetric = metrics.addGroup("deadLetters", "late").counter("count");
        openState();
    }

    /** Opens the subclass's state (called once the metrics exist). */
    protected abstract void openState() throws Exception;

    /** A late event: a dead letter with the watermark it came behind, counted. */
    protected final void late(Event e, long watermark, Context ctx) {
        lateMetric.inc();
        ctx.output(Descriptors.DEAD_LETTERS, LateEvents.deadLetter(e, watermark, " of detector " + detector));
    }

    /** An alert leaves, counted. */
    protected final void emit(Alert a, Collector<Alert> out) {
        alertsMetric.inc();
        out.collect(a);
    }
}
