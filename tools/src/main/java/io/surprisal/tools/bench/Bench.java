package io.surprisal.tools.bench;

import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.Event;
import io.surprisal.event.SourceRecord;
import io.surprisal.event.UserKey;
import io.surprisal.job.Connectors;
import io.surprisal.job.JobSettings;
import io.surprisal.job.SurprisalPipeline;
import io.surprisal.sim.Simulator;
import io.surprisal.sim.SimulatorConfig;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * {@code surprisal bench}: what every event costs. Simulates the events once into a file, then, on
 * those same events: (a) the bare pipeline (the job's source, parsing, watermarks and keyBy(user)
 * into a discarding sink), (b) the full job ({@link SurprisalPipeline#build}: every detector,
 * RocksDB, checkpoints as configured), (c) the detectors' plain-Java cores in one thread ({@link
 * CoreBench}); then the processing-time latency of alerts in a run of (b)'s graph paced at half of
 * (b)'s rate, the RocksDB state per user after (b), and the peak heap of each part. On request, the
 * state floor: (a) with one, two and three keyed values read and written per event ({@link
 * StateFloorFunction}), what state access alone costs next to (a).
 */
public final class Bench {
    /** The state floor runs with one, two, ... up to this many keyed values per event. */
    static final int FLOOR_VALUES = 3;
    /** Users per instance the cached state floor keeps on the heap. */
    static final int FLOOR_CACHED_USERS = 10_000;
    private static final String[] COUNTS = {"no", "one", "two", "three"};

    /**
     * What to run. {@code latencySeconds} bounds the paced run (0 skips it); {@code warmupEvents}
     * of the same events go through each measured job once beforehand, unmeasured (0 skips it).
     */
    /**
     * {@code rounds}: runs of (b), and of (b') when there is a compared configuration, alternating;
     * {@code compared}: (b')'s overrides as printed.
     */
    public record Options(long events, int users, long seed, double latencySeconds, Set<String> parts, long warmupEvents,
            int rounds, String compared) {
        public Options(long events, int users, long seed, double latencySeconds, Set<String> parts, long warmupEvents) {
            this(events, users, seed, latencySeconds, parts, warmupEvents, 1, "");
        }

        boolean runs(String part) {
            return parts.contains(part);
        }
    }

    private final SurprisalConfig config;
    /** (b')'s configuration, or null when there is none. */
    private final SurprisalConfig compared;
    private final Configuration flink;
    private final Options options;
    private final Path work;
    private final PrintStream out;
    private final HeapSampler heap = new HeapSampler();

    /** {@code flink}: Flink's configuration of the embedded cluster ({@link io.surprisal.job.LocalClusterConfiguration}). */
    public Bench(SurprisalConfig config, Configuration flink, Options options, Path work, PrintStream out) {
        this(config, null, flink, options, work, out);
    }

    /** {@code compared}: the configuration of (b'), the full job run beside (b), or null. */
    public Bench(SurprisalConfig config, SurprisalConfig compared, Configuration flink, Options options, Path work, PrintStream out) {
        this.config = config;
        this.compared = compared;
        this.flink = flink;
        this.options = options;
        this.work = work;
        this.out = out;
    }

    /**
     * The graph of one Flink run: the full job, or the bare pipeline with {@code stateValues} keyed
     * values read and written per event before its discarding sink (0: none, which is (a)); with
     * {@code cachedUsers} above 0, one value behind a cache of that many users per instance; with
     * {@code sequences}, instead, the user's recent logins behind such a cache, routing to the job's
     * sequence detectors, after the event-time ordering {@code ordering}.
     */
    record Graph(boolean full, int stateValues, int cachedUsers, boolean sequences, CepFloorOperator.Ordering ordering) {
        static final Graph FULL = new Graph(true, 0, 0, false, CepFloorOperator.Ordering.NONE);
        static final Graph BARE = new Graph(false, 0, 0, false, CepFloorOperator.Ordering.NONE);

        static Graph bareWithState(int values) {
            return new Graph(false, values, 0, false, CepFloorOperator.Ordering.NONE);
        }

        /** One value per user, kept for the {@code users} seen last on each instance ({@link CachedStateFloorOperator}). */
        static Graph bareWithCachedState(int users) {
            return new Graph(false, 1, users, false, CepFloorOperator.Ordering.NONE);
        }

