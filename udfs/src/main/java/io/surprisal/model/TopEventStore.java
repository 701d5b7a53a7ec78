package io.surprisal.model;

import io.surprisal.event.Event;

/**
 * Where the open session's most surprising events are kept, by slot. {@link UserProfile} holds
 * only their ranking (bits and slot), so the profile written on every event stays small; an event
 * is written once, when it enters the ranking, and read back only for an alert. In plain Java an
 * array ({@link UserProfile#localTopEvents}); in the job, keyed map state. A detector part keeps the
 * events its alerts list in a store of its own ({@code UserDetectorPart}).
 */
public interface TopEventStore {
    /** Stores the event in the slot, replacing what was there. */
    void put(int slot, Event e);

    /** The event in the slot, or null. */
    Event get(int slot);

    /**
     * Empties slots 0 to {@code used} - 1, every slot the session used (the session ended). Slots
     * are handed out from 0 up ({@link UserProfile#keepTopEvent}), so the count names them all and
     * a store in state deletes exactly those keys instead of scanning for them.
     */
    void clear(int used);

    /** The simplest store: an array, for plain-Java use of the scorer (tests, the core benchmark). */
    final class InMemory implements TopEventStore {
        private Event[] slots = new Event[0];

        @Override
        public void put(int slot, Event e) {
            if (slot >= slots.length) {
                slots = java.util.Arrays.copyOf(slots, slot + 1);
            }
            slots[slot] = e;
        }

        @Override
        public Event get(int slot) {
            return slot < slots.length ? slots[slot] : null;
        }

        @Override
        public void clear(int used) {
            java.util.Arrays.fill(slots, 0, Math.min(used, slots.length), null);
        }
    }
}
