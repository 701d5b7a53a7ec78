package io.surprisal.flink;

import io.surprisal.event.Event;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.flink.streaming.api.operators.KeyContext;

/**
 * A keyed operator's write-back cache of per-user state: the users seen last (at most {@code
 * capacity}) with their values ({@link CachedValue}) and the changes to their events maps, kept on
 * the heap so that an ordinary event reads and writes no state. A user leaving the cache is written back under
 * their key, and so is every changed user before each checkpoint barrier ({@link #writeBack}), so
 * a checkpoint holds what it would without the cache.
 *
 * <p>State TTL (processing time, refreshed on create and write): a value counts as written when it
 * was put here. One whose TTL has run out since is absent, as the state backend would have it, and
 * is never written back; a value read from state, of unknown age, is read again next time unless
 * written in between. A value written back counts its TTL from then: later than its write here by
 * at most its time in the cache (a checkpoint interval when checkpointing).
 */
public final class HotUsers {
    /** A write time not known: the value was read from state. */
    static final long UNKNOWN = Long.MIN_VALUE;

    /** Writes a user's changed values to state; the operator's key is theirs. */
    public interface WriteBack {
        void write(User user, long now) throws Exception;
    }

    /** One value of a cached user: the value, when it was put here ({@link #UNKNOWN}: read from state), whether state lacks it. */
    static final class Cached<T> {
        T value;
        long written = UNKNOWN;
        boolean dirty;
    }

    /** One cached user. */
    public static final class User {
        /** Their values, by the index of their {@link CachedValue}. */
        final Cached<?>[] values;
        /** Per events map (by index), the slots changed since the last write-back; a null event: removed. */
        final Map<Integer, Slot>[] slots;
        /**
         * Per events map, the slots (below 64) that state may hold: all, unknown, until the user is
         * known to have nothing there; then those written back since. A slot removed in the cache
         * that state cannot hold costs no delete.
         */
        private final long[] mayBeInState;

        @SuppressWarnings("unchecked")
        User(int values, int eventsMaps) {
            this.values = new Cached<?>[values];
            for (int i = 0; i < values; i++) {
                this.values[i] = new Cached<>();
            }
            slots = new Map[eventsMaps];
            mayBeInState = new long[eventsMaps];
            Arrays.fill(mayBeInState, -1L);
        }

        /** The user has nothing in state: no value, so no events map's slot (each was written with a value). */
        public void noneInState() {
            Arrays.fill(mayBeInState, 0L);
        }

        /** Whether state may hold {@code slot} of events map {@code map}. */
        boolean mayBeInState(int map, int slot) {
            return slot >= 64 || (mayBeInState[map] & 1L << slot) != 0;
        }

        /** Records that {@code slot} of events map {@code map} was written to state, or deleted from it. */
        void inState(int map, int slot, boolean held) {
            if (slot < 64) {
                mayBeInState[map] = held ? mayBeInState[map] | 1L << slot : mayBeInState[map] & ~(1L << slot);
            }
        }

        boolean dirty() {
            for (Cached<?> v : values) {
                if (v.dirty) {
                    return true;
                }
            }
            for (Map<Integer, Slot> s : slots) {
                if (s != null && !s.isEmpty()) {
                    return true;
                }
            }
            return false;
        }

        Map<Integer, Slot> slots(int map) {
            Map<Integer, Slot> s = slots[map];
            if (s == null) {
                s = new HashMap<>(8);
                slots[map] = s;
            }
            return s;
        }

        /** After a write-back: nothing changed, write times kept. */
        void written() {
            for (Cached<?> v : values) {
                v.dirty = false;
            }
            for (Map<Integer, Slot> s : slots) {
                if (s != null) {
                    s.clear();
                }
            }
        }
    }

    /** An events-map slot changed in the cache: the event put (a copy; null when removed) and when. */
    record Slot(Event event, long written) {}

