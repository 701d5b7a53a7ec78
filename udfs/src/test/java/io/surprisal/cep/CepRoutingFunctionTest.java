package io.surprisal.cep;

import io.surprisal.flink.Descriptors;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.Event;
import io.surprisal.event.UserKey;
import java.util.ArrayList;
import java.util.List;
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
    void aFloodOfFailedLoginsOpensABoundedNumberOfPartialMatchesAndLaterEventsStillPass() throws Exception {
        SurprisalConfig c = ConfigLoader.load(null, List.of("novelty.enabled=false"));
        var relevant = new CepRoutingFunction.Relevant(c.cep());
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new CepRoutingFunction(c.cep(), c.state().ttl())), new UserKey(), Types.STRING)) {
            h.open();
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
            List<String> thenBuy = routed(h, "cep-failed-login-then-buy");
            assertThat(thenBuy).hasSize(4 + 1).endsWith("jane-" + (T0 + 200_500) + "-buy_item");
            assertThat(thenBuy.get(0)).isEqualTo("jane-" + T0 + "-login");
            assertThat(routed(h, "cep-account-takeover")).isEmpty(); // nothing is novel without login novelty
            assertThat(h.extractOutputValues()).isEmpty();
            // The user's last failed login and the slot of failed-login-then-buy's openers.
            assertThat(h.numKeyedStateEntries()).isEqualTo(2);
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
