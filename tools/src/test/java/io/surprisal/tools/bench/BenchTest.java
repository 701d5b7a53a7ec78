package io.surprisal.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.job.LocalClusterConfiguration;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny run of {@code surprisal bench}: the full job over a few thousand simulated events, the
 * detector cores, and a short paced run. Checks the probes measure what they claim (every line
 * passes the source, the state is read after a checkpoint that covers every user, alerts are timed
 * from their lines), not how fast anything is.
 */
class BenchTest {
    @TempDir
    Path work;

    /** The bench on two slots with a checkpoint every second, printing into {@code printed}. */
    private Bench.Report bench(Bench.Options options, ByteArrayOutputStream printed) throws Exception {
        return bench(options, null, printed);
    }

    private Bench.Report bench(Bench.Options options, SurprisalConfig compared, ByteArrayOutputStream printed) throws Exception {
        Configuration flink = LocalClusterConfiguration.forRunIn(work, Configuration.fromMap(Map.of(
                "parallelism.default", "2", "execution.checkpointing.interval", "1s")));
        return new Bench(ConfigLoader.defaults(), compared, flink, options, work, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();
    }

    @Test
    void measuresTheFullJobTheCoresAndLatencyOnTheSameEvents() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Bench.Report r = bench(new Bench.Options(4_000, 300, 3L, 2, Set.of("c", "latency"), 1_000), printed);

        assertThat(r.events()).isEqualTo(4_000);
        assertThat(r.bRecords()).as("every line passed the source of (b), the warm-up's not counted").isEqualTo(4_000);
        assertThat(r.usersWithEvents()).isBetween(1L, 300L);
        assertThat(r.eventTime()).as("the span of the events' times").isPositive();
        assertThat(r.bAlerts()).as("bots in the simulation raise alerts").isPositive();
        // Read after the checkpoint that follows the last line: every user's profile is in RocksDB.
        assertThat(r.liveBytes()).isPositive();
        assertThat(r.sstBytes()).isPositive();
        assertThat(r.checkpointBytes()).isGreaterThanOrEqualTo(r.sstBytes() / 2);
        assertThat(r.c()).isPositive();
        assertThat(r.latencyEvents()).isPositive();
        if (r.timedAlerts() > 0) {
            assertThat(r.p50()).isPositive().isLessThanOrEqualTo(r.p99());
            assertThat(r.p99()).isLessThanOrEqualTo(r.max());
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains(String.format(java.util.Locale.ROOT, "over %d h %02d min of event time",
                        r.eventTime().toHours(), r.eventTime().toMinutesPart()), "warm-up: the first 1,000 events through (b) once",
                "(b) full job", "(c) detector cores", "b/(c x 2 cores)");
        assertThat(r.floor()).as("the state floor runs only when asked").isEmpty();
        assertThat(r.floorSequences()).isNaN();
        assertThat(r.floorOrderedSequences()).isNaN();
        assertThat(r.floorQueuedSequences()).isNaN();
    }

    @Test
    void theStateFloorReadsAndWritesOneTwoAndThreeValuesPerEvent() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Bench.Report r = bench(new Bench.Options(2_000, 200, 5L, 0, Set.of("a", "floor"), 0), printed);

        assertThat(r.events()).isEqualTo(2_000);
        // Every event was read and written once per value: the floor measures state access, not a shortcut.
        assertThat(r.floorWrites()).containsExactly(2_000L, 4_000L, 6_000L);
        assertThat(r.floor()).hasSize(3);
        for (double rate : r.floor()) {
            assertThat(rate).isPositive();
        }
        assertThat(r.a()).isPositive();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains(
                "(a+1) (a) with one keyed state value read and written per event",
                "(a+2) (a) with two keyed state values read and written per event",
                "(a+3) (a) with three keyed state values read and written per event",
                "(a+1)/a = ", "(a+3)/a = ", "each keyed value read and written adds, in turn, ",
                "(a+1c) (a+1) behind a write-back cache of 10,000 users per instance", "(a+1c)/a = ",
                "(a+1c+cep) (a+1c) routing to the job's sequence detectors", "(a+1c+cep)/a = ",
                "(a+1c+o+cep) (a+1c+cep) after each user's events are put in event-time order by timers", "(a+1c+o+cep)/a = ",
                "(a+1c+q+cep) (a+1c+cep) after each instance's events are put in event-time order in one queue", "(a+1c+q+cep)/a = ");
        assertThat(r.floorSequences()).isPositive();
        assertThat(r.floorOrderedSequences()).isPositive();
        assertThat(r.floorQueuedSequences()).isPositive();
    }

