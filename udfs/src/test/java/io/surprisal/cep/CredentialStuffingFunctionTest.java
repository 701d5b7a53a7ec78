package io.surprisal.cep;

import io.surprisal.novelty.LoginHarness;

import static io.surprisal.novelty.LoginHarness.assertNoStateLeft;
import static io.surprisal.novelty.LoginHarness.feed;
import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.alert.Alert;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * Detector cep:credential-stuffing in a keyed harness (keyed by IP): distinct users counted as the
 * CEP pattern it replaces counted them (checked against it on random failures), events from several
 * users' operators taken in event-time order, a one-user flood from one IP in bounded state, a
 * many-user flood reported once with its totals, and no state or timer left.
 */
class CredentialStuffingFunctionTest {
    private static final long T0 = 1_800_000_000_000L;
    private static final long SECOND = 1000L;
    private static final long MINUTE = 60 * SECOND;

    private final AtomicInteger ids = new AtomicInteger();

    private static SurprisalConfig config(String... sets) {
        return ConfigLoader.load(null, List.of(sets));
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Event, Alert> harness(SurprisalConfig c) throws Exception {
        return LoginHarness.harness(new CredentialStuffingFunction(c), new CepPatterns.IpKey());
    }

    private Event failure(String user, long ts, String ip) {
        return LoginHarness.login(ids, user, ts, true, ip);
    }

    @Test
    void failuresOfEnoughDistinctUsersFromOneIpAlertOnceInEventTimeOrder() throws Exception {
        try (var h = harness(config())) {
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                events.add(failure("user" + i, T0 + i * 10 * SECOND, "203.0.113.7"));
            }
            // One user failing ten times from another ip is brute force, not stuffing.
            for (int i = 0; i < 10; i++) {
                events.add(failure("onlyone", T0 + i * 10 * SECOND, "198.51.100.9"));
            }
            // Four distinct users from a third ip: below the default of five.
            for (int i = 0; i < 4; i++) {
                events.add(failure("few" + i, T0 + i * 10 * SECOND, "192.0.2.1"));
            }
            // They come from several users' operators: not in event-time order.
            java.util.Collections.reverse(events);
            feed(h, events);
            assertThat(h.extractOutputValues()).isEmpty(); // they wait for the watermark
            h.processWatermark(T0 + 20 * MINUTE);

            List<Alert> alerts = h.extractOutputValues();
            assertThat(alerts).hasSize(1);
            Alert a = alerts.get(0);
            assertThat(a.detector).isEqualTo("cep:credential-stuffing");
            assertThat(a.user).isEqualTo("ip:203.0.113.7");
            assertThat(a.score).isEqualTo(5.0);
            assertThat(a.ts).isEqualTo(T0 + 40 * SECOND);
            assertThat(a.events).extracting(e -> e.user).containsExactly("user0", "user1", "user2", "user3", "user4");
            assertThat(a.summary).isEqualTo("ip 203.0.113.7 failed logins for 5 different users in 40 s: user0, user1, user2, user3, user4");
            assertNoStateLeft(h);
        }
    }

    @Test
    void oneUsersFloodFromOneIpKeepsBoundedStateAndRaisesNothing() throws Exception {
        try (var h = harness(config())) {
            int maxEntries = 0;
            for (int i = 0; i < 20_000; i++) {
                Event e = failure("flood", T0 + i * 10L, "203.0.113.66");
                h.processElement(new StreamRecord<>(e, e.ts));
                if (i % 500 == 499) {
                    // The watermark follows 5 s behind, as the job's does.
                    h.processWatermark(e.ts - 5 * SECOND);
                }
                maxEntries = Math.max(maxEntries, h.numKeyedStateEntries());
            }
            // The run, one user's slot, and what waits for the watermark (5 s of failures).
            assertThat(maxEntries).isLessThanOrEqualTo(2 + 2 * 1_000);
            h.processWatermark(T0 + 20 * MINUTE);
            assertThat(h.extractOutputValues()).isEmpty();
            assertNoStateLeft(h);
        }
    }

