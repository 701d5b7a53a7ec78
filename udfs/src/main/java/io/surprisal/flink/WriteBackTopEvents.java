package io.surprisal.flink;

import io.surprisal.event.Event;
import io.surprisal.model.TopEventStore;
import java.util.Map;

/**
 * An events map of the per-user operator behind its write-back cache ({@link HotUsers}): puts and
 * removals of the current user's slots wait in the cache until the user is written back; a slot
 * not changed since is read from state. An event is copied when put, as the state backend would
 * serialize it then, and when read, as the state backend would give a new one.
 */
final class WriteBackTopEvents implements TopEventStore {
    private static final HotUsers.Slot REMOVED = new HotUsers.Slot(null, HotUsers.UNKNOWN);

    private final MapStateTopEvents state;
    private final HotUsers hot;
    /** This map's index among the user's events maps in the cache. */
    private final int map;

    WriteBackTopEvents(MapStateTopEvents state, HotUsers hot, int map) {
        this.state = state;
        this.hot = hot;
        this.map = map;
    }

    @Override
    public void put(int slot, Event e) {
        hot.current().slots(map).put(slot, new HotUsers.Slot(e.copy(), hot.now()));
    }

    @Override
    public Event get(int slot) {
        Map<Integer, HotUsers.Slot> changed = hot.current().slots[map];
        HotUsers.Slot s = changed == null ? null : changed.get(slot);
        if (s == null) {
            return state.get(slot);
        }
        return s.event() != null && hot.live(s.written(), hot.now()) ? s.event().copy() : null;
    }

    @Override
    public void clear(int used) {
        HotUsers.User user = hot.current();
        Map<Integer, HotUsers.Slot> changed = user.slots(map);
        for (int slot = 0; slot < used; slot++) {
            if (!user.mayBeInState(map, slot)) {
                // State cannot hold it: a put waiting here is simply dropped.
                changed.remove(slot);
            } else {
                changed.put(slot, REMOVED);
            }
        }
    }

    /**
     * Writes {@code user}'s changes to events map {@code map} to state; the user's key is current.
     * A removal of a slot state cannot hold is skipped.
     */
    static void writeBack(MapStateTopEvents state, HotUsers.User user, int map, HotUsers hot, long now) {
        for (Map.Entry<Integer, HotUsers.Slot> e : user.slots[map].entrySet()) {
            int slot = e.getKey();
            HotUsers.Slot s = e.getValue();
            if (s.event() != null && hot.live(s.written(), now)) {
                state.put(slot, s.event());
                user.inState(map, slot, true);
            } else {
                // Removed, or its TTL has run out: state must not give it back either.
                if (user.mayBeInState(map, slot)) {
                    state.remove(slot);
                }
                user.inState(map, slot, false);
            }
        }
    }
}
