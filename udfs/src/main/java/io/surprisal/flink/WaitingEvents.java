package io.surprisal.flink;

import io.surprisal.event.Event;
import io.surprisal.event.UserKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * An instance's events waiting for the watermark, on the heap, in one of two forms: by user, each
 * event with an event-time timer of its user at its time ({@link #addForTimer}, {@link #takeDue}),
 * or in one queue of the instance by time, then arrival, emptied up to each watermark ({@link
 * #addToQueue}, {@link #takeQueuedAt}). The per-user operator's function keeps its events here, and
 * the bench's sequence floor prices the same code. Checkpointed as one list ({@link #inOrder}), which
 * each instance filters by its key groups on restore ({@link #ownedBy}).
 */
public final class WaitingEvents {
    /** An event waiting in the queue, with its user's key and its arrival, which orders events of one time. */
    private record Queued(Event event, String key, long arrival) {
        static final Comparator<Queued> IN_ORDER = Comparator.comparingLong((Queued q) -> q.event().ts).thenComparingLong(Queued::arrival);
    }

    private final Map<String, List<Event>> byUser = new HashMap<>();
    private final PriorityQueue<Queued> queue = new PriorityQueue<>(Queued.IN_ORDER);
    private long arrivals;
    private int size;

    /** Whether {@code e} is of a user whose key group this instance ({@code task}'s subtask) holds. */
    public static boolean ownedBy(Event e, TaskInfo task) {
        return KeyGroupRangeAssignment.assignKeyToParallelOperator(UserKey.of(e), task.getMaxNumberOfParallelSubtasks(),
                task.getNumberOfParallelSubtasks()) == task.getIndexOfThisSubtask();
    }

    /** {@code e} of the user {@code key} waits for its user's timer at its time. */
    public void addForTimer(String key, Event e) {
        byUser.computeIfAbsent(key, k -> new ArrayList<>(2)).add(e);
        size++;
    }

    /**
     * Takes the events of user {@code key} at or before {@code ts} (their timer fired), in arrival
     * order; the user's later events wait on ({@link #waitingFor}).
     */
    public List<Event> takeDue(String key, long ts) {
        List<Event> due = new ArrayList<>(2);
        List<Event> later = null;
        List<Event> events = byUser.get(key);
        if (events == null) {
            return due;
        }
        for (Event e : events) {
            if (e.ts <= ts) {
                due.add(e);
            } else {
                if (later == null) {
                    later = new ArrayList<>(4);
                }
                later.add(e);
            }
        }
        if (!due.isEmpty()) {
            size -= due.size();
            if (later == null) {
                byUser.remove(key);
            } else {
                byUser.put(key, later);
            }
        }
        return due;
    }

    /** The events of user {@code key} that wait for their timers, in arrival order, or null. */
    public List<Event> waitingFor(String key) {
        return byUser.get(key);
    }

    /** {@code e} of the user {@code key} waits in the instance's queue. */
    public void addToQueue(String key, Event e) {
        queue.add(new Queued(e, key, arrivals++));
        size++;
    }

    /** Whether an event waits in the queue at or before {@code watermark}. */
    public boolean queuedUpTo(long watermark) {
        return !queue.isEmpty() && queue.peek().event().ts <= watermark;
    }

    /** The time of the earliest queued event; only when one waits. */
    public long nextQueuedTime() {
        return queue.peek().event().ts;
    }

    /** Takes the queued events of time {@code ts}, by user in the order the users' first events came, each user's in arrival order. */
    public Map<String, List<Event>> takeQueuedAt(long ts) {
        Map<String, List<Event>> users = new LinkedHashMap<>();
        while (!queue.isEmpty() && queue.peek().event().ts == ts) {
            Queued q = queue.poll();
            size--;
            users.computeIfAbsent(q.key(), k -> new ArrayList<>(2)).add(q.event());
        }
        return users;
    }

    /** Events waiting, in both forms. */
    public int size() {
        return size;
    }

    /**
     * Every waiting event, for a checkpoint: each user's waiting for timers in arrival order, then
     * the queue's in order, so that a restore gives a user's events of one time their arrival order again.
     */
    public List<Event> inOrder() {
        List<Event> all = new ArrayList<>(size);
        for (List<Event> events : byUser.values()) {
            all.addAll(events);
        }
        queue.stream().sorted(Queued.IN_ORDER).forEach(q -> all.add(q.event()));
        return all;
    }
}