        /**
         * The sequence detectors as the job runs them, fed by the job's routing behind a cache of the
         * {@code users} seen last ({@link CepFloorOperator}), and no other detector.
         */
        static Graph bareWithSequences(int users) {
            return new Graph(false, 0, users, true, CepFloorOperator.Ordering.NONE);
        }

        /** {@link #bareWithSequences} with each user's events put in event-time order first ({@link CepFloorOperator.Ordering}). */
        static Graph bareWithOrderedSequences(int users, CepFloorOperator.Ordering ordering) {
            return new Graph(false, 0, users, true, ordering);
        }
    }

    /**
     * Figures of one Flink run; {@code stateWrites} counts the state floor's writes and {@code
     * backendWrites} the cached floor's writes that reach the state backend (0 in other graphs);
     * {@code cpuMicrosPerEvent} is the process's CPU over the whole run (the job's start and end
     * included), {@code emittingCpuMicrosPerEvent} only while the source emitted (NaN in runs too short to sample).
     */
    record FlinkRun(long records, double seconds, double eventsPerSecond, long peakHeap, Map<String, Long> alerts,
            Map<String, long[]> latencies, State state, long stateWrites, long backendWrites, double cpuMicrosPerEvent,
            double emittingCpuMicrosPerEvent) {}

    /** RocksDB's figures after the checkpoint that follows the last event. */
    record State(long liveData, long sstFiles, long memTables, long checkpointFullSize, Map<String, Long> liveByState) {}

    /**
     * All figures, as printed; the state figures are -1 when checkpointing is off (not measured).
     * {@code floor} holds the state floor's events per second with one, two and three values per event,
     * {@code floorWrites} the values it wrote (both empty unless part {@code floor} ran), and {@code
     * floorSequences} the sequence detectors' floor's events per second (NaN unless it ran); {@code b}
     * is the median of the full job's rounds, {@code bRounds} each round's. The state, record and
     * alert figures are the first round's, the only one held open for the checkpoint that follows
     * its last event.
     */
    public record Report(long events, long usersWithEvents, Duration eventTime, int cores, double a, double[] floor, long[] floorWrites,
            double floorSequences, double floorOrderedSequences, double floorQueuedSequences, double b, double c, double parse,
            long bRecords, long bAlerts, long liveBytes, long sstBytes, long checkpointBytes,
            double latencyRate, long latencyEvents, long p50, long p99, long max, long timedAlerts, long bytesPerUser,
            Map<String, Long> bAlertsByDetector, double[] bRounds, double[] comparedRounds, Map<String, Long> comparedAlerts) {}

