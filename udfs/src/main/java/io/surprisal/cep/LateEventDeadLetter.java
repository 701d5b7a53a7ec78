package io.surprisal.cep;

import io.surprisal.alert.AlertJson;
import io.surprisal.event.DeadLetter;
import io.surprisal.event.DeadLetterReason;
import io.surprisal.event.Event;
import io.surprisal.event.Timestamps;
import org.apache.flink.api.common.functions.MapFunction;

/** An event a CEP operator received behind its watermark, as a dead letter with reason {@code late}. */
public class LateEventDeadLetter implements MapFunction<Event, DeadLetter> {
    private final String pattern;

    public LateEventDeadLetter(String pattern) {
        this.pattern = pattern;
    }

    @Override
    public DeadLetter map(Event e) {
        return new DeadLetter(DeadLetterReason.LATE,
                "event time " + Timestamps.format(e.ts) + " is behind the watermark of pattern " + CepPatterns.detector(pattern),
                AlertJson.toJson(e), e.source);
    }
}
