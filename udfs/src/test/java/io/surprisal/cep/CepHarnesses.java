package io.surprisal.cep;

import io.surprisal.alert.Alert;
import io.surprisal.event.Event;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/** What the CEP tests do with a keyed harness: feed events at their own times, read the alerts back. */
final class CepHarnesses {
    private CepHarnesses() {}

    /** Each event, in order, as a record at its own event time. */
    static void feed(KeyedOneInputStreamOperatorTestHarness<String, Event, ?> h, Event... events) throws Exception {
        for (Event e : events) {
            h.processElement(new StreamRecord<>(e, e.ts));
        }
    }

    /** The alert records the harness emitted, in order. */
    static List<StreamRecord<Alert>> alertRecords(KeyedOneInputStreamOperatorTestHarness<String, Event, Alert> h) {
        List<StreamRecord<Alert>> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof Alert a) {
                out.add(new StreamRecord<>(a, r.getTimestamp()));
            }
        }
        return out;
    }
}
