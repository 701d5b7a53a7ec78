package io.surprisal.flink;

import io.surprisal.event.Event;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.java.tuple.Tuple2;

/**
 * One key's events waiting for the watermark, by event time and in arrival order. Each event is
 * stored under (time, index), with a count per time, so an arrival costs one read and two writes
 * whatever else waits at that time (a list per time would be re-serialized whole on every arrival:
 * quadratic when thousands of events share a second).
 */
public final class PendingEvents {
    /** The two state descriptors, declared in {@link io.surprisal.flink.Descriptors}. */
    public record Descriptors(MapStateDescriptor<Tuple2<Long, Integer>, Event> events, MapStateDescriptor<Long, Integer> counts) {}

    private final MapState<Tuple2<Long, Integer>, Event> events;
    private final MapState<Long, Integer> counts;

    public PendingEvents(RuntimeContext context, Descriptors descriptors) {
        this.events = context.getMapState(descriptors.events());
        this.counts = context.getMapState(descriptors.counts());
    }

    /** Adds an event; returns true when it is the first waiting at its time (a timer is needed). */
    public boolean add(Event e) throws Exception {
        Integer n = counts.get(e.ts);
        int index = n == null ? 0 : n;
        events.put(Tuple2.of(e.ts, index), e);
        counts.put(e.ts, index + 1);
        return index == 0;
    }

    /** True when events wait at this time. */
    public boolean hasAt(long ts) throws Exception {
        return counts.contains(ts);
    }

    /** Removes and returns the events waiting at this time, in arrival order (empty when none). */
    public List<Event> takeAt(long ts) throws Exception {
        Integer n = counts.get(ts);
        if (n == null) {
            return List.of();
        }
        List<Event> due = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Tuple2<Long, Integer> key = Tuple2.of(ts, i);
            Event e = events.get(key);
            if (e != null) {
                due.add(e);
            }
            events.remove(key);
        }
        counts.remove(ts);
        return due;
    }
}
