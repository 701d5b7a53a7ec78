package io.surprisal.cep;

import io.surprisal.alert.Alert;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.Event;
import io.surprisal.event.UserKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/** What the CEP tests do with a keyed harness: run a pattern's operator, feed events at their own times, read the alerts back. */
public final class CepHarnesses {
    private CepHarnesses() {}

    /** {@code spec}'s operator, built as the job builds it ({@link CepPatterns#operator}), open in a harness keyed as the pattern is. */
    public static KeyedOneInputStreamOperatorTestHarness<String, Event, Alert> operator(CepPatterns.PatternSpec spec, SurprisalConfig c)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                CepPatterns.operator(spec, c, TypeInformation.of(Event.class).createSerializer(new ExecutionConfig().getSerializerConfig())),
                spec.key() == CepPatterns.Key.IP ? new CepPatterns.IpKey() : new UserKey(), Types.STRING);
        h.open();
        return h;
    }

    /** Each event, in order, as a record at its own event time. */
    public static void feed(KeyedOneInputStreamOperatorTestHarness<String, Event, ?> h, Event... events) throws Exception {
        for (Event e : events) {
            h.processElement(new StreamRecord<>(e, e.ts));
        }
    }

    /** The alert records the harness emitted, in order. */
    public static List<StreamRecord<Alert>> alertRecords(KeyedOneInputStreamOperatorTestHarness<String, Event, Alert> h) {
        List<StreamRecord<Alert>> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof Alert a) {
                out.add(new StreamRecord<>(a, r.getTimestamp()));
            }
        }
        return out;
    }
}
