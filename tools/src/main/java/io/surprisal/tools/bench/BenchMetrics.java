package io.surprisal.tools.bench;

import java.math.BigInteger;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.View;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * An in-process metrics reporter for the benchmark: keeps the gauges it needs (RocksDB's native
 * size properties per state, the last checkpoint's size) so the benchmark can read them while the
 * job runs in this JVM's MiniCluster. Gauges leave the map when Flink unregisters them, so a
 * RocksDB instance is never read after it closed.
 */
public final class BenchMetrics implements MetricReporter {
    /** RocksDB properties whose gauges are kept (enabled by the benchmark's configuration). */
    static final String LIVE_DATA = "rocksdb.estimate-live-data-size";
    static final String SST_FILES = "rocksdb.total-sst-files-size";
    static final String MEMTABLES = "rocksdb.size-all-mem-tables";
    static final String CHECKPOINT_FULL_SIZE = "lastCheckpointFullSize";

    /** A kept gauge: its metric name, the state (column family) it measures, if any, and the gauge. */
    private record Kept(String name, String state, Gauge<?> gauge) {
        long value() {
            if (gauge instanceof View view) {
                // RocksDB's gauges are views Flink refreshes every few seconds: read the DB now.
                view.update();
            }
            Object v = gauge.getValue();
            return v instanceof BigInteger b ? b.longValue() : v instanceof Number n ? n.longValue() : 0;
        }
    }

    private static final Map<String, Kept> GAUGES = new ConcurrentHashMap<>();

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        if (metric instanceof Gauge<?> g && (name.equals(LIVE_DATA) || name.equals(SST_FILES) || name.equals(MEMTABLES)
                || name.equals(CHECKPOINT_FULL_SIZE))) {
            // RocksDB's gauges sit in a group named after the state: <operator>.<subtask>.<state>.<property>.
            String id = group.getMetricIdentifier(name);
            String head = id.substring(0, Math.max(0, id.lastIndexOf('.')));
            GAUGES.put(id, new Kept(name, head.substring(head.lastIndexOf('.') + 1), g));
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        GAUGES.remove(group.getMetricIdentifier(name));
    }

    /** Sum of the registered gauges named {@code name} (over states, operators and subtasks). */
    static long sum(String name) {
        long total = 0;
        for (Kept k : GAUGES.values()) {
            if (k.name().equals(name)) {
                total += k.value();
            }
        }
        return total;
    }

    /** Per state (column family), {@code name} summed over subtasks; for the breakdown. */
    static Map<String, Long> byState(String name) {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (Kept k : GAUGES.values()) {
            if (k.name().equals(name)) {
                out.merge(k.state(), k.value(), Long::sum);
            }
        }
        return out;
    }

    static void clear() {
        GAUGES.clear();
    }

    /** Named in the configuration as {@code metrics.reporter.bench.factory.class}. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new BenchMetrics();
        }
    }
}
