package io.surprisal.tools.cli;

import io.surprisal.sim.KafkaStreamer;
import io.surprisal.sim.Simulator;
import io.surprisal.sim.SimulatorConfig;
import io.surprisal.sim.World;
import io.surprisal.sim.WorldKnobs;
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
        description = {"Simulate users (seed 002's profiles plus injected attacks) and write events as JSON lines with labels in a separate CSV, or stream them into Kafka.",
                "The world knobs (docs/simulator-worlds.md) start from --world's settings and each flag given overrides one."})
public final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--users", description = "users (default: the world's, or 1000 without --world)")
    Integer users;

    @Option(names = "--days", description = "days of activity (default: the world's, or 2 without --world)")
    Integer days;

    @Option(names = "--world", paramLabel = "NAME",
            description = "start from a world of the evaluation matrix: default, sparse, heavy, small-site, mobile-heavy, many-new; one outside it: lognormal-gaps, lognormal-visits, personal-chains, personal-paces, personal-spending, mixed (docs/simulator-worlds.md); or legacy (the original simulator, byte for byte: no coordinates, no impossible travel)")
    String world;

    @Option(names = "--visits-per-day", paramLabel = "MIN[:MAX]", description = "each normal user's mean visits a day, uniform in [MIN, MAX), e.g. 0.3:1.3 or 20 (default world 1:3)")
    String visitsPerDay;

    @Option(names = "--ip-churn", paramLabel = "P", description = "probability that a visit comes from a new /24 inside the user's own network (default world 0)")
    Double ipChurn;

    @Option(names = "--mobile-network-share", paramLabel = "S", description = "share of users on a mobile carrier (default world 0.25)")
    Double mobileNetworkShare;

    @Option(names = "--phone-share", paramLabel = "S", description = "share of users whose main device is a phone (default world 0.45)")
    Double phoneShare;

    @Option(names = "--multi-device-share", paramLabel = "S", description = "share of users with a phone and a computer (default world 0.35)")
    Double multiDeviceShare;

    @Option(names = "--travel-share", paramLabel = "S", description = "share of normal users on a trip abroad on a scored day (default world 0.02)")
    Double travelShare;

    @Option(names = "--new-user-share", paramLabel = "S", description = "share of users whose first visit is on a scored day (default world 0)")
    Double newUserShare;

    @Option(names = "--history-days", paramLabel = "N", description = "leading days of history only; scenarios and new users fall on the days after (default: days - 1 with --world, else 1)")
    Integer historyDays;

    @Option(names = "--abnormal-share", paramLabel = "S", description = "share of bots, spammers, fraudsters and attackers (default world 0.02)")
    Double abnormalShare;

    @Option(names = "--attack-share", paramLabel = "S", description = "share of normal users given each attack: novelty, takeover, impossible travel, gift cards, long session, fast pace (default world 0.005 each)")
    Double attackShare;

    @Option(names = "--impossible-travel-share", paramLabel = "S", description = "share of normal users given the impossible-travel attack (overrides --attack-share for it)")
    Double impossibleTravelShare;

    @Option(names = "--gift-card-share", paramLabel = "S", description = "share of normal users given the gift-cards attack (overrides --attack-share for it)")
    Double giftCardShare;

    @Option(names = "--long-session-share", paramLabel = "S", description = "share of normal users given the long-session attack: one visit of 8 to 30 times their median events (overrides --attack-share for it)")
    Double longSessionShare;

    @Option(names = "--fast-pace-share", paramLabel = "S", description = "share of normal users given the fast-pace attack: a visit at 2.5 to 4.5 times their usual pace, under the velocity rule (overrides --attack-share for it)")
    Double fastPaceShare;

    @Option(names = "--coordinates", negatable = true, fallbackValue = "true",
            description = "give every event lat and lon, the city's centre (default on; off in the legacy world)")
    Boolean coordinates;

    @Option(names = "--min-per-kind", paramLabel = "N", description = "at least N users of every abnormal profile and scenario (default: the world's, or 0)")
    Integer minPerKind;

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

    /** The simulator config: the world's, then every flag given. */
    SimulatorConfig config() {
        World base = world == null || world.equalsIgnoreCase("legacy") ? null : World.named(world);
        WorldKnobs knobs = world == null ? WorldKnobs.DEFAULT
                : base == null ? WorldKnobs.LEGACY : base.knobs();
        int u = users != null ? users : base != null ? base.users() : 1000;
        int d = days != null ? days : base != null ? base.days() : 2;
        int min = minPerKind != null ? minPerKind : base != null ? base.minPerKind() : 0;
        if (historyDays != null) {
            knobs = knobs.withHistoryDays(historyDays);
        } else if (base != null) {
            knobs = knobs.withHistoryDays(Math.max(1, d - 1));
        }
        if (visitsPerDay != null) {
            String[] range = visitsPerDay.split(":", 2);
            double lo = Double.parseDouble(range[0].strip());
            double hi = range.length > 1 ? Double.parseDouble(range[1].strip()) : lo;
            knobs = knobs.withVisitsPerDay(lo, hi);
        }
        if (ipChurn != null) {
            knobs = knobs.withIpChurn(ipChurn);
        }
        if (mobileNetworkShare != null) {
            knobs = knobs.withMobileNetworkShare(mobileNetworkShare);
        }
        if (phoneShare != null) {
            knobs = knobs.withPhoneShare(phoneShare);
        }
        if (multiDeviceShare != null) {
            knobs = knobs.withMultiDeviceShare(multiDeviceShare);
        }
        if (travelShare != null) {
            knobs = knobs.withTravelShare(travelShare);
        }
        if (newUserShare != null) {
            knobs = knobs.withNewUserShare(newUserShare);
        }
        if (abnormalShare != null) {
            knobs = knobs.withAbnormalShare(abnormalShare);
        }
        if (attackShare != null) {
            knobs = knobs.withAttackShare(attackShare);
        }
        if (impossibleTravelShare != null) {
            knobs = knobs.withImpossibleTravelShare(impossibleTravelShare);
        }
        if (giftCardShare != null) {
            knobs = knobs.withGiftCardShare(giftCardShare);
        }
        if (longSessionShare != null) {
            knobs = knobs.withLongSessionShare(longSessionShare);
        }
        if (fastPaceShare != null) {
            knobs = knobs.withFastPaceShare(fastPaceShare);
        }
        if (coordinates != null) {
            knobs = knobs.withCoordinates(coordinates);
        }
        return new SimulatorConfig(u, d, seed, SimulatorConfig.DEFAULT_START, min,
                SimulatorConfig.DEFAULT_MAX_EVENTS_PER_VISIT, knobs);
    }

    @Override
    public Integer call() throws Exception {
        SimulatorConfig config = config();
        Simulator sim = new Simulator(config);
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
                n, config.users(), config.days(), (System.nanoTime() - start) / 1e9, out, labels == null ? "" : " (labels: " + labels + ")");
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
