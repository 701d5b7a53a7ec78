package io.surprisal.cep;

import io.surprisal.novelty.LoginHarness;

import static io.surprisal.novelty.LoginHarness.assertNoStateLeft;
import static io.surprisal.novelty.LoginHarness.feed;
import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.alert.Alert;
import io.surprisal.alert.Severity;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.Event;
import io.surprisal.event.UserKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * Detector cep:brute-force in a keyed harness: the alerts of the CEP patterns it replaces (checked
 * against those patterns in Flink's CEP operator on random login sequences), a flood of 20,000
 * failures that costs bounded state and is reported once with its count, and no state or timer left.
 */
class BruteForceFunctionTest {
    private static final long T0 = 1_800_000_000_000L;
    private static final long SECOND = 1000L;
    private static final long MINUTE = 60 * SECOND;

    private final AtomicInteger ids = new AtomicInteger();

    private static SurprisalConfig config(String... sets) {
        return ConfigLoader.load(null, List.of(sets));
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Event, Alert> harness(SurprisalConfig c) throws Exception {
        return LoginHarness.harness(new BruteForceFunction(c), new UserKey());
    }

    private Event login(String user, long ts, boolean fail) {
        return LoginHarness.login(ids, user, ts, fail, "203.0.113.7");
    }

    @Test
    void enoughFailuresInTheWindowAlertOnceAndASuccessAfterThemIsCritical() throws Exception {
        try (var h = harness(config())) {
            List<Event> burst = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                burst.add(login("victim", T0 + i * 20 * SECOND, true));
            }
            burst.add(login("victim", T0 + 150 * SECOND, false));
            // Four failures: below the default of five.
            for (int i = 0; i < 4; i++) {
                burst.add(login("clumsy", T0 + i * 20 * SECOND, true));
            }
            burst.add(login("clumsy", T0 + 100 * SECOND, false));
            // Five failures, but spread over more than ten minutes.
            for (int i = 0; i < 5; i++) {
                burst.add(login("slow", T0 + i * 3 * MINUTE, true));
            }
            burst.sort((a, b) -> Long.compare(a.ts, b.ts));
            feed(h, burst);
            h.processWatermark(T0 + 30 * MINUTE);

            List<Alert> alerts = h.extractOutputValues();
            assertThat(alerts).hasSize(2).allSatisfy(a -> assertThat(a.user).isEqualTo("victim"));
            Alert failures = alerts.get(0);
            assertThat(failures.detector).isEqualTo("cep:brute-force");
            assertThat(failures.severity).isEqualTo(Severity.HIGH);
            assertThat(failures.score).isEqualTo(5.0);
            assertThat(failures.events).extracting(e -> e.eventId).containsExactly("e-1", "e-2", "e-3", "e-4", "e-5");
            assertThat(failures.summary).isEqualTo("victim failed to log in 5 times in 1 min 20 s");
            assertThat(failures.reasons.get(0).observed).isEqualTo("5 in 1 min 20 s");
            assertThat(failures.reasons.get(0).bits).isEqualTo(7.5);

            // The success follows six failures: the match starts at the earliest within the window,
            // as the pattern's did, and the alert counts all six.
            Alert success = alerts.get(1);
            assertThat(success.severity).isEqualTo(Severity.CRITICAL);
            assertThat(success.events).extracting(e -> e.eventId).containsExactly("e-1", "e-2", "e-3", "e-4", "e-5", "e-7");
            assertThat(success.score).isEqualTo(6.0);
            assertThat(success.summary).isEqualTo("victim logged in successfully after 6 failed logins in 1 min 40 s: a guessed password is likely");
            assertThat(success.alertId).isNotEqualTo(failures.alertId);
            assertNoStateLeft(h);
        }
    }

    @Test
    void aFloodOfFailuresKeepsBoundedStateAndIsReportedOnceWithItsCount() throws Exception {
        SurprisalConfig c = config();
        List<Event> others = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            others.add(login("victim", T0 + 30 * SECOND + i * 20 * SECOND, true));
        }
        others.add(login("victim", T0 + 170 * SECOND, false));
        List<Alert> alone;
        try (var h = harness(c)) {
            feed(h, others);
            h.processWatermark(T0 + 30 * MINUTE);
            alone = h.extractOutputValues();
        }
        try (var h = harness(c)) {
            // 20,000 failures of one user, 10 ms apart, with the victim's logins among them.
            List<Event> all = new ArrayList<>(others);
            for (int i = 0; i < 20_000; i++) {
                all.add(login("flood", T0 + i * 10L, true));
            }
            all.sort((a, b) -> Long.compare(a.ts, b.ts));
            int maxEntries = 0;
            for (Event e : all) {
                h.processElement(new StreamRecord<>(e, e.ts));
                maxEntries = Math.max(maxEntries, h.numKeyedStateEntries());
            }
            // Per user: the run and a ring of its last failures, whatever the flood's length.
            assertThat(maxEntries).isLessThanOrEqualTo(2 * (1 + BruteForceFunction.RING));
            assertThat(h.numEventTimeTimers()).isEqualTo(2);

            h.processWatermark(T0 + 30 * MINUTE);
            List<Alert> flood = h.extractOutputValues().stream().filter(a -> a.user.equals("flood")).toList();
            // Its first five failures, at once; the rest only counted, then one alert with the total.
            assertThat(flood).hasSize(2);
            assertThat(flood.get(0).score).isEqualTo(5.0);
            assertThat(flood.get(0).ts).isEqualTo(T0 + 40);
            Alert total = flood.get(1);
            assertThat(total.severity).isEqualTo(Severity.HIGH);
            assertThat(total.score).isEqualTo(20_000.0);
            assertThat(total.summary).startsWith("flood failed to log in 20000 times in 3 min 19 s");
            assertThat(total.reasons.get(0).observed).isEqualTo("20000 in 3 min 19 s");
            assertThat(total.ts).isEqualTo(T0 + 199_990);
            assertThat(total.events).hasSize(c.alerts().maxEvents()).last().satisfies(e -> assertThat(e.ts).isEqualTo(T0 + 199_990));
            // The other user's alerts are what they are without the flood.
            assertThat(h.extractOutputValues().stream().filter(a -> a.user.equals("victim")).map(a -> a.alertId + a.summary).toList())
                    .containsExactlyElementsOf(alone.stream().map(a -> a.alertId + a.summary).toList());
            assertNoStateLeft(h);
        }
    }

    @Test
    void aSuccessAfterAFloodIsCriticalAndCountsTheFlood() throws Exception {
        try (var h = harness(config())) {
            List<Event> all = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                all.add(login("flood", T0 + i * 10L, true));
            }
            // Twenty minutes of failures (longer than the window), then the guessed password.
            for (int i = 0; i < 120; i++) {
                all.add(login("flood", T0 + 200 * SECOND + i * 10 * SECOND, true));
            }
            Event success = login("flood", T0 + 1_400 * SECOND, false);
            all.add(success);
            feed(h, all);
            h.processWatermark(T0 + 2 * 3_600 * SECOND);
            List<Alert> alerts = h.extractOutputValues();
            // The critical alert states the run's total: no second statement of it when the run ends.
            assertThat(alerts).extracting(a -> a.severity).containsExactly(Severity.HIGH, Severity.CRITICAL);
            Alert critical = alerts.get(1);
            assertThat(critical.score).isEqualTo(20_120.0);
            assertThat(critical.summary).startsWith("flood logged in successfully after 20120 failed logins in 23 min 10 s");
            // The earliest failures within the window that the ring holds, then the login.
            assertThat(critical.events).hasSize(6).last().satisfies(e -> assertThat(e.eventId).isEqualTo(success.eventId));
            assertThat(critical.events.get(0).ts).isGreaterThan(success.ts - 10 * MINUTE);
            assertNoStateLeft(h);
        }
        try (var h = harness(config())) {
            // Failures go on after the guessed password: the run's end states its total.
            List<Event> all = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                all.add(login("flood", T0 + i * 10L, true));
            }
            all.add(login("flood", T0 + 10 * SECOND + 5, false));
            for (int i = 0; i < 1_000; i++) {
                all.add(login("flood", T0 + 11 * SECOND + i * 10L, true));
            }
            feed(h, all);
            h.processWatermark(T0 + 3_600 * SECOND);
            assertThat(h.extractOutputValues()).extracting(a -> a.severity + " " + (long) a.score)
                    .containsExactly("HIGH 5", "CRITICAL 1000", "HIGH 2000");
            assertNoStateLeft(h);
        }
    }

    @Test
    void aRunEndsWhenTheWindowPassesWithoutAFailureEvenBeforeItsTimerFires() throws Exception {
        try (var h = harness(config())) {
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                events.add(login("jane", T0 + i * SECOND, true));
            }
            // Exactly the window after the last failure: a new run, which alerts again.
            for (int i = 0; i < 5; i++) {
                events.add(login("jane", T0 + 11 * SECOND + 10 * MINUTE + i * SECOND, true));
            }
            feed(h, events);
            List<Alert> alerts = h.extractOutputValues();
            assertThat(alerts).extracting(a -> (long) a.score).containsExactly(5L, 12L, 5L);
            assertThat(alerts.get(1).summary).isEqualTo("jane failed to log in 12 times in 11 s: the run of failures went on after its first alert");
            assertThat(alerts).extracting(BruteForceFunction::isRunTotal).containsExactly(false, true, false);
            h.processWatermark(T0 + 30 * MINUTE);
            assertThat(h.extractOutputValues()).hasSize(3);
            assertNoStateLeft(h);
        }
    }

    /**
     * The patterns this function replaced, as they were: at least n failed logins within the window
     * (skip past the last event), and n failed logins then a successful one.
     */
    private static Pattern<Event, Event> failuresPattern(int n, Duration within) {
        return Pattern.<Event>begin("failed", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(CepPatterns::isFailedLogin)).times(n).within(within);
    }

    private static Pattern<Event, Event> successPattern(int n, Duration within) {
        return Pattern.<Event>begin("failed", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(CepPatterns::isFailedLogin)).times(n)
                .followedBy("login").where(SimpleCondition.of(CepPatterns::isSuccessfulLogin))
                .within(within);
    }

    /** A match as its event ids, in event-time order. */
    private static final class MatchIds extends PatternProcessFunction<Event, String> {
        @Override
        public void processMatch(Map<String, List<Event>> match, Context ctx, Collector<String> out) {
            List<Event> all = new ArrayList<>();
            match.values().forEach(all::addAll);
            all.sort((a, b) -> Long.compare(a.ts, b.ts));
            out.collect(String.join(",", all.stream().map(e -> e.eventId).toList()));
        }
    }

    private static List<String> cepMatches(Pattern<Event, Event> pattern, List<Event> events) throws Exception {
        CepOperator<Event, String, String> op = new CepOperator<>(
                TypeInformation.of(Event.class).createSerializer(new ExecutionConfig().getSerializerConfig()), false,
                NFACompiler.compileFactory(pattern, false), null, pattern.getAfterMatchSkipStrategy(), new MatchIds(), null);
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(op, new UserKey(), Types.STRING)) {
            h.open();
            for (Event e : events) {
                h.processElement(new StreamRecord<>(e.copy(), e.ts));
            }
            h.processWatermark(Long.MAX_VALUE - 1);
            return new ArrayList<>(h.extractOutputValues());
        }
    }

    /**
     * Random users' logins: bursts of fewer than 2n failures (so a pattern can match at most once
     * per burst and the function's counting never differs from it) with successes among them, gaps
     * from the same millisecond to just under and at the window, bursts a window or more apart.
     */
    private List<Event> randomLogins(Random rnd, int n, long window) {
        List<Event> all = new ArrayList<>();
        for (int u = 0; u < 40; u++) {
            String user = "u" + u;
            long t = T0 + rnd.nextInt(1000) * SECOND;
            for (int burst = 0; burst < 4; burst++) {
                int failures = 1 + rnd.nextInt(2 * n - 1);
                for (int f = 0; f < failures; f++) {
                    all.add(login(user, t, true));
                    t += gap(rnd, window);
                    if (rnd.nextInt(5) == 0) {
                        all.add(login(user, t, false));
                        t += gap(rnd, window);
                    }
                }
                t += window + (rnd.nextBoolean() ? 0 : rnd.nextInt(3) * window);
            }
        }
        all.sort((a, b) -> Long.compare(a.ts, b.ts)); // stable: a user's logins keep their order
        return all;
    }

    private static long gap(Random rnd, long window) {
        return switch (rnd.nextInt(5)) {
            case 0 -> 0;
            case 1 -> 1 + rnd.nextInt(30) * SECOND;
            case 2 -> rnd.nextInt((int) (window / SECOND / 3)) * SECOND;
            case 3 -> window / 4 + rnd.nextInt((int) (window / 2));
            default -> window - 1 - rnd.nextInt(2);
        };
    }

    @Test
    void itRaisesWhatTheCepPatternsRaisedOnRandomLogins() throws Exception {
        for (String[] sets : List.of(new String[0], new String[] {"cep.brute-force.min-failures=3", "cep.brute-force.within=2m"})) {
            SurprisalConfig c = config(sets);
            int n = c.cep().bruteForce().minFailures();
            Duration within = c.cep().bruteForce().within();
            for (long seed = 1; seed <= 5; seed++) {
                List<Event> logins = randomLogins(new Random(seed), n, within.toMillis());
                List<Event> failed = logins.stream().filter(e -> e.fail).toList();
                TreeSet<String> expected = new TreeSet<>(cepMatches(failuresPattern(n, within), failed));
                expected.addAll(cepMatches(successPattern(n, within), logins));
                TreeSet<String> actual = new TreeSet<>();
                try (var h = harness(c)) {
                    feed(h, logins);
                    h.processWatermark(Long.MAX_VALUE - 1);
                    for (Alert a : h.extractOutputValues()) {
                        actual.add(String.join(",", a.events.stream().map(e -> e.eventId).toList()));
                    }
                    assertNoStateLeft(h);
                }
                assertThat(expected).as("seed %d, n %d", seed, n).hasSizeGreaterThan(10);
                assertThat(actual).as("seed %d, n %d", seed, n).isEqualTo(expected);
            }
        }
    }
}
