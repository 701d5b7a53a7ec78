package io.surprisal.flink;

import io.surprisal.event.Event;
import io.surprisal.model.TopEventStore;
import org.apache.flink.api.common.state.MapState;

/**
 * A {@link TopEventStore} in keyed map state (slot to event), scoped to the current key like the
 * state itself: an event entering the session's top costs one write of that event alone, and only
 * an alert reads them back.
 */
public final class MapStateTopEvents implements TopEventStore {
    private final MapState<Integer, Event> slots;

    public MapStateTopEvents(MapState<Integer, Event> slots) {
        this.slots = slots;
    }

    @Override
    public void put(int slot, Event e) {
        try {
            slots.put(slot, e);
        } catch (Exception ex) {
            throw new IllegalStateException("cannot write the session's top events to state", ex);
        }
    }

    @Override
    public Event get(int slot) {
        try {
            return slots.get(slot);
        } catch (Exception ex) {
            throw new IllegalStateException("cannot read the session's top events from state", ex);
        }
    }

    @Override
    public void clear(int used) {
        try {
            removeSlots(slots, used);
        } catch (Exception ex) {
            throw new IllegalStateException("cannot remove the session's top events from state", ex);
        }
    }

    /**
     * Removes slots 0 to {@code used} - 1 of a map of events by slot (this store, the velocity
     * ring). Point deletes of the known keys: MapState.clear() in RocksDB opens an iterator and
     * seeks, which cost more than the few deletes (a JFR profile of the bench's full job).
     */
    public static void removeSlots(MapState<Integer, Event> slots, long used) throws Exception {
        for (int slot = 0; slot < used; slot++) {
            slots.remove(slot);
        }
    }
}