    public Report run() throws Exception {
        Path file = work.resolve("bench-events.jsonl");
        long t0 = System.nanoTime();
        Generated generated = generate(file);
        long events = generated.events();
        long users = generated.users();
        // What the events span matters as much as how many users: the same count of events of ten
        // times the users is a tenth of the time, in which fewer visits end.
        Duration eventTime = generated.eventTime();
        int cores = Math.min(Runtime.getRuntime().availableProcessors(),
                flink.getOptional(CoreOptions.DEFAULT_PARALLELISM).orElse(Runtime.getRuntime().availableProcessors()));
        long checkpointMillis = flink.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).map(Duration::toMillis).orElse(0L);
        out.printf(Locale.ROOT, "surprisal bench: %,d events of %,d simulated users (%,d of them with events) over %d h %02d min of event time, seed %d, generated in %.1f s%n",
                events, options.users(), users, eventTime.toHours(), eventTime.toMinutesPart(), options.seed(), (System.nanoTime() - t0) / 1e9);
        out.printf(Locale.ROOT, "  machine: %d cores (%s), Java %s, max heap %,d MB; job parallelism %d; checkpoints every %s, %s state%n",
                Runtime.getRuntime().availableProcessors(), cpuModel(), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20, cores, Duration.ofMillis(checkpointMillis), flink.get(StateBackendOptions.STATE_BACKEND));
        heap.start();
        try {
            long warmup = Math.min(options.warmupEvents(), events);
            if (warmup > 0) {
                // A streaming job runs for days: its steady state is what a user gets, not the first
                // tens of seconds in which the JIT compiles Flink's and the detectors' hot paths
                // (in a cold run the compiler threads took a fifth to a quarter of this machine's CPU).
                long w0 = System.nanoTime();
                ProbedSource.Settings prefix = new ProbedSource.Settings(0, warmup, false);
                boolean withA = options.runs("a");
                if (withA) {
                    runFlink(file, Graph.BARE, prefix, null);
                }
                runFlink(file, Graph.FULL, prefix, null);
                if (options.runs("floor")) {
                    runFlink(file, Graph.bareWithSequences(FLOOR_CACHED_USERS), prefix, null);
                    runFlink(file, Graph.bareWithOrderedSequences(FLOOR_CACHED_USERS, CepFloorOperator.Ordering.TIMERS), prefix, null);
                    runFlink(file, Graph.bareWithOrderedSequences(FLOOR_CACHED_USERS, CepFloorOperator.Ordering.QUEUE), prefix, null);
                }
                if (compared != null) {
                    runFlink(file, Graph.FULL, prefix, null, compared);
                }
                out.printf(Locale.ROOT, "  warm-up: the first %,d events through %s once, not measured (%.1f s)%n",
                        warmup, warmedUp(withA, compared != null, options.runs("floor")), (System.nanoTime() - w0) / 1e9);
            }
            FlinkRun a = null;
            if (options.runs("a")) {
                a = runFlink(file, Graph.BARE, new ProbedSource.Settings(0, events, false), null);
                out.printf(Locale.ROOT, "  (a) bare pipeline: source, parse, watermarks, keyBy(user), discard  %,10.0f events/s  (%.1f s, peak heap %,d MB, %.1f us CPU per event while the source emitted)%n",
                        a.eventsPerSecond(), a.seconds(), a.peakHeap() >> 20, a.emittingCpuMicrosPerEvent());
            }
            double[] floor = new double[0];
            long[] floorWrites = new long[0];
            double floorSequences = Double.NaN;
            double floorSequencesCpu = Double.NaN;
            double floorTimersCpu = Double.NaN;
            double floorQueueCpu = Double.NaN;
            double floorOrderedSequences = Double.NaN;
            double floorQueuedSequences = Double.NaN;
            if (options.runs("floor")) {
                // What keyed state alone costs: no detector can keep per-user state for less.
                floor = new double[FLOOR_VALUES];
                floorWrites = new long[FLOOR_VALUES];
                for (int values = 1; values <= FLOOR_VALUES; values++) {
                    FlinkRun f = runFlink(file, Graph.bareWithState(values), new ProbedSource.Settings(0, events, false), null);
                    floor[values - 1] = f.eventsPerSecond();
                    floorWrites[values - 1] = f.stateWrites();
                    out.printf(Locale.ROOT, "  (a+%d) (a) with %s keyed state value%s read and written per event  %,10.0f events/s  (%.1f s, peak heap %,d MB)%s%n",
                            values, COUNTS[values], values == 1 ? "" : "s", f.eventsPerSecond(), f.seconds(), f.peakHeap() >> 20,
                            a == null ? "" : String.format(Locale.ROOT, "  (a+%d)/a = %.2f", values, f.eventsPerSecond() / a.eventsPerSecond()));
                }
                // The same one value behind a write-back cache of the users seen last: a per-user
                // operator that goes to the state backend once per visit, not once per event.
                FlinkRun cached = runFlink(file, Graph.bareWithCachedState(FLOOR_CACHED_USERS), new ProbedSource.Settings(0, events, false), null);
                out.printf(Locale.ROOT, "  (a+1c) (a+1) behind a write-back cache of %,d users per instance  %,10.0f events/s  (%.1f s, peak heap %,d MB, %.2f backend writes per event)%s%n",
                        FLOOR_CACHED_USERS, cached.eventsPerSecond(), cached.seconds(), cached.peakHeap() >> 20,
                        (double) cached.backendWrites() / Math.max(cached.records(), 1),
                        a == null ? "" : String.format(Locale.ROOT, "  (a+1c)/a = %.2f", cached.eventsPerSecond() / a.eventsPerSecond()));
                // The job's sequence detectors as it runs them, with no other detector around them;
                // then the same after the event-time ordering every per-user detector relies on: with
                // a timer per event, and in one queue per instance, as the per-user operator orders.
                FlinkRun sequences = sequenceFloorRow(file, events, a, Graph.bareWithSequences(FLOOR_CACHED_USERS),
                        "(a+1c+cep)", "(a+1c) routing to the job's sequence detectors, no other detector");
                floorSequences = sequences.eventsPerSecond();
                floorSequencesCpu = sequences.emittingCpuMicrosPerEvent();
                FlinkRun ordered = sequenceFloorRow(file, events, a, Graph.bareWithOrderedSequences(FLOOR_CACHED_USERS, CepFloorOperator.Ordering.TIMERS),
                        "(a+1c+o+cep)", "(a+1c+cep) after each user's events are put in event-time order by timers");
                floorOrderedSequences = ordered.eventsPerSecond();
                floorTimersCpu = ordered.emittingCpuMicrosPerEvent();
                FlinkRun queued = sequenceFloorRow(file, events, a, Graph.bareWithOrderedSequences(FLOOR_CACHED_USERS, CepFloorOperator.Ordering.QUEUE),
                        "(a+1c+q+cep)", "(a+1c+cep) after each instance's events are put in event-time order in one queue");
                floorQueuedSequences = queued.eventsPerSecond();
                floorQueueCpu = queued.emittingCpuMicrosPerEvent();
                if (a != null) {
                    // Wall-clock time per event that each further value adds, the job's cores all working.
                    StringBuilder added = new StringBuilder();
                    double before = a.eventsPerSecond();
                    for (int i = 0; i < FLOOR_VALUES; i++) {
                        added.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", 1e6 / floor[i] - 1e6 / before));
                        before = floor[i];
                    }
                    out.printf(Locale.ROOT, "      each keyed value read and written adds, in turn, %s us per event%n", added);
                }
            }
            // State is read after the checkpoint that follows the last event: none comes with checkpointing off.
            boolean checkpoints = checkpointMillis > 0;
            FlinkRun b = null;
            double[] bRates = new double[options.rounds()];
            double[] comparedRates = new double[compared == null ? 0 : options.rounds()];
            Map<String, Long> comparedAlerts = Map.of();
            double[] bCpu = new double[options.rounds()];
            double[] comparedCpu = new double[comparedRates.length];
            for (int round = 0; round < options.rounds(); round++) {
                // Alternating, so that the machine's drift from minute to minute falls on both alike.
                FlinkRun run = runFlink(file, Graph.FULL, new ProbedSource.Settings(0, events, checkpoints && round == 0), null);
                bRates[round] = run.eventsPerSecond();
                bCpu[round] = run.cpuMicrosPerEvent();
                out.printf(Locale.ROOT, "  (b) full job: all detectors, RocksDB, checkpoints          %,10.0f events/s  (%.1f s, peak heap %,d MB, %.1f us CPU per event, %.1f while the source emitted)%n",
                        run.eventsPerSecond(), run.seconds(), run.peakHeap() >> 20, run.cpuMicrosPerEvent(), run.emittingCpuMicrosPerEvent());
                if (b == null) {
                    b = run;
                    out.printf(Locale.ROOT, "      alerts: %s%n", b.alerts());
                }
                if (compared != null) {
                    // Run as (b) is, its first round too (held open for the checkpoint that follows the last event).
                    FlinkRun other = runFlink(file, Graph.FULL, new ProbedSource.Settings(0, events, checkpoints && round == 0), null, compared);
                    comparedRates[round] = other.eventsPerSecond();
                    comparedCpu[round] = other.cpuMicrosPerEvent();
                    out.printf(Locale.ROOT, "  (b') full job with %s  %,10.0f events/s  (%.1f s, peak heap %,d MB, %.1f us CPU per event)%n",
                            options.compared(), other.eventsPerSecond(), other.seconds(), other.peakHeap() >> 20, other.cpuMicrosPerEvent());
                    if (round == 0) {
                        comparedAlerts = other.alerts();
                        out.printf(Locale.ROOT, "      alerts: %s%n", other.alerts());
                    }
                }
            }
            // The full job's rate: the median of its rounds. The first runs slower than those after it (likely the JIT
            // compiler, docs/benchmarks.md); with one round it is that round's.
            double bRate = median(bRates);
            if (compared == null && options.rounds() > 1) {
                out.printf(Locale.ROOT, "  median of %d rounds: (b) %,.0f events/s, %.1f us CPU per event%n", options.rounds(), bRate, median(bCpu));
            }
            if (compared != null) {
                double comparedMedian = median(comparedRates);
                out.printf(Locale.ROOT, "  median of %d round%s: (b) %,.0f, (b') %,.0f events/s; b/b' = %.3f%n", options.rounds(),
                        options.rounds() == 1 ? "" : "s", bRate, comparedMedian, bRate / comparedMedian);
                // With the cores to itself, throughput is the cores over CPU per event; shared, CPU per event is the steadier figure.
                out.printf(Locale.ROOT, "      CPU per event, median: (b) %.1f us, (b') %.1f us; b'/b = %.3f%n",
                        median(bCpu), median(comparedCpu), median(comparedCpu) / median(bCpu));
            }
            double c = Double.NaN;
            double parse = Double.NaN;
            if (options.runs("c")) {
                heap.reset();
                CoreBench.Result cr = CoreBench.run(config, file, events);
                c = cr.events() / (cr.detectorNanos() / 1e9);
                parse = cr.events() / (cr.parseNanos() / 1e9);
                out.printf(Locale.ROOT, "  (c) detector cores, plain Java, 1 thread                   %,10.0f events/s  (%.1f s, peak heap %,d MB; %,d alerts, %,d sessions closed)%n",
                        c, cr.detectorNanos() / 1e9, heap.peak() >> 20, cr.alerts(), cr.sessionsClosed());
                out.printf(Locale.ROOT, "      covers transition, session, cusum, the closed visits' detectors, amount, groups, login novelty (incl.%n"
                        + "      user-agent parse), velocity, purchase network; not CEP patterns, suppression, state backends,%n"
                        + "      serialization, event-time buffering, the inactivity timer. Parsing alone: %,.0f events/s%n", parse);
            }
            if (!Double.isNaN(floorSequencesCpu) && c > 0) {
                int machineCores = Runtime.getRuntime().availableProcessors();
                double bound = sequencesBound(floorSequencesCpu, c, machineCores);
                out.printf(Locale.ROOT, "  bound: (a+1c+cep)'s %.1f us of CPU per event and (c)'s %.1f leave at most %,.0f events/s on %d cores%s%n",
                        floorSequencesCpu, 1e6 / c, bound, machineCores,
                        a == null ? "" : String.format(Locale.ROOT, ": bound/a = %.2f", bound / a.eventsPerSecond()));
                // With the events in order: by a timer per event, and by one queue, as the per-user operator orders them.
                double timersBound = sequencesBound(floorTimersCpu, c, machineCores);
                double queueBound = sequencesBound(floorQueueCpu, c, machineCores);
                out.printf(Locale.ROOT, "  bound with the ordering: (a+1c+o+cep)'s %.1f us (a timer per event) and (c)'s leave at most %,.0f events/s%s;%n"
                        + "      (a+1c+q+cep)'s %.1f us (one queue, as the job orders) and (c)'s, %,.0f events/s%s%n",
                        floorTimersCpu, timersBound, a == null ? "" : String.format(Locale.ROOT, ": bound/a = %.2f", timersBound / a.eventsPerSecond()),
                        floorQueueCpu, queueBound, a == null ? "" : String.format(Locale.ROOT, ": bound/a = %.2f", queueBound / a.eventsPerSecond()));
            }
            out.printf(Locale.ROOT, "  b/a = %.2f   b/(c x %d cores) = %.2f%n", a == null ? Double.NaN : bRate / a.eventsPerSecond(), cores,
                    bRate / (c * cores));

            State s = b.state();
            long perUser = s == null || users == 0 ? -1 : s.liveData() / users;
            if (s == null) {
                out.printf(Locale.ROOT, "  state: not measured (checkpointing is off: execution.checkpointing.interval is not set)%n");
            } else {
                out.printf(Locale.ROOT, "  state after the checkpoint that follows the last event: RocksDB live data %,d bytes, SST files %,d bytes,%n"
                        + "      memtables %,d bytes; last checkpoint (full) %,d bytes; per user with events: %,d bytes live, %,d bytes in SST files%n",
                        s.liveData(), s.sstFiles(), s.memTables(), s.checkpointFullSize(), Math.max(perUser, 0), users == 0 ? 0 : s.sstFiles() / users);
                out.printf(Locale.ROOT, "      live data by state: %s%n", s.liveByState());
            }

            long p50 = -1;
            long p99 = -1;
            long max = -1;
            long timed = 0;
            double rate = bRate / 2;
            long latencyEvents = options.runs("latency") ? Math.min(events, (long) (rate * options.latencySeconds())) : 0;
            if (latencyEvents > 0) {
                FlinkRun l = runFlink(file, Graph.FULL, new ProbedSource.Settings(rate, latencyEvents, false), new long[(int) latencyEvents]);
                long[] all = l.latencies().values().stream().flatMapToLong(Arrays::stream).sorted().toArray();
                timed = all.length;
                if (all.length > 0) {
                    p50 = all[(int) Math.min(all.length - 1, Math.ceil(0.50 * all.length) - 1)];
                    p99 = all[(int) Math.min(all.length - 1, Math.ceil(0.99 * all.length) - 1)];
                    max = all[all.length - 1];
                }
                out.printf(Locale.ROOT, "  latency, source to alert sink, paced at %,.0f events/s (b/2) for %,d events (%.0f s): %,d alerts timed%n",
                        rate, latencyEvents, l.seconds(), timed);
                out.printf(Locale.ROOT, "      p50 %s   p99 %s   max %s%n", ms(p50), ms(p99), ms(max));
                for (Map.Entry<String, long[]> e : l.latencies().entrySet()) {
                    long[] v = e.getValue();
                    Arrays.sort(v);
                    out.printf(Locale.ROOT, "      %-26s %,6d alerts  p50 %s  p99 %s  max %s%n", e.getKey(), v.length,
                            ms(v[(int) Math.ceil(0.5 * v.length) - 1]), ms(v[(int) Math.ceil(0.99 * v.length) - 1]), ms(v[v.length - 1]));
                }
                out.printf(Locale.ROOT, "      not timed: alerts on closed sessions (session, session-profile, session-forest, visit-length, group-change: closed by a later event or the inactivity gap), brute force's run totals (at the run's end in event time) and roll-ups; all alerts: %s%n",
                        l.alerts());
            }
            long bAlerts = b.alerts().values().stream().mapToLong(Long::longValue).sum();
            return new Report(events, users, eventTime, cores, a == null ? Double.NaN : a.eventsPerSecond(), floor, floorWrites, floorSequences, floorOrderedSequences, floorQueuedSequences, bRate, c, parse,
                    b.records(), bAlerts, s == null ? -1 : s.liveData(), s == null ? -1 : s.sstFiles(), s == null ? -1 : s.checkpointFullSize(),
                    rate, latencyEvents,
                    p50, p99, max, timed, perUser, b.alerts(), bRates, comparedRates, comparedAlerts);
        } finally {
            heap.stop();
        }
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String ms(long nanos) {
        return nanos < 0 ? "-" : String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    /** The bench's events: how many, of how many users, over how much event time. */
    private record Generated(long events, long users, Duration eventTime) {}

    /** Writes the first {@code events} simulated lines to {@code file}. */
    private Generated generate(Path file) throws IOException {
        Simulator sim = new Simulator(SimulatorConfig.forEventBudget(options.users(), options.events(), options.seed()));
        Set<String> users = new HashSet<>();
        long n = 0;
        String first = null;
        String last = null;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            Iterator<String> lines = sim.eventLines();
            while (n < options.events() && lines.hasNext()) {
                String line = lines.next();
                w.write(line);
                w.write('\n');
                users.add(userOf(line));
                // The simulator's times are all "yyyy-MM-ddTHH:mm:ssZ": as strings they sort as instants.
                String ts = timeOf(line);
                first = first == null || ts.compareTo(first) < 0 ? ts : first;
                last = last == null || ts.compareTo(last) > 0 ? ts : last;
                n++;
            }
        }
        return new Generated(n, users.size(), n == 0 ? Duration.ZERO : Duration.between(Instant.parse(first), Instant.parse(last)));
    }

