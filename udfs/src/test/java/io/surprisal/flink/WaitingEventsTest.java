package io.surprisal.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.event.Event;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WaitingEventsTest {
    private static Event event(String user, long ts, String action) {
        Event e = new Event();
        e.user = user;
        e.ts = ts;
        e.action = action;
        return e;
    }

    @Test
    void aFiredTimerTakesItsUsersEventsUpToItsTimeAndTheLaterOnesWaitOn() {
        WaitingEvents waiting = new WaitingEvents();
        Event a = event("u1", 20, "a");
        Event b = event("u1", 10, "b");
        Event c = event("u1", 10, "c");
        Event other = event("u2", 10, "d");
        waiting.addForTimer("u1", a);
        waiting.addForTimer("u1", b);
        waiting.addForTimer("u1", c);
        waiting.addForTimer("u2", other);

        assertThat(waiting.takeDue("u1", 10)).containsExactly(b, c);
        assertThat(waiting.waitingFor("u1")).containsExactly(a);
        assertThat(waiting.size()).isEqualTo(2);
        assertThat(waiting.takeDue("u1", 15)).isEmpty();
        assertThat(waiting.takeDue("u1", 20)).containsExactly(a);
        assertThat(waiting.waitingFor("u1")).isNull();
        assertThat(waiting.inOrder()).containsExactly(other);
    }

    @Test
    void theQueueGivesEachTimesEventsByUserInArrivalOrderAndCheckpointsThemInOrder() {
        WaitingEvents waiting = new WaitingEvents();
        Event late = event("u1", 30, "late");
        Event first = event("u2", 10, "first");
        Event second = event("u1", 10, "second");
        Event third = event("u2", 10, "third");
        waiting.addToQueue("u1", late);
        waiting.addToQueue("u2", first);
        waiting.addToQueue("u1", second);
        waiting.addToQueue("u2", third);

        assertThat(waiting.inOrder()).containsExactly(first, second, third, late);
        assertThat(waiting.queuedUpTo(9)).isFalse();
        assertThat(waiting.queuedUpTo(10)).isTrue();
        assertThat(waiting.nextQueuedTime()).isEqualTo(10);
        Map<String, List<Event>> atTen = waiting.takeQueuedAt(10);
        assertThat(atTen.keySet()).containsExactly("u2", "u1");
        assertThat(atTen.get("u2")).containsExactly(first, third);
        assertThat(atTen.get("u1")).containsExactly(second);
        assertThat(waiting.size()).isEqualTo(1);
        assertThat(waiting.queuedUpTo(29)).isFalse();
        assertThat(waiting.takeQueuedAt(30)).containsOnlyKeys("u1");
        assertThat(waiting.size()).isZero();
    }
}
