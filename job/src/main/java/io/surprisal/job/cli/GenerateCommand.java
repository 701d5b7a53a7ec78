package io.surprisal.job.cli;

import io.surprisal.sim.KafkaStreamer;
import io.surprisal.sim.Simulator;
import io.surprisal.sim.SimulatorConfig;
import java.io.BufferedWriter;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code surprisal generate}: labelled synthetic activity, to a file or streamed into Kafka. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Simulate users (seed 002's profiles plus injected attacks) and write events as JSON lines with labels in a separate CSV, or stream them into Kafka.")
public final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--users", defaultValue = "1000", description = "users (default ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--days", defaultValue = "2", description = "days of activity (default ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--seed", defaultValue = "1", description = "random seed; the same seed gives the same bytes (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", paramLabel = "FILE", description = "events as JSON lines")
    Path out;

    @Option(names = "--labels", paramLabel = "FILE", description = "labels CSV: user,type,scenario,scenario_start")
    Path labels;

    @Option(names = "--kafka", paramLabel = "BOOTSTRAP", description = "stream into Kafka instead of a file")
    String kafka;

    @Option(names = "--topic", defaultValue = "surprisal-events", description = "Kafka topic (default ${DEFAULT-VALUE})")
    String topic;

    @Option(names = "--rate", defaultValue = "50", description = "events per second when streaming (default ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--live-timestamps", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "when streaming, stamp events with the time of sending (default); --no-live-timestamps keeps the simulated times, so the gaps between a user's actions stay real")
    boolean liveTimestamps;

    @Override
    public Integer call() throws Exception {
        Simulator sim = new Simulator(new SimulatorConfig(users, days, seed, SimulatorConfig.DEFAULT_START));
        if (labels != null) {
            try (Writer w = Files.newBufferedWriter(labels, StandardCharsets.UTF_8)) {
                sim.writeLabels(w);
            }
        }
        if (kafka != null) {
            System.err.printf(Locale.ROOT, "surprisal generate: streaming to %s topic %s at %.0f events/s (Ctrl-C stops)%n", kafka, topic, rate);
            try (KafkaStreamer streamer = new KafkaStreamer(kafka, topic, rate, liveTimestamps)) {
                long n = streamer.stream(sim.eventLines());
                System.err.printf(Locale.ROOT, "surprisal generate: %,d events sent%n", n);
            }
            return 0;
        }
        if (out == null) {
            throw new IllegalArgumentException("give --out FILE (or --kafka BOOTSTRAP to stream)");
        }
        long start = System.nanoTime();
        boolean terminal = System.console() != null;
        long n;
        try (BufferedWriter file = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
                Writer w = terminal ? new LineCounter(file) : file) {
            n = sim.writeEvents(w);
        }
        if (terminal) {
            System.err.print("\r\033[K");
        }
        System.err.printf(Locale.ROOT, "surprisal generate: %,d events for %,d users over %d days in %.1f s -> %s%s%n",
                n, users, days, (System.nanoTime() - start) / 1e9, out, labels == null ? "" : " (labels: " + labels + ")");
        return 0;
    }

    /** Prints a progress line every 100,000 lines while stderr is a terminal. */
    private static final class LineCounter extends FilterWriter {
        private long lines;

        LineCounter(Writer out) {
            super(out);
        }

        @Override
        public void write(int c) throws IOException {
            super.write(c);
            if (c == '\n') {
                tick();
            }
        }

        @Override
        public void write(String s, int off, int len) throws IOException {
            super.write(s, off, len);
            for (int i = off; i < off + len; i++) {
                if (s.charAt(i) == '\n') {
                    tick();
                }
            }
        }

        @Override
        public void write(char[] cbuf, int off, int len) throws IOException {
            super.write(cbuf, off, len);
            for (int i = off; i < off + len; i++) {
                if (cbuf[i] == '\n') {
                    tick();
                }
            }
        }

        private void tick() {
            if (++lines % 100_000 == 0) {
                System.err.printf(Locale.ROOT, "\r  %,d events written ", lines);
            }
        }
    }
}