    /** The {@code ts} of a simulator line, as written. */
    static String timeOf(String line) {
        int start = line.indexOf("\"ts\":\"") + 6;
        return line.substring(start, line.indexOf('"', start));
    }

    /** The user of a simulator line (its fields are plain, unescaped ids). */
    static String userOf(String line) {
        int i = line.indexOf("\"user\":\"");
        if (i < 0) {
            return "";
        }
        int start = i + 8;
        return line.substring(start, line.indexOf('"', start));
    }

    private FlinkRun runFlink(Path file, Graph graph, ProbedSource.Settings settings, long[] sentAt) throws Exception {
        return runFlink(file, graph, settings, sentAt, config);
    }

    private FlinkRun runFlink(Path file, Graph graph, ProbedSource.Settings settings, long[] sentAt, SurprisalConfig config) throws Exception {
        Configuration conf = new Configuration(flink);
        conf.setString("metrics.reporter.bench.factory.class", BenchMetrics.Factory.class.getName());
        conf.setString("state.backend.rocksdb.metrics.estimate-live-data-size", "true");
        conf.setString("state.backend.rocksdb.metrics.total-sst-files-size", "true");
        conf.setString("state.backend.rocksdb.metrics.size-all-mem-tables", "true");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        JobSettings.apply(env, config);

        DataStream<SourceRecord> lines = env.fromSource(
                        new ProbedSource<>(Connectors.fileSourceOf(file.toString(), config.source()), settings),
                        Connectors.watermarks(config.source()), "events: file " + file,
                        TypeInformation.of(SourceRecord.class))
                .uid("source-file");
        if (graph.full()) {
            SurprisalPipeline.Streams streams = SurprisalPipeline.build(config, lines);
            streams.alerts().sinkTo(new ProbeSink()).name("alerts: discard").uid("sink-alerts-bench");
            streams.deadLetters().sinkTo(new DiscardingSink<>()).name("dead letters: discard").uid("sink-dead-letters-bench");
        } else {
            SingleOutputStreamOperator<Event> parsed = SurprisalPipeline.parse(lines);
            KeyedStream<Event, String> byUser = parsed.keyBy(new UserKey());
            DataStream<Event> events = graph.sequences() ? sequenceFloor(config, byUser, graph.cachedUsers(), graph.ordering())
                    : graph.stateValues() == 0 ? byUser
                    : graph.cachedUsers() > 0 ? byUser
                            .transform("state floor: one keyed value per event, " + graph.cachedUsers() + " users cached",
                                    parsed.getType(), new CachedStateFloorOperator(graph.cachedUsers()))
                            .uid("state-floor")
                    : byUser
                    .process(new StateFloorFunction(graph.stateValues()))
                    .name("state floor: " + graph.stateValues() + " keyed values read and written per event")
                    .uid("state-floor");
            events.sinkTo(new DiscardingSink<>()).name("events: discard").uid("sink-events-bench");
            parsed.getSideOutput(io.surprisal.flink.Descriptors.DEAD_LETTERS)
                    .sinkTo(new DiscardingSink<>()).name("dead letters: discard").uid("sink-dead-letters-bench");
        }

        long cpu0 = BenchProbe.processCpuNanos();
        BenchProbe.reset(sentAt);
        BenchMetrics.clear();
        heap.reset();
        JobClient job = env.executeAsync(graph.full() ? "surprisal bench: full job"
                : graph.sequences() ? "surprisal bench: sequence floor" + (graph.ordering() == CepFloorOperator.Ordering.NONE ? "" : ", ordered")
                : graph.stateValues() > 0 ? "surprisal bench: state floor" : "surprisal bench: bare pipeline");
        State state = null;
        if (settings.waitForCheckpoint()) {
            while (!BenchProbe.endCheckpointed.await(1, TimeUnit.SECONDS)) {
                if (job.getJobStatus().get().isTerminalState()) {
                    break;
                }
            }
            state = new State(BenchMetrics.sum(BenchMetrics.LIVE_DATA), BenchMetrics.sum(BenchMetrics.SST_FILES),
                    BenchMetrics.sum(BenchMetrics.MEMTABLES), BenchMetrics.sum(BenchMetrics.CHECKPOINT_FULL_SIZE),
                    BenchMetrics.byState(BenchMetrics.LIVE_DATA));
            BenchProbe.release.complete(null);
        }
        var result = job.getJobExecutionResult().get();
        Long stateWrites = result.getAccumulatorResult(StateFloorFunction.WRITES_ACCUMULATOR);
        Long backendWrites = result.getAccumulatorResult(CachedStateFloorOperator.BACKEND_WRITES_ACCUMULATOR);
        long records = BenchProbe.EMITTED.get();
        // Emission under backpressure runs at the job's pace; the last records still in flight
        // (a few network buffers) are a fraction of a second.
        double seconds = (BenchProbe.lastEmitNanos - BenchProbe.firstEmitNanos) / 1e9;
        double cpuMicros = (BenchProbe.processCpuNanos() - cpu0) / 1e3 / Math.max(records, 1);
        return new FlinkRun(records, seconds, records / Math.max(seconds, 1e-9), heap.peak(), BenchProbe.alertCounts(),
                BenchProbe.latencies(), state, stateWrites == null ? 0 : stateWrites,
                backendWrites == null ? 0 : backendWrites, cpuMicros, BenchProbe.emittingCpuMicrosPerLine());
    }

