package io.surprisal.novelty;

import io.surprisal.cep.PatternRouting;
import io.surprisal.flink.Descriptors;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.alert.Alert;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.DeadLetter;
import io.surprisal.event.Event;
import java.util.ArrayList;
import java.util.List;
import io.surprisal.cep.CepHarnesses;
import io.surprisal.cep.CepPatterns;
import io.surprisal.event.UserKey;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.junit.jupiter.api.Test;

/**
 * Detector login-novelty in a harness: mostly {@link LoginNoveltyWithUpdatesFunction} (the shared
 * logic plus run-time allowlist updates); the last tests check that the one-input {@link
 * LoginNoveltyFunction} scores alike and honours the configured allowlist.
 */
class LoginNoveltyFunctionTest {
    private static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private static final String FIREFOX_WIN = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
    private static final String FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    private static final String ANDROID = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
    private static final String SAFARI_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15";
    private static final long T0 = 1_780_000_000_000L;
    private static final long DAY = 86_400_000L;

    /** The population minimum at its default: min(1000, one returning login per user seen). */
    private static final SurprisalConfig CONFIG = ConfigLoader.defaults();

    /** A harness, not yet opened (so a test can restore state first). */
    private static KeyedBroadcastOperatorTestHarness<String, Event, LoginNoveltyUpdate, Event> harness() throws Exception {
        return new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(
                        new LoginNoveltyWithUpdatesFunction(CONFIG.novelty(), CONFIG.cep(), CONFIG.state(), CONFIG.alerts().maxEvents()),
                        List.of(Descriptors.ALLOWLIST, Descriptors.LOGIN_MODEL)),
                new UserKey(), Types.STRING, 1, 1, 0);
    }

    /** A login of {@link Logins#login} with the country's region and city, always from a desktop. */
    private static Event login(String user, long ts, String country, long asn, String ip, String ua) {
        Event e = Logins.login(user, ts, country, country + "-region", country + "-city", asn, ip, ua);
        e.device = "desktop";
        return e;
    }

    /**
     * 60 population users (US and GB, Chrome) with two logins each, the first 40 of them then once
     * from a phone at home; and jane with 30 logins from New York.
     */
    private static void warmUp(KeyedBroadcastOperatorTestHarness<String, Event, LoginNoveltyUpdate, Event> h) throws Exception {
        warmUp((EventSink) h::processElement);
    }

    /** Where a test sends events: either kind of harness. */
    private interface EventSink {
        void send(StreamRecord<Event> r) throws Exception;
    }

    private static void warmUp(EventSink h) throws Exception {
        for (long half : new long[] {0, DAY / 2}) {
            for (int u = 0; u < 60; u++) {
                String c = u % 3 == 0 ? "GB" : "US";
                long ts = T0 + half + u;
                h.send(new StreamRecord<>(login("p" + u, ts, c, c.equals("US") ? 7922 : 2856, "73.12." + u + ".1", CHROME), ts));
            }
        }
        for (int u = 0; u < 40; u++) {
            String c = u % 3 == 0 ? "GB" : "US";
            long ts = T0 + 3 * DAY / 4 + u;
            Event phone = login("p" + u, ts, c, c.equals("US") ? 7922 : 2856, "73.12." + u + ".1", ANDROID);
            phone.device = "mobile";
            h.send(new StreamRecord<>(phone, ts));
        }
        for (int i = 0; i < 30; i++) {
            long ts = T0 + (i + 1) * DAY;
            Event e = login("jane", ts, "US", 7922, "73.12.200.4", CHROME);
            e.lat = 40.7128; // New York
            e.lon = -74.0060;
            h.send(new StreamRecord<>(e, ts));
        }
    }

    private static List<Event> events(KeyedBroadcastOperatorTestHarness<String, Event, LoginNoveltyUpdate, Event> h) {
        List<Event> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof Event e) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<Alert> alerts(KeyedBroadcastOperatorTestHarness<String, Event, LoginNoveltyUpdate, Event> h) {
        List<Alert> out = new ArrayList<>();
        var q = h.getSideOutput(Descriptors.ALERTS);
        if (q != null) {
            q.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    @Test
    void janeFromUkraineOnFirefoxIsNovelAndAlertsOncePerSession() throws Exception {
        try (var h = harness()) {
            h.open();
            warmUp(h);
            assertThat(alerts(h)).isEmpty();
            assertThat(events(h)).noneMatch(e -> e.novel);
            long ts = T0 + 40 * DAY;
            Event fail = login("jane", ts, "UA", 15895, "46.211.9.9", FIREFOX_WIN);
            fail.fail = true;
            h.processElement(new StreamRecord<>(fail, ts));
            Event again = login("jane", ts + 1000, "UA", 15895, "46.211.9.9", FIREFOX_WIN);
            again.session = fail.session;
            h.processElement(new StreamRecord<>(again, ts + 1000));

            List<Event> out = events(h);
            Event last = out.get(out.size() - 1);
            assertThat(last.novel).isTrue();
            assertThat(last.noveltyBits).isGreaterThanOrEqualTo(CONFIG.novelty().thresholdBits());
            assertThat(out.get(out.size() - 2).novel).isTrue();
            List<Alert> alerts = alerts(h);
            assertThat(alerts).singleElement().satisfies(a -> {
                assertThat(a.detector).isEqualTo("login-novelty");
                assertThat(a.user).isEqualTo("jane");
                // Counts are decayed (30 daily logins, half-life 30 days): about 22 remain.
                assertThat(a.summary).containsPattern("country UA: never seen for jane \\(0 of 2\\d logins\\); jane showed a new "
                                + "country at 0 of 2\\d logins, users with that history at [0-9.]+%: P\\(new\\) [0-9.]+%; 0 users have shown it")
                        .contains("browser Firefox: never seen for jane (0 of 2");
                assertThat(a.summary).doesNotContain("ip prefix", "asn", "city"); // the new country paid for those
                assertThat(a.reasons).extracting(r -> r.feature).contains("country", "browser");
                assertThat(a.reasons).allSatisfy(r -> assertThat(r.bits).isPositive());
                assertThat(a.events).hasSize(1);
            });
            // Per user a profile and the last session id (61 users), and jane's slot of events that
            // opened an account-takeover match (her novel login); no timers: the function buffers nothing.
            assertThat(((HeapKeyedStateBackend<?>) h.getOperator().getKeyedStateBackend()).numKeyValueStateEntries()).isEqualTo(2 * 61 + 1);
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void loginsOfTheSameInstantAreScoredAgainstTheSamePopulationWhateverTheirOrder() throws Exception {
        // Timers of different users at one instant fire in no fixed order: that order must not
        // reach the scores, or a replay would change alerts.
        long ts = T0 + 40 * DAY;
        double[] firstOrder = sameInstant(ts, "a", "b");
        double[] otherOrder = sameInstant(ts, "b", "a");
        assertThat(firstOrder[0]).isEqualTo(otherOrder[1]);
        assertThat(firstOrder[1]).isEqualTo(otherOrder[0]);
        assertThat(firstOrder[0]).as("both are new logins from a rare country").isEqualTo(firstOrder[1]).isPositive();
    }

    /** Novelty bits of two users' identical logins from Iceland at {@code ts}, in the given order. */
    private static double[] sameInstant(long ts, String first, String second) throws Exception {
        try (var h = harness()) {
            h.open();
            warmUp(h);
            Event x = login(first, ts, "IS", 12969, "157.157.1.1", FIREFOX_LINUX);
            Event y = login(second, ts, "IS", 12969, "157.157.1.2", FIREFOX_LINUX);
            h.processElement(new StreamRecord<>(x, ts));
            h.processElement(new StreamRecord<>(y, ts));
            return new double[] {x.noveltyBits, y.noveltyBits};
        }
    }

    @Test
    void newUserIsInColdStartAndNeverNovel() throws Exception {
        try (var h = harness()) {
            h.open();
            warmUp(h);
            Event first = login("newbie", T0 + 40 * DAY, "UA", 15895, "46.211.9.9", FIREFOX_LINUX);
            h.processElement(new StreamRecord<>(first, first.ts));
            List<Event> out = events(h);
            Event last = out.get(out.size() - 1);
            assertThat(last.novel).isFalse();
            assertThat(last.noveltyBits).isPositive(); // population rarity still counts
            assertThat(alerts(h)).isEmpty();
        }
    }

    @Test
    void allowlistUpdatesSilenceANetworkAndSurviveARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            warmUp(h);
            h.processBroadcastElement(new StreamRecord<>(LoginNoveltyUpdate.allowlist("{\"op\":\"add\",\"network\":\"46.211.0.0/16\"}")));
            h.processBroadcastElement(new StreamRecord<>(LoginNoveltyUpdate.allowlist("garbage")));
            assertThat(h.getSideOutput(Descriptors.DEAD_LETTERS)).extracting(r -> ((DeadLetter) r.getValue()).reason)
                    .containsExactly("malformed_json");
            long ts = T0 + 40 * DAY;
            h.processElement(new StreamRecord<>(login("jane", ts, "UA", 15895, "46.211.9.9", FIREFOX_LINUX), ts));
            assertAllowlisted(events(h));
            assertThat(alerts(h)).isEmpty();
            snapshot = h.snapshot(1, ts);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            // Users with two logins of history, from Ukraine on Firefox on Linux: as novel as jane was.
            long ts = T0 + 41 * DAY;
            h.processElement(new StreamRecord<>(login("p50", ts, "UA", 15895, "46.211.7.7", FIREFOX_LINUX), ts));
            assertAllowlisted(events(h)); // still allowlisted after the restore
            assertThat(alerts(h)).isEmpty();
            h.processBroadcastElement(new StreamRecord<>(LoginNoveltyUpdate.allowlist("{\"op\":\"remove\",\"network\":\"46.211.0.0/16\"}")));
            h.processElement(new StreamRecord<>(login("p51", ts + 1000, "RU", 12389, "95.24.1.1", SAFARI_MAC), ts + 1000));
            assertThat(alerts(h)).extracting(a -> a.user).containsExactly("p51");
        }
    }

    /** The last event was over the threshold, yet not novel: the allowlist held it back. */
    private static void assertAllowlisted(List<Event> out) {
        Event last = out.get(out.size() - 1);
        assertThat(last.noveltyBits).isGreaterThanOrEqualTo(CONFIG.novelty().thresholdBits());
        assertThat(last.novel).isFalse();
    }

    /** Jane's login from London (5,570 km from New York) {@code after} her last login, on her usual browser. */
    private static Event london(long after) {
        long ts = T0 + 30 * DAY + after;
        Event e = login("jane", ts, "GB", 2856, "86.128.7.9", CHROME);
        e.lat = 51.5074;
        e.lon = -0.1278;
        return e;
    }

    @Test
    void aLoginFromLondonTwentyMinutesAfterNewYorkAlertsAsImpossibleTravel() throws Exception {
        try (var h = harness()) {
            h.open();
            warmUp(h);
            Event e = london(20 * 60_000L);
            h.processElement(new StreamRecord<>(e, e.ts));
            assertThat(alerts(h)).singleElement().satisfies(a -> {
                assertThat(a.reasons.get(0).feature).isEqualTo("impossible travel");
                assertThat(a.reasons.get(0).observed)
                        .matches("GB-city, GB: 5,5\\d\\d km from US-city, US in 20 min \\(16,\\d{3} km/h\\), a place new to jane");
                assertThat(a.reasons.get(0).expected).isEqualTo("at most 1,000 km/h (an airliner); distances under 500 km are geo-IP error");
                assertThat(a.reasons.get(0).bits).isEqualTo(CONFIG.novelty().impossibleTravel().bits());
                assertThat(a.summary).startsWith("unusual login for jane").contains("impossible travel: GB-city, GB");
            });
            // The place is learned as jane's last: state stays one profile and one recency per user, no
            // timers, and the novel login holds account-takeover's opener slot for jane.
            assertThat(((HeapKeyedStateBackend<?>) h.getOperator().getKeyedStateBackend()).numKeyValueStateEntries()).isEqualTo(2 * 61 + 1);
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void theSameLoginTwelveHoursLaterIsATrip() throws Exception {
        try (var h = harness()) {
            h.open();
            warmUp(h);
            Event e = london(12 * 3_600_000L);
            h.processElement(new StreamRecord<>(e, e.ts));
            assertThat(alerts(h)).isEmpty();
            List<Event> out = events(h);
            assertThat(out.get(out.size() - 1).noveltyBits).isPositive().isLessThan(CONFIG.novelty().thresholdBits());
        }
    }

    @Test
    void aSiteOfTwentyUsersAlertsOnceTheyHaveHistory() throws Exception {
        // 21 users (jane among them) with a login a day for six days: 105 returning logins, far
        // below a fixed minimum of 1000 but above one per user seen.
        try (var h = harness()) {
            h.open();
            for (int day = 0; day < 6; day++) {
                for (int u = 0; u <= 20; u++) {
                    String user = u == 20 ? "jane" : "p" + u;
                    long ts = T0 + day * DAY + u;
                    h.processElement(new StreamRecord<>(login(user, ts, "US", 7922, "73.12." + u + ".1", CHROME), ts));
                }
            }
            assertThat(alerts(h)).isEmpty();
            long ts = T0 + 6 * DAY;
            h.processElement(new StreamRecord<>(login("jane", ts, "RU", 12389, "95.24.1.1", SAFARI_MAC), ts));
            assertThat(alerts(h)).extracting(a -> a.user).containsExactly("jane");
        }
    }

    /** The one-input function, not yet opened. */
    private static KeyedOneInputStreamOperatorTestHarness<String, Event, Event> oneInputHarness(SurprisalConfig config) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new LoginNoveltyFunction(config.novelty(), config.cep(), config.state(), config.alerts().maxEvents())),
                new UserKey(), Types.STRING);
    }

    @Test
    void theOneInputFunctionScoresEveryEventAsTheBroadcastOneDoes() throws Exception {
        long ts = T0 + 40 * DAY;
        List<Event> broadcastOut;
        List<Alert> broadcastAlerts;
        try (var h = harness()) {
            h.open();
            warmUp(h);
            h.processElement(new StreamRecord<>(login("jane", ts, "UA", 15895, "46.211.9.9", FIREFOX_WIN), ts));
            broadcastOut = events(h);
            broadcastAlerts = alerts(h);
        }
        try (var h = oneInputHarness(CONFIG)) {
            h.open();
            warmUp((EventSink) h::processElement);
            h.processElement(new StreamRecord<>(login("jane", ts, "UA", 15895, "46.211.9.9", FIREFOX_WIN), ts));
            List<Event> out = h.extractOutputValues();
            assertThat(out).extracting(e -> e.eventId).containsExactlyElementsOf(broadcastOut.stream().map(e -> e.eventId).toList());
            assertThat(out).extracting(e -> e.noveltyBits).containsExactlyElementsOf(broadcastOut.stream().map(e -> e.noveltyBits).toList());
            assertThat(out.get(out.size() - 1).novel).isTrue();
            List<Alert> alerts = new ArrayList<>();
            h.getSideOutput(Descriptors.ALERTS).forEach(r -> alerts.add(r.getValue()));
            assertThat(alerts).extracting(a -> a.summary).containsExactlyElementsOf(broadcastAlerts.stream().map(a -> a.summary).toList());
            assertThat(alerts).hasSize(1);
            assertThat(h.numKeyedStateEntries()).isEqualTo(2 * 61 + 1); // with jane's account-takeover opener slot
        }
    }

    @Test
    void theOneInputFunctionHonoursTheConfiguredAllowlist() throws Exception {
        SurprisalConfig allowUkraine = ConfigLoader.load(null, List.of("novelty.allowlist.countries=[UA]"));
        try (var h = oneInputHarness(allowUkraine)) {
            h.open();
            warmUp((EventSink) h::processElement);
            long ts = T0 + 40 * DAY;
            h.processElement(new StreamRecord<>(login("jane", ts, "UA", 15895, "46.211.9.9", FIREFOX_WIN), ts));
            List<Event> out = h.extractOutputValues();
            Event last = out.get(out.size() - 1);
            assertThat(last.noveltyBits).isGreaterThanOrEqualTo(allowUkraine.novelty().thresholdBits());
            assertThat(last.novel).isFalse();
            assertThat(h.getSideOutput(Descriptors.ALERTS)).isNullOrEmpty();
        }
    }

    @Test
    void eventsReachAGatedPatternOnlyAfterItsOpeningLogin() throws Exception {
        try (var h = oneInputHarness(CONFIG)) {
            h.open();
            warmUp((EventSink) h::processElement);
            long ts = T0 + 40 * DAY;
            Event buy = login("jane", ts, "US", 7922, "73.12.200.4", CHROME);
            buy.action = "buy_item";
            h.processElement(new StreamRecord<>(buy, ts));
            Event failed = login("jane", ts + 1000, "US", 7922, "73.12.200.4", CHROME);
            failed.fail = true;
            h.processElement(new StreamRecord<>(failed, ts + 1000));
            Event buyAfter = login("jane", ts + 2000, "US", 7922, "73.12.200.4", CHROME);
            buyAfter.action = "buy_item";
            h.processElement(new StreamRecord<>(buyAfter, ts + 2000));
            // Every event still leaves on the main output.
            assertThat(h.extractOutputValues()).extracting(e -> e.eventId).contains(buy.eventId, failed.eventId, buyAfter.eventId);
            // failed-login-then-buy: jane's warm-up logins and first buy had no failed login before them;
            // her failed login waited for the buy after it, and reaches the pattern with the buy's time.
            assertThat(routed(h, "cep-failed-login-then-buy")).containsExactly(failed.eventId, buyAfter.eventId);
            assertThat(h.getSideOutput(Descriptors.cepEvents("cep-failed-login-then-buy")))
                    .extracting(StreamRecord::getTimestamp).containsOnly(buyAfter.ts);
            // account-takeover nothing (no novel login).
            assertThat(routed(h, "cep-account-takeover")).isEmpty();
            // State per user: the profile and the recency (61 users; jane's recency now has her
            // failure), and jane's slot of events that opened a failed-login-then-buy match.
            assertThat(h.numKeyedStateEntries()).isEqualTo(2 * 61 + 1);
        }
    }

    /**
     * A successful login ends every failed-login-then-buy partial match, so the failed login before it
     * never reaches the pattern, nor does anything of the user until the next failed login; and the
     * pattern alerts on what is routed, at the times it is routed, exactly as on every login and buy.
     */
    @Test
    void aSuccessfulLoginClosesTheFailedLoginGateUntilTheNextFailure() throws Exception {
        CepPatterns.PatternSpec thenBuy = PatternRouting.routedPatterns(CONFIG.cep()).get(0);
        try (var h = oneInputHarness(CONFIG)) {
            h.open();
            warmUp((EventSink) h::processElement);
            long ts = T0 + 40 * DAY;
            Event failed = login("jane", ts, "US", 7922, "73.12.200.4", CHROME);
            failed.fail = true;
            Event success = login("jane", ts + 1000, "US", 7922, "73.12.200.4", CHROME);
            Event buy = login("jane", ts + 2000, "US", 7922, "73.12.200.4", CHROME);
            buy.action = "buy_item";
            Event again = login("jane", ts + 3000, "US", 7922, "73.12.200.4", CHROME);
            Event failedAgain = login("jane", ts + 4000, "US", 7922, "73.12.200.4", CHROME);
            failedAgain.fail = true;
            Event buyAfter = login("jane", ts + 5000, "US", 7922, "73.12.200.4", CHROME);
            buyAfter.action = "buy_item";
            List<Event> all = List.of(failed, success, buy, again, failedAgain, buyAfter);
            for (Event e : all) {
                h.processElement(new StreamRecord<>(e, e.ts));
            }
            assertThat(routed(h, "cep-failed-login-then-buy")).containsExactly(failedAgain.eventId, buyAfter.eventId);

            List<StreamRecord<Event>> routedRecords = new ArrayList<>(h.getSideOutput(Descriptors.cepEvents(thenBuy.uid())));
            List<Alert> fromRouted = matches(thenBuy, routedRecords, buyAfter.ts);
            List<Alert> fromAll = matches(thenBuy, all.stream().map(e -> new StreamRecord<>(e, e.ts)).toList(), buyAfter.ts);
            assertThat(fromRouted).hasSize(1);
            assertThat(fromRouted.get(0).events).extracting(e -> e.eventId).containsExactly(failedAgain.eventId, buyAfter.eventId);
            assertThat(fromRouted).extracting(a -> a.alertId).isEqualTo(fromAll.stream().map(a -> a.alertId).toList());
        }
    }

    /** The alerts of {@code spec}'s CEP operator fed {@code records} in order, up to watermark {@code until}. */
    private static List<Alert> matches(CepPatterns.PatternSpec spec, List<StreamRecord<Event>> records, long until) throws Exception {
        try (var cep = CepHarnesses.operator(spec, CONFIG)) {
            for (StreamRecord<Event> r : records) {
                cep.processElement(new StreamRecord<>(r.getValue().copy(), r.getTimestamp()));
            }
            cep.processWatermark(until);
            return cep.extractOutputValues();
        }
    }

    @Test
    void aFloodOfOpeningLoginsReachesEachSequencePatternInBoundedNumbers() throws Exception {
        SurprisalConfig config = CONFIG;
        CepPatterns.PatternSpec thenBuy = PatternRouting.routedPatterns(config.cep()).get(0);
        assertThat(thenBuy.uid()).isEqualTo("cep-failed-login-then-buy");
        try (var h = oneInputHarness(config)) {
            h.open();
            warmUp((EventSink) h::processElement);
            long ts = T0 + 40 * DAY;
            // 20,000 failed logins of jane, 10 ms apart, then a buy without a successful login;
            // and a user who logs in from a new country, network and browser every second.
            String jane0 = null;
            for (int i = 0; i < 20_000; i++) {
                Event failed = login("jane", ts + i * 10L, "US", 7922, "73.12.200.4", CHROME);
                failed.fail = true;
                jane0 = i == 0 ? failed.eventId : jane0;
                h.processElement(new StreamRecord<>(failed, failed.ts));
            }
            Event buy = login("jane", ts + 200_500, "US", 7922, "73.12.200.4", CHROME);
            buy.action = "buy_item";
            h.processElement(new StreamRecord<>(buy, buy.ts));
            for (int i = 0; i < 1_000; i++) {
                long t = ts + i * 1000L;
                String ua = "Mozilla/5.0 (X11; Linux x86_64; rv:" + (60 + i % 70) + ".0) Gecko/20100101 Firefox/" + (60 + i % 70) + ".0";
                h.processElement(new StreamRecord<>(login("joe", t, "Z" + i, 100_000 + i,
                        (11 + i / 250) + "." + (i % 250) + ".3.4", ua), t));
            }

            // Every failure leaves on the main output; no more than four per eighth of the window (200 s
            // of failures fit in one) wait for a buy, and the buy sends the earliest: one match.
            assertThat(routed(h, "cep-failed-login-then-buy")).containsExactly(jane0, buy.eventId);
            assertThat(matches(thenBuy, new ArrayList<>(h.getSideOutput(Descriptors.cepEvents(thenBuy.uid()))), buy.ts))
                    .extracting(a -> a.user).containsExactly("jane");
            // Joe's logins: a user who changes everything at every login soon finds a new value
            // unsurprising (login novelty's own rate of new values), so few are novel; whatever they
            // are, at most four per eighth of account-takeover's hour reach it (CepPatternsTest holds
            // the slot rule itself).
            List<String> routedTakeover = routed(h, "cep-account-takeover");
            long novel = h.extractOutputValues().stream().filter(e -> e.user.equals("joe") && e.novel).count();
            assertThat(novel).isGreaterThanOrEqualTo(1);
            assertThat(routedTakeover).hasSizeBetween(1, (int) Math.min(novel, 3 * 4));
        }
    }

    private static List<String> routed(KeyedOneInputStreamOperatorTestHarness<String, Event, Event> h, String patternUid) {
        List<String> ids = new ArrayList<>();
        var q = h.getSideOutput(Descriptors.cepEvents(patternUid));
        if (q != null) {
            q.forEach(r -> ids.add(r.getValue().eventId));
        }
        return ids;
    }
}