    @Test
    void comparesTheFullJobWithAnotherConfigurationInAlternatingRounds() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        SurprisalConfig compared = ConfigLoader.load(null, List.of("detectors.velocity.enabled=false"));
        Bench.Report r = bench(new Bench.Options(4_000, 300, 3L, 0, Set.of(), 0, 2, "detectors.velocity.enabled=false"), compared, printed);

        assertThat(r.bRounds()).hasSize(2);
        assertThat(r.comparedRounds()).hasSize(2);
        assertThat(java.util.stream.DoubleStream.concat(java.util.Arrays.stream(r.bRounds()), java.util.Arrays.stream(r.comparedRounds())))
                .allSatisfy(rate -> assertThat(rate).isPositive());
        assertThat(r.bAlertsByDetector()).as("the simulation's bots raise alerts in (b)").containsKey("velocity");
        assertThat(r.comparedAlerts()).as("(b') runs its own configuration").doesNotContainKey("velocity");
        String out = printed.toString(StandardCharsets.UTF_8);
        assertThat(out.split("\\(b'\\) full job with detectors.velocity.enabled=false", -1)).hasSize(3);
        assertThat(out).contains("median of 2 rounds:", "b/b' = ", "CPU per event, median: ");
        assertThat(r.b()).as("(b) is its rounds' median").isEqualTo(Bench.median(r.bRounds()));
    }

    @Test
    void withRoundsTheFullJobsMedianSetsBOverA() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Bench.Report r = bench(new Bench.Options(4_000, 300, 3L, 0, Set.of("a"), 0, 3, ""), printed);

        assertThat(r.bRounds()).hasSize(3);
        assertThat(java.util.Arrays.stream(r.bRounds())).allSatisfy(rate -> assertThat(rate).isPositive());
        assertThat(r.b()).isEqualTo(Bench.median(r.bRounds()));
        String out = printed.toString(StandardCharsets.UTF_8);
        assertThat(out.split("\\(b\\) full job: all detectors", -1)).as("(b) ran three times").hasSize(4);
        assertThat(out).contains(String.format(java.util.Locale.ROOT, "median of 3 rounds: (b) %,.0f events/s", r.b()))
                .contains(String.format(java.util.Locale.ROOT, "b/a = %.2f", r.b() / r.a()))
                .doesNotContain("(b')");
    }

    @Test
    void theSequenceBoundAddsTheFloorsCpuAndTheDetectorCoresAndSharesTheCores() {
        // 8 us of the floor and 2 us of detector math (500,000 events/s on one thread): 10 us an event, 2 cores.
        assertThat(Bench.sequencesBound(8.0, 500_000, 2)).isCloseTo(200_000, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(Bench.sequencesBound(8.0, 500_000, 4)).isCloseTo(400_000, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void theWarmUpSaysWhatItRan() {
        assertThat(Bench.warmedUp(false, false, false)).isEqualTo("(b)");
        assertThat(Bench.warmedUp(true, false, false)).isEqualTo("(a) and (b)");
        assertThat(Bench.warmedUp(false, false, true)).isEqualTo("(b), (a+1c+cep), (a+1c+o+cep) and (a+1c+q+cep)");
        assertThat(Bench.warmedUp(true, true, true)).isEqualTo("(a), (b), (b'), (a+1c+cep), (a+1c+o+cep) and (a+1c+q+cep)");
    }

    @Test
    void theCpuWhileTheSourceEmitsIsSampledFromTheFirstLineToTheLatestSample() {
        BenchProbe.reset(null);
        assertThat(BenchProbe.emittingCpuMicrosPerLine()).as("no sample yet").isNaN();
        for (int i = 0; i < 2 * BenchProbe.CPU_SAMPLE + 1; i++) {
            BenchProbe.emitted();
        }
        double perLine = BenchProbe.emittingCpuMicrosPerLine();
        assertThat(perLine).isFinite().isNotNegative();
        BenchProbe.reset(null);
        assertThat(BenchProbe.emittingCpuMicrosPerLine()).as("a new run starts without samples").isNaN();
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(Bench.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(Bench.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    }
}