    /**
     * The floor of the sequence detectors: {@link CepFloorOperator} routes each user's events as the
     * job does, into {@link SurprisalPipeline#sequenceDetectors}, whose alerts and dead letters are
     * discarded; returns the events.
     */
    private static DataStream<Event> sequenceFloor(SurprisalConfig config, KeyedStream<Event, String> byUser, int cachedUsers,
            CepFloorOperator.Ordering ordering) {
        SingleOutputStreamOperator<Event> routed = byUser
                .transform("sequence floor: " + (ordering == CepFloorOperator.Ordering.NONE ? "" : "event-time ordering (" + ordering + "), then ")
                        + "routing to the CEP patterns, " + cachedUsers + " users cached",
                        TypeInformation.of(Event.class), new CepFloorOperator(cachedUsers, config.cep(), config.state().ttl(), ordering))
                .uid("sequence-floor");
        SurprisalPipeline.Detected sequences = SurprisalPipeline.sequenceDetectors(config, routed, routed);
        for (int i = 0; i < sequences.alerts().size(); i++) {
            sequences.alerts().get(i).sinkTo(new DiscardingSink<>()).name("sequence alerts: discard").uid("sink-sequence-alerts-" + i);
        }
        for (int i = 0; i < sequences.deadLetters().size(); i++) {
            sequences.deadLetters().get(i).sinkTo(new DiscardingSink<>()).name("sequence dead letters: discard").uid("sink-sequence-dead-letters-" + i);
        }
        return routed;
    }

