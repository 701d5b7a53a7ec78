package io.surprisal.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.event.Event;
import org.junit.jupiter.api.Test;

class UserProfileTest {
    @Test
    void countsTransitionsCompactly() {
        UserProfile p = new UserProfile();
        int login = p.indexOrAdd("login:success", 32);
        int view = p.indexOrAdd("view_item:success", 32);
        p.observe(0, login, 128);
        p.observe(login, view, 128);
        p.observe(login, view, 128);
        assertThat(p.count(login, view)).isEqualTo(2);
        assertThat(p.fromTotal(login)).isEqualTo(2);
        assertThat(p.count(view, login)).isZero();
        assertThat(p.transitions).hasSize(2);
    }

    @Test
    void oneUserWithAMillionDistinctActionsStaysBounded() {
        UserProfile p = new UserProfile();
        int from = 0;
        for (int i = 0; i < 1_000_000; i++) {
            int to = p.indexOrAdd("action" + i + ":success", 32);
            p.observe(from, to, 128);
            from = to < 0 ? from : to;
        }
        assertThat(p.states).hasSize(32);
        assertThat(p.transitions.length).isLessThanOrEqualTo(128);
    }

    @Test
    void keepsTheMostSurprisingEventsInOrder() {
        UserProfile p = new UserProfile();
        double[] bits = {1, 9, 3, 9, 0.5, 12};
        for (int i = 0; i < bits.length; i++) {
            Event e = new Event();
            e.eventId = "e" + i;
            e.bits = bits[i];
            p.keepTopEvent(e, 3);
        }
        assertThat(p.topEvents).extracting(e -> e.eventId).containsExactly("e5", "e1", "e3");
    }
}
