package io.surprisal.cep;

import io.surprisal.flink.Descriptors;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.Event;
import io.surprisal.event.UserKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import io.surprisal.novelty.LoginRecency;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The CEP routing with login novelty off, in a keyed harness: the same gates and bounds as with it. */
class CepRoutingFunctionTest {
    private static final long T0 = 1_800_000_000_000L;

    private static Event event(String user, long ts, String action, boolean fail) {
        Event e = new Event();
        e.ts = ts;
        e.eventId = user + "-" + ts + "-" + action;
        e.user = user;
        e.action = action;
        e.fail = fail;
        return e;
    }

    private static List<String> routed(KeyedOneInputStreamOperatorTestHarness<String, Event, Event> h, String uid) {
        List<String> ids = new ArrayList<>();
        var q = h.getSideOutput(Descriptors.cepEvents(uid));
        if (q != null) {
            q.forEach(r -> ids.add(r.getValue().eventId));
        }
        return ids;
    }

    @Test
    void aFloodOfFailedLoginsKeepsABoundedNumberWaitingAndTheBuyStillCompletesAMatch() throws Exception {
        SurprisalConfig c = ConfigLoader.load(null, List.of("novelty.enabled=false"));
        var relevant = new CepRoutingFunction.Relevant(c.cep());
        try (var h = routing(c)) {
            List<Event> events = new ArrayList<>();
            events.add(event("jane", T0 - 1000, "buy_item", false));  // no failed login before it
            events.add(event("jane", T0 - 500, "view_item", false));  // no pattern takes it
            for (int i = 0; i < 20_000; i++) {
                events.add(event("jane", T0 + i * 10L, "login", true));
            }
            events.add(event("jane", T0 + 200_500, "buy_item", false));
            for (Event e : events) {
                if (relevant.filter(e)) {
                    h.processElement(new StreamRecord<>(e, e.ts));
                }
            }
            // At most four failures per eighth of the window wait for a buy; the buy sends the earliest.
            assertThat(routed(h, "cep-failed-login-then-buy")).containsExactly("jane-" + T0 + "-login", "jane-" + (T0 + 200_500) + "-buy_item");
            assertThat(routed(h, "cep-account-takeover")).isEmpty(); // nothing is novel without login novelty
            assertThat(h.extractOutputValues()).isEmpty();
            // The user's recency (the match closed the gate) and the slot of failed-login-then-buy's
            // openers; none waits any more.
            assertThat(h.numKeyedStateEntries()).isEqualTo(2);
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Event, Event> routing(SurprisalConfig c) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new CepRoutingFunction(c.cep(), c.state().ttl())), new UserKey(), Types.STRING);
        h.open();
        return h;
    }

    /** What reached failed-login-then-buy: "event id @ the record's timestamp". */
    private static List<String> routedAt(KeyedOneInputStreamOperatorTestHarness<String, Event, Event> h) {
        List<String> out = new ArrayList<>();
        var q = h.getSideOutput(Descriptors.cepEvents("cep-failed-login-then-buy"));
        if (q != null) {
            q.forEach(r -> out.add(r.getValue().eventId + " @" + (r.getTimestamp() - T0)));
        }
        return out;
    }

    @Test
    void aFailedLoginNothingFollowsLeavesNoOpenerWaitingOnceTheWindowHasPassed() throws Exception {
        SurprisalConfig c = ConfigLoader.load(null, List.of("novelty.enabled=false"));
        try (var h = routing(c)) {
            CepHarnesses.feed(h, event("jane", T0, "login", true));
            // Her recency, her opener slot and the failed login waiting.
            assertThat(h.numKeyedStateEntries()).isEqualTo(3);
            CepHarnesses.feed(h, event("jane", T0 + 31 * 60_000L, "login", false));
            assertThat(routedAt(h)).isEmpty();
            assertThat(h.numKeyedStateEntries()).as("the opener waits no more").isEqualTo(2);
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aFailedLoginTurnedAwayAfterAMatchLeavesTheGateShutAndTheNextOpenerWaits() throws Exception {
        SurprisalConfig c = ConfigLoader.load(null, List.of("novelty.enabled=false", "cep.max-openers=1"));
        try (var h = routing(c)) {
            Event f1 = event("jane", T0, "login", true);
            Event buy = event("jane", T0 + 1_000, "buy_item", false);
            Event f2 = event("jane", T0 + 2_000, "login", true); // the slot (225 s) is full: turned away
            Event f3 = event("jane", T0 + 240_000, "login", true); // a new slot
            Event buy2 = event("jane", T0 + 300_000, "buy_item", false);
            CepHarnesses.feed(h, f1, buy, f2, f3, buy2);
            assertThat(routedAt(h)).containsExactly(f1.eventId + " @1000", buy.eventId + " @1000",
                    f3.eventId + " @300000", buy2.eventId + " @300000");
        }
    }

    /**
     * A user whose gate a failed login had opened before openers waited in the router (state of an
     * earlier version, with partial matches open in the operator) is routed event by event, as then,
     * until the gate closes; then openers wait.
     */
    @Test
    void aGateOpenedBeforeOpenersWaitedRoutesAsItComesUntilItCloses() throws Exception {
        SurprisalConfig c = ConfigLoader.load(null, List.of("novelty.enabled=false"));
        try (var h = routing(c)) {
            KeyedStateBackend<String> backend = h.getOperator().getKeyedStateBackend();
            backend.setCurrentKey("jane");
            LoginRecency restored = new LoginRecency();
            restored.lastFailedLogin = T0;
            backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                    Descriptors.cepRoutingRecency(c.state().ttl())).update(restored);

            Event f2 = event("jane", T0 + 60_000, "login", true);
            Event success = event("jane", T0 + 90_000, "login", false);
            Event f3 = event("jane", T0 + 120_000, "login", true);
            Event buy = event("jane", T0 + 150_000, "buy_item", false);
            CepHarnesses.feed(h, f2, success, f3, buy);
            assertThat(routedAt(h)).containsExactly(f2.eventId + " @60000", success.eventId + " @90000",
                    f3.eventId + " @150000", buy.eventId + " @150000");
        }
    }

    /**
     * Random histories of failed and successful logins and buys, some failures in floods, 300 users:
     * failed-login-then-buy's operator fed what the routing sends, at the times it sends it, alerts
     * exactly as when fed every login and buy at its own time, less the failed logins beyond the
     * opener bound (which open nothing either way): the same alerts, whole, at the same times.
     */
    @Test
    void theRoutedEventsMatchAsEveryEventAtItsOwnTimeWould() throws Exception {
        SurprisalConfig c = ConfigLoader.load(null, List.of("novelty.enabled=false", "cep.max-openers=2"));
        CepPatterns.PatternSpec thenBuy = PatternRouting.routedPatterns(c.cep()).get(0);
        assertThat(thenBuy.holdsOpeners()).isTrue();
        long window = thenBuy.within().toMillis();
        Random random = new Random(11);
        List<Event> all = new ArrayList<>();
        for (int u = 0; u < 300; u++) {
            long ts = T0 + random.nextInt(3_600_000);
            for (int i = 0; i < 40; i++) {
                double gap = random.nextDouble();
                ts += gap < 0.3 ? 1 + random.nextInt(30_000) : gap < 0.6 ? random.nextInt(20 * 60_000)
                        : gap < 0.75 ? window - 60_000 + random.nextInt(120_000)
                        : gap < 0.85 ? window - 1 + random.nextInt(3) : random.nextInt(3 * 3_600_000);
                double kind = random.nextDouble();
                if (kind < 0.08) {
                    for (int f = 0; f < 12; f++) {
                        all.add(event("u" + u, ts + f * 100L, "login", true));
                    }
                    ts += 12 * 100L;
                } else {
                    all.add(kind < 0.4 ? event("u" + u, ts, "login", true)
                            : kind < 0.55 ? event("u" + u, ts, "login", false)
                            : kind < 0.9 ? event("u" + u, ts, "buy_item", false)
                            : kind < 0.95 ? event("u" + u, ts, "buy_item", true)
                            : event("u" + u, ts, "view_item", false));
                }
            }
        }
        all.sort(java.util.Comparator.comparingLong(e -> e.ts));

        List<StreamRecord<Event>> routed = new ArrayList<>();
        var relevant = new CepRoutingFunction.Relevant(c.cep());
        try (var h = routing(c)) {
            for (Event e : all) {
                if (relevant.filter(e)) {
                    h.processElement(new StreamRecord<>(e, e.ts));
                }
            }
            routed.addAll(h.getSideOutput(Descriptors.cepEvents(thenBuy.uid())));
        }
        // Every login and buy at its own time, less the failures beyond the opener bound.
        List<StreamRecord<Event>> everyEvent = new ArrayList<>();
        java.util.Map<String, OpenerSlot> slots = new java.util.HashMap<>();
        for (Event e : all) {
            if (!thenBuy.relevant().filter(e)) {
                continue;
            }
            if (CepPatterns.isFailedLogin(e)
                    && !slots.computeIfAbsent(e.user, k -> new OpenerSlot()).admit(e.ts, thenBuy.openerSlotMillis(), c.cep().maxOpeners())) {
                continue;
            }
            everyEvent.add(new StreamRecord<>(e, e.ts));
        }

        List<String> fromRouted = alerts(c, thenBuy, routed);
        List<String> fromEvery = alerts(c, thenBuy, everyEvent);
        assertThat(fromRouted).hasSizeGreaterThan(100).isEqualTo(fromEvery);
        assertThat(routed.size()).isLessThan(everyEvent.size() / 3);
    }

    /** The alerts (sorted), as JSON after their record's timestamp, of {@code spec}'s operator fed {@code records}, the watermark 5 s behind them. */
    private static List<String> alerts(SurprisalConfig c, CepPatterns.PatternSpec spec, List<StreamRecord<Event>> records) throws Exception {
        try (var cep = CepHarnesses.operator(spec, c)) {
            long watermark = Long.MIN_VALUE;
            for (StreamRecord<Event> r : records) {
                if (r.getTimestamp() - 5_000 > watermark + 60_000) {
                    watermark = r.getTimestamp() - 5_000;
                    cep.processWatermark(watermark);
                }
                cep.processElement(new StreamRecord<>(r.getValue().copy(), r.getTimestamp()));
            }
            cep.processWatermark(Long.MAX_VALUE);
            return CepHarnesses.alertRecords(cep).stream()
                    .map(r -> r.getTimestamp() + " " + io.surprisal.alert.AlertJson.toJson(r.getValue())).sorted().toList();
        }
    }
}