    /**
     * The most events per second that {@code cores} can run when each event takes the sequence
     * floor's {@code floorCpuMicros} of CPU (the whole process's, while the source emitted) and the
     * detectors' plain-Java math at {@code coreRate} events per second on one thread: CPU time adds
     * up where wall time need not.
     */
    static double sequencesBound(double floorCpuMicros, double coreRate, int cores) {
        return cores * 1e6 / (floorCpuMicros + 1e6 / coreRate);
    }

    /** Runs one of the sequence floors over the file's first {@code events} and prints its row, against (a) when it ran. */
    private FlinkRun sequenceFloorRow(Path file, long events, FlinkRun a, Graph graph, String label, String description) throws Exception {
        FlinkRun run = runFlink(file, graph, new ProbedSource.Settings(0, events, false), null);
        out.printf(Locale.ROOT, "  %s %s  %,10.0f events/s  (%.1f s, peak heap %,d MB, %.1f us CPU per event while the source emitted)%s%n",
                label, description, run.eventsPerSecond(), run.seconds(), run.peakHeap() >> 20, run.emittingCpuMicrosPerEvent(),
                a == null ? "" : String.format(Locale.ROOT, "  %s/a = %.2f", label, run.eventsPerSecond() / a.eventsPerSecond()));
        return run;
    }

    /** What the warm-up ran, as printed. */
    static String warmedUp(boolean a, boolean compared, boolean floor) {
        List<String> parts = new ArrayList<>();
        if (a) {
            parts.add("(a)");
        }
        parts.add("(b)");
        if (compared) {
            parts.add("(b')");
        }
        if (floor) {
            parts.add("(a+1c+cep)");
            parts.add("(a+1c+o+cep)");
            parts.add("(a+1c+q+cep)");
        }
        return parts.size() == 1 ? parts.get(0)
                : String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
    }

    private static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    /** Samples the heap in use every 20 ms; {@link #peak} is the most seen since {@link #reset}. */
    static final class HeapSampler {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final AtomicLong peak = new AtomicLong();
        private Thread thread;

        void start() {
            thread = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void reset() {
            System.gc(); // what the previous part left behind is not this part's peak
            peak.set(memory.getHeapMemoryUsage().getUsed());
        }

        long peak() {
            return peak.get();
        }

        void stop() {
            thread.interrupt();
        }
    }
}
