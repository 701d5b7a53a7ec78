package io.surprisal.novelty;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.alert.Alert;
import io.surprisal.event.Event;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/** What the tests of the keyed detector functions (brute force, credential stuffing, velocity) share. */
public final class LoginHarness {
    private LoginHarness() {}

    /** An open keyed harness around {@code function}, keyed by {@code key}. */
    public static KeyedOneInputStreamOperatorTestHarness<String, Event, Alert> harness(KeyedProcessFunction<String, Event, Alert> function,
            KeySelector<Event, String> key) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(function), key, Types.STRING);
        h.open();
        return h;
    }

    /** A login of {@code user} from {@code ip}, failed or not, with a fresh event id from {@code ids}. */
    public static Event login(AtomicInteger ids, String user, long ts, boolean fail, String ip) {
        Event e = new Event();
        e.ts = ts;
        e.eventId = "e-" + ids.incrementAndGet();
        e.user = user;
        e.action = "login";
        e.fail = fail;
        e.session = "s-" + user;
        e.ip = ip;
        e.bits = 1.5;
        return e;
    }

    public static void feed(KeyedOneInputStreamOperatorTestHarness<String, Event, Alert> h, List<Event> events) throws Exception {
        for (Event e : events) {
            h.processElement(new StreamRecord<>(e, e.ts));
        }
    }

    public static void assertNoStateLeft(KeyedOneInputStreamOperatorTestHarness<String, Event, Alert> h) {
        assertThat(h.numEventTimeTimers()).as("event-time timers").isZero();
        assertThat(h.numKeyedStateEntries()).as("keyed state entries").isZero();
    }
}
