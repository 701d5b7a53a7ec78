package io.surprisal.job;

import io.surprisal.alert.Alert;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Counts the alerts that leave the graph (after suppression: what the sinks get), by detector and
 * severity, and passes them on unchanged. The counter is {@code detector.<detector>.severity.<severity>.alerts}
 * in the web UI; Prometheus gets one series with labels {@code detector} and {@code severity}
 * ({@code flink_taskmanager_job_task_operator_detector_severity_alerts}). A roll-up alert counts
 * once, as it is one alert out. The detectors' own {@code alerts.<detector>.count} count before
 * suppression.
 */
public final class AlertMetrics extends RichMapFunction<Alert, Alert> {
    private static final long serialVersionUID = 1L;

    /** Counters by detector then severity, created on the first alert of each pair. */
    private transient Map<String, Map<String, Counter>> counters;
    private transient MetricGroup metrics;

    @Override
    public void open(OpenContext openContext) {
        counters = new HashMap<>();
        metrics = getRuntimeContext().getMetricGroup();
    }

    @Override
    public Alert map(Alert a) {
        String detector = a.detector == null ? "unknown" : a.detector;
        String severity = a.severity == null ? "unknown" : a.severity.label();
        counters.computeIfAbsent(detector, d -> new HashMap<>())
                .computeIfAbsent(severity, s -> metrics.addGroup("detector", detector).addGroup("severity", s).counter("alerts"))
                .inc();
        return a;
    }
}
