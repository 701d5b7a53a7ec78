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
    void ranksTheMostSurprisingEventsAndReusesTheEvictedSlot() {
        UserProfile p = new UserProfile();
        double[] bits = {1, 9, 3, 9, 0.5, 12};
        int[] slots = new int[bits.length];
        for (int i = 0; i < bits.length; i++) {
            slots[i] = p.keepTopEvent(bits[i], 3);
        }
        // 1, 9 and 3 take new slots 0, 1, 2; the second 9 evicts the 1 (slot 0); 0.5 does not rank;
        // 12 evicts the 3 (slot 2).
        assertThat(slots).containsExactly(0, 1, 2, 0, -1, 2);
        assertThat(p.topBits).containsExactly(12, 9, 9);
        assertThat(p.topSlots).containsExactly(2, 1, 0);
        p.closeSession();
        assertThat(p.topBits).isEmpty();
        assertThat(p.topSlots).isEmpty();
    }
}