    @Test
    void aManyUserFloodAlertsOnceThenStatesItsTotalsWhenItStops() throws Exception {
        try (var h = harness(config())) {
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) {
                events.add(failure("user" + (i % 1_000), T0 + i * 100L, "203.0.113.99"));
            }
            feed(h, events);
            h.processWatermark(T0 + 30 * MINUTE);
            List<Alert> alerts = h.extractOutputValues();
            assertThat(alerts).hasSize(2);
            assertThat(alerts.get(0).score).isEqualTo(5.0);
            Alert total = alerts.get(1);
            assertThat(total.score).isEqualTo(1_000.0);
            assertThat(total.summary).isEqualTo(
                    "ip 203.0.113.99 failed logins for 1000 different users (3000 failed logins) in 4 min 59 s: the run went on after its first alert");
            assertThat(total.ts).isEqualTo(T0 + 299_900);
            assertNoStateLeft(h);
        }
    }

    /** The pattern this function replaced, as it was: failed logins of n distinct users (skip past the last event). */
    private static Pattern<Event, Event> stuffingPattern(int n, Duration within) {
        return Pattern.<Event>begin("failed", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(new IterativeCondition<Event>() {
                    @Override
                    public boolean filter(Event e, Context<Event> ctx) throws Exception {
                        for (Event earlier : ctx.getEventsForPattern("failed")) {
                            if (Objects.equals(earlier.user, e.user)) {
                                return false;
                            }
                        }
                        return CepPatterns.isFailedLogin(e);
                    }
                })
                .times(n).within(within);
    }

    /** A match (or alert) as its time, ip and users. */
    private static final class MatchUsers extends PatternProcessFunction<Event, String> {
        @Override
        public void processMatch(Map<String, List<Event>> match, Context ctx, Collector<String> out) {
            List<Event> all = new ArrayList<>();
            match.values().forEach(all::addAll);
            out.collect(describe(all));
        }
    }

    private static String describe(List<Event> events) {
        long last = events.stream().mapToLong(e -> e.ts).max().orElseThrow();
        return last + " " + events.get(0).ip + " " + new TreeSet<>(events.stream().map(e -> e.user).toList());
    }

    @Test
    void itRaisesWhatTheCepPatternRaisedOnRandomFailures() throws Exception {
        SurprisalConfig c = config();
        int n = c.cep().credentialStuffing().minUsers();
        Duration within = c.cep().credentialStuffing().within();
        for (long seed = 1; seed <= 5; seed++) {
            Random rnd = new Random(seed);
            // Per ip, bursts of fewer than 2n failures from a small pool of users (so users repeat),
            // gaps up to just under and at the window, bursts a window or more apart; distinct
            // times per ip.
            List<Event> all = new ArrayList<>();
            for (int ip = 0; ip < 30; ip++) {
                long t = T0 + ip;
                for (int burst = 0; burst < 4; burst++) {
                    int failures = 1 + rnd.nextInt(2 * n - 1);
                    for (int f = 0; f < failures; f++) {
                        all.add(failure("u" + rnd.nextInt(7), t, "192.0.2." + ip));
                        t += switch (rnd.nextInt(4)) {
                            case 0 -> 1 + rnd.nextInt(30) * SECOND;
                            case 1 -> 1 + rnd.nextInt(200) * SECOND;
                            case 2 -> within.toMillis() - 1;
                            default -> rnd.nextInt(20) * SECOND + 1;
                        };
                    }
                    t += within.toMillis() + rnd.nextInt(2) * within.toMillis();
                }
            }
            all.sort((a, b) -> Long.compare(a.ts, b.ts));
            Pattern<Event, Event> pattern = stuffingPattern(n, within);
            CepOperator<Event, String, String> op = new CepOperator<>(
                    TypeInformation.of(Event.class).createSerializer(new ExecutionConfig().getSerializerConfig()), false,
                    NFACompiler.compileFactory(pattern, false), null, pattern.getAfterMatchSkipStrategy(), new MatchUsers(), null);
            TreeSet<String> expected = new TreeSet<>();
            try (var h = new KeyedOneInputStreamOperatorTestHarness<>(op, new CepPatterns.IpKey(), Types.STRING)) {
                h.open();
                for (Event e : all) {
                    h.processElement(new StreamRecord<>(e.copy(), e.ts));
                }
                h.processWatermark(Long.MAX_VALUE - 1);
                expected.addAll(h.extractOutputValues());
            }
            TreeSet<String> actual = new TreeSet<>();
            try (var h = harness(c)) {
                feed(h, all);
                h.processWatermark(Long.MAX_VALUE - 1);
                for (Alert a : h.extractOutputValues()) {
                    actual.add(describe(a.events));
                }
                assertNoStateLeft(h);
            }
            assertThat(expected).as("seed %d", seed).hasSizeGreaterThan(5);
            assertThat(actual).as("seed %d", seed).isEqualTo(expected);
        }
    }
}
