package io.surprisal.flink;

import java.io.IOException;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.state.ValueState;

/**
 * A per-user value of the per-user operator, behind its write-back cache ({@link HotUsers}) when
 * there is one: read from the cache while the value's TTL runs, else from state; written to the
 * cache, and to state when the user is written back. Without a cache, state itself.
 */
final class CachedValue<T> {
    private final ValueState<T> state;
    /** The cache, or null: none. */
    private final HotUsers hot;
    /** This value among a cached user's. */
    private final Function<HotUsers.User, HotUsers.Cached<T>> ofUser;
    /** What goes between the cache and state: a copy for heap state, which keeps the objects it is given. */
    private final UnaryOperator<T> copy;

    CachedValue(ValueState<T> state, HotUsers hot, Function<HotUsers.User, HotUsers.Cached<T>> ofUser, UnaryOperator<T> copy) {
        this.state = state;
        this.hot = hot;
        this.ofUser = ofUser;
        this.copy = copy;
    }

    /** The current user's value: from the cache while its TTL runs, else from state. */
    T value() throws IOException {
        if (hot == null) {
            return state.value();
        }
        HotUsers.Cached<T> c = ofUser.apply(hot.current());
        if (!hot.live(c.written, hot.now())) {
            T inState = state.value();
            c.value = inState == null ? null : copy.apply(inState);
            c.written = HotUsers.UNKNOWN;
            c.dirty = false;
        }
        return c.value;
    }

    /** Sets the current user's value: in the cache until the user is written back, else in state. */
    void update(T value) throws IOException {
        if (hot == null) {
            state.update(value);
            return;
        }
        HotUsers.Cached<T> c = ofUser.apply(hot.current());
        c.value = value;
        c.written = hot.now();
        c.dirty = true;
    }

    /**
     * Writes {@code user}'s value to state if it changed, the user's key being current; a value whose
     * TTL has run out is not written: state's older one has run out too.
     */
    void writeBack(HotUsers.User user, long now) throws IOException {
        HotUsers.Cached<T> c = ofUser.apply(user);
        if (c.dirty && hot.live(c.written, now)) {
            state.update(copy.apply(c.value));
        }
    }
}
