package io.surprisal.flink;

import java.io.IOException;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.state.ValueState;

/**
 * A per-user value of a keyed operator, behind its write-back cache ({@link HotUsers}) when
 * there is one: read from the cache while the value's TTL runs, else from state; written to the
 * cache, and to state when the user is written back. Without a cache, state itself.
 */
public final class CachedValue<T> {
    private final ValueState<T> state;
    /** The cache, or null: none. */
    private final HotUsers hot;
    /** This value's index among a cached user's. */
    private final int index;
    /** What goes between the cache and state: a copy for heap state, which keeps the objects it is given. */
    private final UnaryOperator<T> copy;

    /**
     * @param hot the cache, or null: none
     * @param index this value's index among a cached user's values
     * @param copy what goes between the cache and state: a copy for heap state, else the value itself
     */
    public CachedValue(ValueState<T> state, HotUsers hot, int index, UnaryOperator<T> copy) {
        this.state = state;
        this.hot = hot;
        this.index = index;
        this.copy = copy;
    }

    @SuppressWarnings("unchecked")
    private HotUsers.Cached<T> of(HotUsers.User user) {
        return (HotUsers.Cached<T>) user.values[index];
    }

    /** The current user's value: from the cache while its TTL runs, else from state. */
    public T value() throws IOException {
        if (hot == null) {
            return state.value();
        }
        HotUsers.Cached<T> c = of(hot.current());
        if (!hot.live(c.written, hot.now())) {
            T inState = state.value();
            c.value = inState == null ? null : copy.apply(inState);
            c.written = HotUsers.UNKNOWN;
            c.dirty = false;
        }
        return c.value;
    }

    /** Sets the current user's value: in the cache until the user is written back, else in state. */
    public void update(T value) throws IOException {
        if (hot == null) {
            state.update(value);
            return;
        }
        HotUsers.Cached<T> c = of(hot.current());
        c.value = value;
        c.written = hot.now();
        c.dirty = true;
    }

    /**
     * Writes {@code user}'s value to state if it changed, the user's key being current; a value whose
     * TTL has run out is not written: state's older one has run out too.
     */
    public void writeBack(HotUsers.User user, long now) throws IOException {
        HotUsers.Cached<T> c = of(user);
        if (c.dirty && hot.live(c.written, now)) {
            state.update(copy.apply(c.value));
        }
    }
}
