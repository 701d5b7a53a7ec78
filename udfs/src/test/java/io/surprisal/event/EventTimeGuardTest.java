package io.surprisal.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EventTimeGuardTest {
    private static final long T = Timestamps.parse("2026-11-02T12:00:00Z");
    private static final long MINUTE = 60_000;
    private static final long NONE = Long.MIN_VALUE;

    private final EventTimeGuard guard = new EventTimeGuard(Duration.ofSeconds(5), Duration.ofMinutes(5));

    private static Event at(long ts) {
        Event e = new Event();
        e.ts = ts;
        e.user = "u";
        e.action = "login";
        e.source = "f:" + ts;
        return e;
    }

    private String reasonOf(SourceRecord r) {
        return r.event != null ? "event" : r.deadLetter.reason;
    }

    @Test
    void anEventFarAheadThatTheStreamDoesNotFollowIsFutureAndMovesNothing() {
        assertThat(reasonOf(guard.admitBeforeNext(at(T), "", T + 1000))).isEqualTo("event");
        SourceRecord forged = guard.admitBeforeNext(at(T + 24 * 60 * MINUTE), "raw", T + 2000);
        assertThat(forged.deadLetter.reason).isEqualTo("future");
        assertThat(forged.deadLetter.error).contains("2026-11-03T12:00:00Z").contains("ahead of the stream");
        assertThat(forged.deadLetter.raw).isEqualTo("raw");
        // The stream goes on: not late, because the forged event moved nothing.
        assertThat(reasonOf(guard.admitBeforeNext(at(T + 2000), "", NONE))).isEqualTo("event");
    }

    @Test
    void aRealGapIsFollowedByLaterEventsAndPasses() {
        guard.admitBeforeNext(at(T), "", NONE);
        assertThat(reasonOf(guard.admitBeforeNext(at(T + 8 * 60 * MINUTE), "", T + 8 * 60 * MINUTE + 30_000))).isEqualTo("event");
        // Ahead within max-ahead needs no confirmation; behind the new newest by more than 5 s is late.
        assertThat(reasonOf(guard.admitBeforeNext(at(T + 8 * 60 * MINUTE + 4 * MINUTE), "", NONE))).isEqualTo("event");
        assertThat(reasonOf(guard.admitBeforeNext(at(T + 8 * 60 * MINUTE), "", NONE))).isEqualTo("late");
    }

    @Test
    void theFirstEventOfASplitIsJudgedByTheNextOne() {
        assertThat(guard.needsNextEvent(T)).isTrue();
        assertThat(reasonOf(guard.admitBeforeNext(at(T + 7 * 24 * 60 * MINUTE), "", T))).isEqualTo("future");
        assertThat(reasonOf(guard.admitBeforeNext(at(T), "", T + 1000))).isEqualTo("event");
        assertThat(guard.needsNextEvent(T + 5 * MINUTE)).isFalse();
        assertThat(guard.needsNextEvent(T + 5 * MINUTE + 1)).isTrue();
    }

    @Test
    void theLastEventOfAFileHasNoNextAndPasses() {
        guard.admitBeforeNext(at(T), "", NONE);
        assertThat(reasonOf(guard.admitBeforeNext(at(T + 60 * MINUTE), "", NONE))).isEqualTo("event");
    }

    @Test
    void fromKafkaAnEventMayNotBeMoreThanMaxAheadOfWhenItsRecordArrived() {
        assertThat(reasonOf(guard.admitArrivedAt(at(T + 5 * MINUTE), "", T))).isEqualTo("event");
        SourceRecord ahead = guard.admitArrivedAt(at(T + 5 * MINUTE + 1), "", T);
        assertThat(ahead.deadLetter.reason).isEqualTo("future");
        assertThat(ahead.deadLetter.error).contains("reached Kafka at 2026-11-02T12:00:00Z");
        // Old events replayed from Kafka (a backfill) are never ahead of their arrival.
        assertThat(reasonOf(guard.admitArrivedAt(at(T - 30L * 24 * 60 * MINUTE), "", T))).isEqualTo("late");
    }

    @Test
    void timesAtTheEndsOfTheSupportedRangeDoNotOverflow() {
        assertThat(reasonOf(guard.admitBeforeNext(at(Timestamps.MIN_MILLIS), "", Timestamps.MAX_MILLIS))).isEqualTo("event");
        assertThat(reasonOf(guard.admitBeforeNext(at(Timestamps.MAX_MILLIS), "", Timestamps.MIN_MILLIS))).isEqualTo("future");
        assertThat(reasonOf(guard.admitBeforeNext(at(Timestamps.MIN_MILLIS + 1), "", NONE))).isEqualTo("event");
    }
}