    private final int capacity;
    private final int maxDirty;
    private final long ttlMillis;
    private final int values;
    private final int eventsMaps;
    private final LongSupplier clock;
    /** The operator's key: set to a user's to write them back. */
    private final KeyContext keys;
    private final WriteBack writeBack;
    /** Access order: the eldest entry is the user seen longest ago. */
    private final LinkedHashMap<String, User> users;
    /**
     * Users changed since their last write, but for the current one, in the order they were left:
     * past {@code maxDirty} of them, the eldest is written, so that a checkpoint barrier waits for
     * at most that many.
     */
    private final LinkedHashMap<String, User> dirty = new LinkedHashMap<>();
    private User current;
    private String currentKey;
    private long now;

    /**
     * @param maxDirty users changed since their last write that may wait for the next checkpoint
     *     barrier, but for the current one
     * @param values per-user values ({@link CachedValue}s, indexed from 0)
     * @param eventsMaps per-user events maps ({@link WriteBackTopEvents}, indexed from 0)
     * @param keys the operator's key, which the cache sets to write a user back
     */
    public HotUsers(int capacity, int maxDirty, long ttlMillis, int values, int eventsMaps, LongSupplier clock, KeyContext keys,
            WriteBack writeBack) {
        if (capacity < 1 || maxDirty < 0) {
            throw new IllegalArgumentException("capacity must be 1 or more and maxDirty 0 or more: " + capacity + ", " + maxDirty);
        }
        this.capacity = capacity;
        this.maxDirty = maxDirty;
        this.ttlMillis = ttlMillis;
        this.values = values;
        this.eventsMaps = eventsMaps;
        this.clock = clock;
        this.keys = keys;
        this.writeBack = writeBack;
        this.users = new LinkedHashMap<>(Math.min(capacity, 1 << 16) * 2, 0.75f, true);
    }

    /**
     * Makes {@code key}, the operator's current key, the current user, taking them into the cache;
     * writes back the user seen longest ago when the cache is full, and the user left longest ago
     * when more than {@code maxDirty} wait changed. The TTL's clock is read once here, for the
     * whole visit.
     */
    public void enter(String key) throws Exception {
        now = clock.getAsLong();
        if (current != null && !key.equals(currentKey) && current.dirty()) {
            dirty.put(currentKey, current);
        }
        boolean wrote = false;
        User u = users.get(key);
        if (u == null) {
            u = new User(values, eventsMaps);
            users.put(key, u);
            if (users.size() > capacity) {
                Iterator<Map.Entry<String, User>> it = users.entrySet().iterator();
                Map.Entry<String, User> eldest = it.next();
                it.remove();
                if (dirty.remove(eldest.getKey()) != null) {
                    write(eldest.getKey(), eldest.getValue(), now);
                    wrote = true;
                }
            }
        } else {
            dirty.remove(key);
        }
        while (dirty.size() > maxDirty) {
            Iterator<Map.Entry<String, User>> it = dirty.entrySet().iterator();
            Map.Entry<String, User> left = it.next();
            it.remove();
            write(left.getKey(), left.getValue(), now);
            wrote = true;
        }
        if (wrote) {
            keys.setCurrentKey(key);
        }
        current = u;
        currentKey = key;
    }

    private void write(String key, User u, long at) throws Exception {
        keys.setCurrentKey(key);
        writeBack.write(u, at);
        u.written();
    }

    /** The user of the visit at hand ({@link #enter}). */
    User current() {
        return current;
    }

    /** The TTL's clock as read on entering the current user. */
    long now() {
        return now;
    }

    /** Whether a value written at {@code written} is known and its TTL has not run out at {@code now}. */
    boolean live(long written, long now) {
        return written != UNKNOWN && now - written < ttlMillis;
    }

    /**
     * Writes every changed user back to state (before a checkpoint barrier); they stay cached, and
     * the operator's key is as it was.
     */
    public void writeBack() throws Exception {
        Object at = keys.getCurrentKey();
        long time = clock.getAsLong();
        for (Map.Entry<String, User> e : dirty.entrySet()) {
            write(e.getKey(), e.getValue(), time);
        }
        dirty.clear();
        if (current != null && current.dirty()) {
            write(currentKey, current, time);
        }
        if (at != null) {
            keys.setCurrentKey(at);
        }
    }

    /** Users changed since their last write, the current one included; for tests. */
    int dirtyUsers() {
        return dirty.size() + (current != null && current.dirty() ? 1 : 0);
    }

    /** Users in the cache; for tests. */
    public int size() {
        return users.size();
    }
}
