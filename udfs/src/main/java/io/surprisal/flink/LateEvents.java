package io.surprisal.flink;

import io.surprisal.alert.AlertJson;
import io.surprisal.event.DeadLetter;
import io.surprisal.event.DeadLetterReason;
import io.surprisal.event.Event;
import io.surprisal.event.Timestamps;

/** Events a keyed function received at or behind its watermark: reported as dead letters, never dropped. */
public final class LateEvents {
    private LateEvents() {}

    /**
     * The dead letter (reason {@code late}) of {@code e}, received at watermark {@code watermark};
     * {@code where} ends the reason, e.g. " of detector cep:brute-force".
     */
    public static DeadLetter deadLetter(Event e, long watermark, String where) {
        return new DeadLetter(DeadLetterReason.LATE,
                "event time " + Timestamps.format(e.ts) + " is behind the watermark " + Timestamps.format(watermark) + where,
                AlertJson.toJson(e), e.source);
    }
}
