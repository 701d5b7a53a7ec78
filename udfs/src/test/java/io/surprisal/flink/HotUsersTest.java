package io.surprisal.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.junit.jupiter.api.Test;

/** The write-back cache's rules: whom it writes, when, and under whose key. */
class HotUsersTest {
    private final List<String> written = new ArrayList<>();
    private Object key;
    private final KeyContext keys = new KeyContext() {
        @Override
        public void setCurrentKey(Object k) {
            key = k;
        }

        @Override
        public Object getCurrentKey() {
            return key;
        }
    };

    /** A cache of one value a user; a write-back records the key it was written under. */
    private HotUsers cache(int capacity, int maxDirty) {
        return new HotUsers(capacity, maxDirty, 86_400_000L, 1, 0, () -> 0L, keys, (u, now) -> written.add((String) key));
    }

    /** A visit of {@code user}, as the operator makes it: its key first; {@code change}: the visit changes their value. */
    private void visit(HotUsers hot, String user, boolean change) throws Exception {
        key = user;
        hot.enter(user);
        assertThat(key).as("the operator's key after entering").isEqualTo(user);
        if (change) {
            hot.current().values[0].dirty = true;
        }
    }

    @Test
    void pastTheBoundTheUserLeftLongestAgoIsWrittenAndTheBarrierWritesTheRestWithTheCurrentOne() throws Exception {
        HotUsers hot = cache(10, 2);
        visit(hot, "a", true);
        visit(hot, "b", true);
        visit(hot, "c", true);
        assertThat(written).isEmpty(); // a and b wait, c is current
        visit(hot, "d", true);
        assertThat(written).containsExactly("a");
        visit(hot, "b", false); // b comes back: current again, so it no longer waits
        assertThat(written).containsExactly("a");
        assertThat(hot.dirtyUsers()).isEqualTo(3); // c, d and b
        hot.writeBack();
        assertThat(written).containsExactly("a", "c", "d", "b");
        assertThat(key).as("the key is as it was").isEqualTo("b");
        assertThat(hot.dirtyUsers()).isZero();
        hot.writeBack();
        assertThat(written).as("nothing changed since").hasSize(4);
    }

    @Test
    void aUserPushedOutOfAFullCacheIsWrittenOnlyIfChanged() throws Exception {
        HotUsers hot = cache(2, 10);
        visit(hot, "a", true);
        visit(hot, "b", false);
        visit(hot, "c", false); // a, seen longest ago, goes
        assertThat(written).containsExactly("a");
        visit(hot, "d", false); // b goes, unchanged
        assertThat(written).containsExactly("a");
        assertThat(hot.size()).isEqualTo(2);
    }

    @Test
    void withNoneAllowedToWaitAChangedUserIsWrittenWhenTheNextComes() throws Exception {
        HotUsers hot = cache(10, 0);
        visit(hot, "a", true);
        visit(hot, "a", true); // the same user again: nothing written
        assertThat(written).isEmpty();
        visit(hot, "b", false);
        assertThat(written).containsExactly("a");
        hot.writeBack();
        assertThat(written).containsExactly("a");
    }
}
