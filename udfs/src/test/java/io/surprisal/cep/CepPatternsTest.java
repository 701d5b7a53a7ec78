package io.surprisal.cep;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.alert.Alert;
import io.surprisal.alert.Severity;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.Event;
import io.surprisal.flink.Descriptors;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Each CEP pattern in Flink's CEP operator (built as the job builds it) in a keyed harness: positive
 * and negative sequences, late events to the side output, and no keyed state or timer left once the
 * windows have passed (Flink 2.2's CEP operator clears a key's NFA once only its start state is
 * left; these tests hold it to that).
 */
class CepPatternsTest {
    private static final long T0 = 1_800_000_000_000L;
    private static final long SECOND = 1000L;
    private static final long MINUTE = 60 * SECOND;

    private final AtomicInteger ids = new AtomicInteger();

    private static SurprisalConfig config(String... sets) {
        return ConfigLoader.load(null, List.of(sets));
    }

    private static CepPatterns.PatternSpec spec(SurprisalConfig c, String uid) {
        return CepPatterns.enabled(c.cep()).stream().filter(s -> s.uid().equals(uid)).findFirst().orElseThrow();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Event, Alert> harness(SurprisalConfig c, String uid) throws Exception {
        return CepHarnesses.operator(spec(c, uid), c);
    }

    private Event event(String user, long ts, String action, boolean fail) {
        Event e = new Event();
        e.ts = ts;
        e.eventId = "e-" + ids.incrementAndGet();
        e.user = user;
        e.action = action;
        e.fail = fail;
        e.session = "s-" + user;
        e.ip = "203.0.113.7";
        e.bits = 1.5;
        return e;
    }

    private static List<Alert> alerts(KeyedOneInputStreamOperatorTestHarness<String, Event, Alert> h) {
        return CepHarnesses.alertRecords(h).stream().map(StreamRecord::getValue).toList();
    }

    private static void assertNoStateLeft(KeyedOneInputStreamOperatorTestHarness<String, Event, Alert> h) {
        assertThat(h.numEventTimeTimers()).as("event-time timers").isZero();
        assertThat(h.numKeyedStateEntries()).as("keyed state entries").isZero();
    }

    @Test
    void failedLoginThenBuyFiresOnceAndNamesItsEvents() throws Exception {
        SurprisalConfig c = config();
        try (var h = harness(c, "cep-failed-login-then-buy")) {
            Event f1 = event("mallory", T0, "login", true);
            Event f2 = event("mallory", T0 + 5 * SECOND, "login", true);
            Event view = event("mallory", T0 + 10 * SECOND, "view_item", false);
            Event buy = event("mallory", T0 + 20 * SECOND, "buy_item", false);
            CepHarnesses.feed(h, f1, f2, view, buy);
            h.processWatermark(T0 + 30 * SECOND);
            List<Alert> alerts = alerts(h);
            assertThat(alerts).hasSize(1);
            Alert a = alerts.get(0);
            assertThat(a.detector).isEqualTo("cep:failed-login-then-buy");
            assertThat(a.user).isEqualTo("mallory");
            assertThat(a.severity).isEqualTo(Severity.HIGH);
            assertThat(a.events).extracting(e -> e.eventId).containsExactly(f1.eventId, buy.eventId);
            assertThat(a.score).isEqualTo(3.0); // the two matched events' bits
            assertThat(a.summary).contains("mallory").contains("no successful login");
            Alert same = new Alert();
            same.detector = a.detector;
            same.user = a.user;
            same.events = a.events;
            assertThat(a.alertId).isEqualTo(same.withDerivedId().alertId);

            h.processWatermark(T0 + 31 * MINUTE);
            assertNoStateLeft(h);
        }
    }

    @Test
    void aSuccessfulLoginBetweenMeansNoAlert() throws Exception {
        try (var h = harness(config(), "cep-failed-login-then-buy")) {
            CepHarnesses.feed(h, event("jane", T0, "login", true),
                    event("jane", T0 + 5 * SECOND, "login", false),
                    event("jane", T0 + 60 * SECOND, "buy_item", false));
            h.processWatermark(T0 + 40 * MINUTE);
            assertThat(alerts(h)).isEmpty();
            assertNoStateLeft(h);
        }
    }

    @Test
    void aBuyAfterTheWindowOrAFailedBuyIsNoMatch() throws Exception {
        try (var h = harness(config(), "cep-failed-login-then-buy")) {
            CepHarnesses.feed(h, event("late", T0, "login", true), event("late", T0 + 31 * MINUTE, "buy_item", false));
            CepHarnesses.feed(h, event("failedbuy", T0, "login", true), event("failedbuy", T0 + MINUTE, "buy_item", true));
            h.processWatermark(T0 + 2 * 3600 * SECOND);
            assertThat(alerts(h)).isEmpty();
            assertNoStateLeft(h);
        }
    }

    @Test
    void accountTakeoverNeedsANovelLoginAndEveryStepInOrder() throws Exception {
        try (var h = harness(config(), "cep-account-takeover")) {
            Event login = event("victim", T0, "login", false);
            login.novel = true;
            login.noveltyBits = 12.0;
            Event email = event("victim", T0 + MINUTE, "update_email", false);
            Event pay = event("victim", T0 + 2 * MINUTE, "payment_modify", false);
            Event buy = event("victim", T0 + 3 * MINUTE, "buy_item", false);
            CepHarnesses.feed(h, login, email, pay, buy);
            // The same steps without novelty (a known device) and in the wrong order: nothing.
            Event known = event("regular", T0, "login", false);
            CepHarnesses.feed(h, known, event("regular", T0 + MINUTE, "update_email", false),
                    event("regular", T0 + 2 * MINUTE, "payment_modify", false), event("regular", T0 + 3 * MINUTE, "buy_item", false));
            Event novel2 = event("shuffled", T0, "login", false);
            novel2.novel = true;
            CepHarnesses.feed(h, novel2, event("shuffled", T0 + MINUTE, "payment_modify", false),
                    event("shuffled", T0 + 2 * MINUTE, "update_email", false), event("shuffled", T0 + 3 * MINUTE, "buy_item", false));
            h.processWatermark(T0 + 10 * MINUTE);

            List<Alert> alerts = alerts(h);
            assertThat(alerts).hasSize(1);
            Alert a = alerts.get(0);
            assertThat(a.detector).isEqualTo("cep:account-takeover");
            assertThat(a.user).isEqualTo("victim");
            assertThat(a.severity).isEqualTo(Severity.CRITICAL);
            assertThat(a.events).extracting(e -> e.eventId).containsExactly(login.eventId, email.eventId, pay.eventId, buy.eventId);
            assertThat(a.score).isEqualTo(4 * 1.5 + 12.0);

            h.processWatermark(T0 + 2 * 3600 * SECOND);
            assertNoStateLeft(h);
        }
    }

    @Test
    void lateEventsGoToTheSideOutputAndTimedOutPartialMatchesLeaveNothing() throws Exception {
        try (var h = harness(config(), "cep-failed-login-then-buy")) {
            CepHarnesses.feed(h, event("gone", T0, "login", true));
            h.processWatermark(T0 + MINUTE);
            // A partial match is waiting for a buy: state and its window timer exist.
            assertThat(h.numKeyedStateEntries()).isPositive();
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            Event late = event("gone", T0 + 30 * SECOND, "buy_item", false);
            CepHarnesses.feed(h, late);
            assertThat(h.getSideOutput(Descriptors.CEP_LATE_EVENTS)).extracting(r -> r.getValue().eventId).containsExactly(late.eventId);

            // The user never comes back: once the window has passed, the partial match is dropped
            // without an alert and no state is left for the key.
            h.processWatermark(T0 + 31 * MINUTE);
            assertThat(alerts(h)).isEmpty();
            assertNoStateLeft(h);
        }
    }

    @Test
    void aSwitchedOffPatternIsNotBuilt() {
        SurprisalConfig c = config("cep.account-takeover.enabled=false");
        assertThat(CepPatterns.enabled(c.cep())).extracting(CepPatterns.PatternSpec::uid)
                .containsExactly("cep-failed-login-then-buy");
        // brute-force and credential-stuffing count; they are keyed functions, not patterns.
        assertThat(CepPatterns.enabled(config().cep())).extracting(CepPatterns.PatternSpec::uid)
                .containsExactly("cep-failed-login-then-buy", "cep-account-takeover");
    }

    @Test
    void aSlotLetsAtMostMaxOpenersOpenAPartialMatch() {
        long slot = OpenerSlot.slotMillis(30 * MINUTE);
        assertThat(slot).isEqualTo(225 * SECOND);
        OpenerSlot s = new OpenerSlot();
        int admitted = 0;
        // A flood: one opening event every 10 ms for 20 minutes.
        for (long t = 0; t < 20 * MINUTE; t += 10) {
            if (s.admit(T0 + t, slot, 4)) {
                admitted++;
            }
        }
        // 20 minutes hold 6 slots (each begins with the first event after the previous one's end).
        assertThat(admitted).isEqualTo(6 * 4);
        // People: a few failed logins now and then, every one admitted.
        OpenerSlot person = new OpenerSlot();
        for (long t : new long[] {0, 20 * SECOND, 40 * SECOND, 3 * MINUTE, 4 * MINUTE, 9 * MINUTE, 9 * MINUTE + 1}) {
            assertThat(person.admit(T0 + t, slot, 4)).isTrue();
        }
    }

    @Test
    void aGatedPatternAdmitsOnlyEventsThatFollowTheirOpeningLoginWithinTheWindow() throws Exception {
        SurprisalConfig c = config();
        CepPatterns.PatternSpec thenBuy = spec(c, "cep-failed-login-then-buy");     // within 30m
        CepPatterns.PatternSpec takeover = spec(c, "cep-account-takeover");         // within 1h
        long none = Long.MIN_VALUE;
        Event buy = event("u", T0, "buy_item", false);
        Event success = event("u", T0, "login", false);
        Event failure = event("u", T0, "login", true);
        Event view = event("u", T0, "view_item", false);
        // The opening step always passes; the others only within the window after one.
        assertThat(thenBuy.admits(failure, none, none)).isTrue();
        assertThat(thenBuy.admits(buy, none, none)).isFalse();
        assertThat(thenBuy.admits(success, none, none)).isFalse();
        assertThat(thenBuy.admits(buy, T0 - 30 * MINUTE, none)).isTrue();
        assertThat(thenBuy.admits(success, T0 - 10 * MINUTE, none)).isTrue();
        assertThat(thenBuy.admits(buy, T0 - 30 * MINUTE - 1, none)).isFalse();
        assertThat(thenBuy.admits(view, T0 - MINUTE, none)).as("not relevant at all").isFalse();
        // Account takeover opens with a novel successful login; a trade needs one within the hour.
        Event novel = event("u", T0, "login", false);
        novel.novel = true;
        Event sell = event("u", T0, "sell_item", false);
        assertThat(takeover.admits(novel, none, none)).isTrue();
        assertThat(takeover.admits(success, none, none)).isFalse();
        assertThat(takeover.admits(sell, none, T0 - 59 * MINUTE)).isTrue();
        assertThat(takeover.admits(sell, T0 - MINUTE, T0 - 61 * MINUTE)).as("a failed login opens nothing here").isFalse();
        // What opens a partial match: the gate's opening login.
        assertThat(thenBuy.gate().opens(failure)).isTrue();
        assertThat(thenBuy.gate().opens(buy)).isFalse();
        assertThat(takeover.gate().opens(novel)).isTrue();
        assertThat(takeover.gate().opens(success)).isFalse();
    }
}
