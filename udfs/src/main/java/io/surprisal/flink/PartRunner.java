package io.surprisal.flink;

import io.surprisal.alert.Alert;
import io.surprisal.detector.UserDetectorPart;
import io.surprisal.event.Event;
import io.surprisal.model.TopEventStore;
import io.surprisal.model.UserProfile;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * A detector part in the per-user operator: the part, its events by slot, and its slice of the user
 * at hand, read from the profile before the user's events and written back after them.
 */
final class PartRunner<S> {
    private final UserDetectorPart<S> part;
    private final TopEventStore events;
    private final DataOutputSerializer buffer = new DataOutputSerializer(128);
    private final DataInputDeserializer input = new DataInputDeserializer();
    private S slice;

    PartRunner(UserDetectorPart<S> part, TopEventStore events) {
        this.part = part;
        this.events = events;
    }

    String detector() {
        return part.detector();
    }

    /** Takes the user's slice from {@code profile} (a new one if it has none). */
    void load(UserProfile profile) throws IOException {
        byte[] bytes = profile.partSlices.get(part.detector());
        if (bytes == null) {
            slice = part.newSlice();
        } else {
            input.setBuffer(bytes);
            slice = part.readSlice(input);
        }
    }

    Alert onEvent(Event e) {
        return part.onEvent(slice, e, events);
    }

    long quietAt() {
        return part.quietAt(slice);
    }

    void onQuiet(long now) {
        part.onQuiet(slice, now, events);
    }

    /** Puts the user's slice back into {@code profile}; an empty one leaves no entry. */
    void store(UserProfile profile) throws IOException {
        if (part.isEmpty(slice)) {
            profile.partSlices.remove(part.detector());
            return;
        }
        buffer.clear();
        part.writeSlice(slice, buffer);
        profile.partSlices.put(part.detector(), buffer.getCopyOfBuffer());
    }
}
