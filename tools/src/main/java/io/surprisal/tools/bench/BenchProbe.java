package io.surprisal.tools.bench;

import io.surprisal.alert.Alert;
import io.surprisal.event.Event;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the benchmark's probes (source wrapper and alert sink) record while a job runs on the
 * MiniCluster in this JVM: when each line left the source, when the source started and stopped
 * emitting, and how long each alert took from its triggering line entering the source to leaving
 * the graph. Static because the MiniCluster's tasks run in this JVM and class loader; reset before
 * each run. Only for {@code surprisal bench}.
 */
public final class BenchProbe {
    private BenchProbe() {}

    /** System.nanoTime() at which line i (0-based) was emitted, or null when latency is not recorded. */
    static volatile long[] sentAt;
    static final AtomicLong EMITTED = new AtomicLong();
    static volatile long firstEmitNanos;
    static volatile long lastEmitNanos;
    /** The process's CPU time when the first line was emitted. */
    static volatile long firstEmitCpuNanos;
    /** The process's CPU time when line {@link #cpuSampledAt} was emitted: the latest sample, one every {@link #CPU_SAMPLE} lines. */
    private static long lastSampledCpuNanos;
    private static long cpuSampledAt;
    static final int CPU_SAMPLE = 4096;

    /** Counted down when the checkpoint following the last line has completed (the source then waits). */
    static volatile CountDownLatch endCheckpointed = new CountDownLatch(1);
    /** Completed by the benchmark once it has read the state figures: the source may then finish. */
    static volatile CompletableFuture<Void> release = new CompletableFuture<>();

    private static final Map<String, long[]> ALERTS = new TreeMap<>();
    private static final Map<String, LongList> LATENCIES = new TreeMap<>();

    static synchronized void reset(long[] sentAtOrNull) {
        sentAt = sentAtOrNull;
        EMITTED.set(0);
        firstEmitNanos = 0;
        lastEmitNanos = 0;
        firstEmitCpuNanos = 0;
        lastSampledCpuNanos = 0;
        cpuSampledAt = 0;
        endCheckpointed = new CountDownLatch(1);
        release = new CompletableFuture<>();
        ALERTS.clear();
        LATENCIES.clear();
    }

    /**
     * CPU time per line, in microseconds, of the whole process while the source emitted (from the
     * first line to the last sampled one): without the job's start and end. NaN before a second sample.
     */
    static synchronized double emittingCpuMicrosPerLine() {
        return cpuSampledAt == 0 ? Double.NaN : (lastSampledCpuNanos - firstEmitCpuNanos) / 1e3 / cpuSampledAt;
    }

    /** Sources emit from several threads: the sample and its line are kept together, the latest line's. */
    private static synchronized void sampleCpu(long line) {
        long cpu = processCpuNanos();
        if (line > cpuSampledAt) {
            lastSampledCpuNanos = cpu;
            cpuSampledAt = line;
        }
    }

    /** CPU time of this JVM, all threads: unlike throughput, it hardly moves when other processes share the cores. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** One line left the source. */
    static void emitted() {
        long now = System.nanoTime();
        long i = EMITTED.getAndIncrement();
        if (i == 0) {
            firstEmitNanos = now;
            firstEmitCpuNanos = processCpuNanos();
        } else if (i % CPU_SAMPLE == 0) {
            sampleCpu(i);
        }
        lastEmitNanos = now;
        long[] s = sentAt;
        if (s != null && i < s.length) {
            s[(int) i] = now;
        }
    }

    /**
     * One alert left the graph. Its latency runs from the line of the newest event it lists (the
     * event that completed it) entering the source. Alerts on a closed session ({@link
     * #ON_SESSION_CLOSE}) are counted but not timed: a session closes on the user's next event or
     * after the inactivity gap, neither of which it lists; so are brute force's run totals, which
     * leave when event time passes the run's end. Roll-ups of suppressed alerts are counted, not
     * timed: they leave when their window ends.
     */
    /** The detectors that judge a session when it closes (detector model's session alerts are timed, as its login alerts). */
    static final java.util.Set<String> ON_SESSION_CLOSE = onSessionClose();

    private static java.util.Set<String> onSessionClose() {
        java.util.Set<String> s = new java.util.HashSet<>(java.util.List.of(io.surprisal.model.BehaviourScorer.SESSION,
                io.surprisal.groups.BehaviourGroups.DETECTOR));
        for (io.surprisal.session.SessionCloser.Registration r : io.surprisal.session.SessionCloser.registered(io.surprisal.config.ConfigLoader.defaults())) {
            s.add(r.detector());
        }
        return java.util.Set.copyOf(s);
    }

    static void alert(Alert a) {
        long now = System.nanoTime();
        boolean rollUp = io.surprisal.alert.AlertSuppressionFunction.isRollUp(a);
        String detector = rollUp ? a.detector + " (roll-up)" : a.detector;
        long[] s = sentAt;
        long latency = -1;
        if (s != null && !rollUp && !ON_SESSION_CLOSE.contains(a.detector) && !io.surprisal.cep.BruteForceFunction.isRunTotal(a)) {
            long newest = -1;
            for (Event e : a.events) {
                int line = lineOf(e.source);
                if (line > 0 && line <= s.length && s[line - 1] > newest) {
                    newest = s[line - 1];
                }
            }
            if (newest > 0) {
                latency = now - newest;
            }
        }
        synchronized (BenchProbe.class) {
            ALERTS.computeIfAbsent(detector, k -> new long[1])[0]++;
            if (latency >= 0) {
                LATENCIES.computeIfAbsent(a.detector, k -> new LongList()).add(latency);
            }
        }
    }

    /** The line number of a {@code file:line} source, or -1. */
    static int lineOf(String source) {
        if (source == null) {
            return -1;
        }
        int i = source.lastIndexOf(':');
        try {
            return i < 0 ? -1 : Integer.parseInt(source, i + 1, source.length(), 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static synchronized Map<String, Long> alertCounts() {
        Map<String, Long> out = new TreeMap<>();
        ALERTS.forEach((k, v) -> out.put(k, v[0]));
        return out;
    }

    static synchronized Map<String, long[]> latencies() {
        Map<String, long[]> out = new TreeMap<>();
        LATENCIES.forEach((k, v) -> out.put(k, v.toArray()));
        return out;
    }

    /** A growable array of longs. */
    static final class LongList {
        private long[] a = new long[64];
        private int n;

        void add(long v) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        long[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}
