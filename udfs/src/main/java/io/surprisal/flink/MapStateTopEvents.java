package io.surprisal.flink;

import io.surprisal.event.Event;
import io.surprisal.model.TopEventStore;
import org.apache.flink.api.common.state.MapState;

/**
 * A {@link TopEventStore} in keyed map state (slot to event), scoped to the current key like the
 * state itself: the session's top events, a detector part's events. Storing an event costs one
 * write of that event alone, and only an alert reads them back.
 */
public final class MapStateTopEvents implements TopEventStore {
    private final MapState<Integer, Event> slots;
    /** What the slots hold, for errors. */
    private final String what;

    public MapStateTopEvents(MapState<Integer, Event> slots, String what) {
        this.slots = slots;
        this.what = what;
    }

    @Override
    public void put(int slot, Event e) {
        try {
            slots.put(slot, e);
        } catch (Exception ex) {
            throw new IllegalStateException("cannot write " + what + " to state", ex);
        }
    }

    @Override
    public Event get(int slot) {
        try {
            return slots.get(slot);
        } catch (Exception ex) {
            throw new IllegalStateException("cannot read " + what + " from state", ex);
        }
    }

    /** Removes one slot. */
    void remove(int slot) {
        try {
            slots.remove(slot);
        } catch (Exception ex) {
            throw new IllegalStateException("cannot remove " + what + " from state", ex);
        }
    }

    /**
     * Point deletes of the known keys: MapState.clear() in RocksDB opens an iterator and seeks,
     * which cost more than the few deletes (a JFR profile of the bench's full job).
     */
    @Override
    public void clear(int used) {
        try {
            for (int slot = 0; slot < used; slot++) {
                slots.remove(slot);
            }
        } catch (Exception ex) {
            throw new IllegalStateException("cannot remove " + what + " from state", ex);
        }
    }
}
