package io.surprisal.tools.bench;

import io.surprisal.cep.PatternRouting;
import io.surprisal.config.SurprisalConfig.CepConfig;
import io.surprisal.event.Event;
import io.surprisal.event.UserKey;
import io.surprisal.flink.CachedValue;
import io.surprisal.flink.CachesUsers;
import io.surprisal.flink.Descriptors;
import io.surprisal.flink.HotUsers;
import io.surprisal.flink.LoginRecencySerializer;
import io.surprisal.novelty.LoginRecency;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The sequence detectors' floor: what the job's routing to its Flink CEP patterns needs, and nothing
 * else. Per user one value, the user's last failed and novel logins ({@link LoginRecency}), behind
 * the job's write-back cache of the users seen last ({@link HotUsers}, no bound on changed users:
 * they are written when they leave the cache and before each checkpoint barrier); each event goes
 * on, and to the patterns it can still matter to ({@link PatternRouting}, as login novelty routes
 * them in the job, with the routing's own state: the opener slots and the failed logins waiting
 * for a buy, in the state backend). No detector scores anything, so no login is novel here: account takeover, which
 * opens on a novel login, gets fewer events than in the job, and the floor costs at most what the
 * job's routing does.
 */
public final class CepFloorOperator extends AbstractStreamOperator<Event>
        implements OneInputStreamOperator<Event, Event>, Triggerable<String, VoidNamespace> {
    /**
     * How the floor puts each user's events in event-time order before routing them: not at all;
     * with an event-time timer of its user at each event's time (each event waiting on the heap
     * until the watermark passes it), as the per-user operator did until it took the queue; or in
     * one queue of the instance's waiting events, by time, emptied up to each watermark, as the
     * per-user operator does ({@code QueuedEventsDrain}). Either way the waiting events go into each
     * checkpoint, and late events (at or behind the watermark) pass on unrouted. A checkpoint
     * restores into the ordering that took it (the bench never restores).
     */
    public enum Ordering {
        NONE, TIMERS, QUEUE
    }

    /** An event waiting in the queue, with its user's key and its arrival, which breaks ties of time. */
    private record Waiting(Event event, String key, long arrival) {}

    private static final Comparator<Waiting> IN_ORDER = Comparator.comparingLong((Waiting w) -> w.event().ts).thenComparingLong(Waiting::arrival);

    private final int capacity;
    private final CepConfig cep;
    private final Duration ttl;
    private final Ordering ordering;
    private transient HotUsers hot;
    private transient CachedValue<LoginRecency> recency;
    private transient PatternRouting routing;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient Map<String, List<Event>> waiting;
    private transient PriorityQueue<Waiting> queue;
    private transient long arrivals;
    private transient long watermark;
    private transient ListState<Event> waitingState;

    public CepFloorOperator(int capacity, CepConfig cep, Duration ttl) {
        this(capacity, cep, ttl, Ordering.NONE);
    }

    public CepFloorOperator(int capacity, CepConfig cep, Duration ttl, Ordering ordering) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be 1 or more: " + capacity);
        }
        this.capacity = capacity;
        this.cep = cep;
        this.ttl = ttl;
        this.ordering = ordering;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        waiting = new HashMap<>();
        watermark = Long.MIN_VALUE;
        queue = new PriorityQueue<>(IN_ORDER);
        if (ordering != Ordering.NONE) {
            // As the per-user operator keeps them: every instance's waiting events in one union list.
            waitingState = context.getOperatorStateStore().getUnionListState(Descriptors.WAITING_EVENTS);
            if (context.isRestored()) {
                var task = getRuntimeContext().getTaskInfo();
                for (Event e : waitingState.get()) {
                    // Only this instance's users: their timers came back here.
                    String key = UserKey.of(e);
                    if (KeyGroupRangeAssignment.assignKeyToParallelOperator(key, task.getMaxNumberOfParallelSubtasks(),
                            task.getNumberOfParallelSubtasks()) == task.getIndexOfThisSubtask()) {
                        waitFor(key, e);
                    }
                }
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        hot = new HotUsers(capacity, capacity, ttl.toMillis(), 1, 0, System::currentTimeMillis, this,
                (user, now) -> recency.writeBack(user, now));
        boolean keepsObjects = CachesUsers.keepsObjects(getKeyedStateBackend());
        recency = new CachedValue<>(getPartitionedState(Descriptors.loginRecency(ttl)), hot, 0,
                keepsObjects ? LoginRecencySerializer.INSTANCE::copy : r -> r);
        routing = new PatternRouting(cep, ttl);
        routing.open(getRuntimeContext());
        if (ordering == Ordering.TIMERS) {
            timers = getInternalTimerService("sequence-floor-ordering", VoidNamespaceSerializer.INSTANCE, this);
        }
    }

    private void waitFor(String key, Event e) {
        if (ordering == Ordering.QUEUE) {
            queue.add(new Waiting(e, key, arrivals++));
        } else {
            waiting.computeIfAbsent(key, k -> new ArrayList<>(2)).add(e);
        }
    }

    @Override
    public void processElement(StreamRecord<Event> element) throws Exception {
        Event e = element.getValue();
        if (ordering == Ordering.NONE) {
            route(e, element.getTimestamp());
        } else if (e.ts > watermark) {
            waitFor((String) getCurrentKey(), e);
            if (ordering == Ordering.TIMERS) {
                timers.registerEventTimeTimer(VoidNamespace.INSTANCE, e.ts);
            }
            return;
        }
        output.collect(element);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        // The queue's events up to the watermark, in time order, before the watermark goes on.
        while (!queue.isEmpty() && queue.peek().event().ts <= mark.getTimestamp()) {
            Waiting w = queue.poll();
            setCurrentKey(w.key());
            route(w.event(), w.event().ts);
            output.collect(new StreamRecord<>(w.event(), w.event().ts));
        }
        watermark = Math.max(watermark, mark.getTimestamp());
        super.processWatermark(mark);
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        List<Event> events = waiting.remove(timer.getKey());
        if (events == null) {
            return;
        }
        List<Event> later = null;
        for (Event e : events) {
            if (e.ts <= timer.getTimestamp()) {
                route(e, e.ts);
                output.collect(new StreamRecord<>(e, e.ts));
            } else {
                if (later == null) {
                    later = new ArrayList<>(2);
                }
                later.add(e);
            }
        }
        if (later != null) {
            waiting.put(timer.getKey(), later);
        }
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {}

    /** Routes {@code e} of the current user, at {@code timestamp}, to the patterns it can still matter to. */
    private void route(Event e, long timestamp) throws Exception {
        hot.enter((String) getCurrentKey());
        LoginRecency r = recency.value();
        if (r == null) {
            r = new LoginRecency();
        }
        if (routing.route(e, r, (tag, routed) -> output.collect(tag, new StreamRecord<>(routed, timestamp)))) {
            recency.update(r);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        if (ordering != Ordering.NONE) {
            List<Event> all = new ArrayList<>();
            for (List<Event> events : waiting.values()) {
                all.addAll(events);
            }
            // In order, so that a restore gives events of one time their arrival order again.
            queue.stream().sorted(IN_ORDER).forEach(w -> all.add(w.event()));
            waitingState.update(all);
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        hot.writeBack();
    }
}
