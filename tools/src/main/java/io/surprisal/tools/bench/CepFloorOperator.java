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
import io.surprisal.flink.WaitingEvents;
import io.surprisal.novelty.LoginRecency;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
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

    private final int capacity;
    private final CepConfig cep;
    private final Duration ttl;
    private final Ordering ordering;
    private transient HotUsers hot;
    private transient CachedValue<LoginRecency> recency;
    private transient PatternRouting routing;
    private transient InternalTimerService<VoidNamespace> timers;
    /** The waiting events, kept as the per-user operator keeps its own. */
    private transient WaitingEvents waiting;
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
        waiting = new WaitingEvents();
        watermark = Long.MIN_VALUE;
        if (ordering != Ordering.NONE) {
            // As the per-user operator keeps them: every instance's waiting events in one union list.
            waitingState = context.getOperatorStateStore().getUnionListState(Descriptors.WAITING_EVENTS);
            if (context.isRestored()) {
                for (Event e : waitingState.get()) {
                    // Only this instance's users: their timers came back here.
                    if (WaitingEvents.ownedBy(e, getRuntimeContext().getTaskInfo())) {
                        waitFor(UserKey.of(e), e);
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
            waiting.addToQueue(key, e);
        } else {
            waiting.addForTimer(key, e);
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
        // The queue's events up to the watermark, time by time, before the watermark goes on.
        while (waiting.queuedUpTo(mark.getTimestamp())) {
            long time = waiting.nextQueuedTime();
            for (Map.Entry<String, List<Event>> user : waiting.takeQueuedAt(time).entrySet()) {
                setCurrentKey(user.getKey());
                routeAndEmit(user.getValue());
            }
        }
        watermark = Math.max(watermark, mark.getTimestamp());
        super.processWatermark(mark);
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        routeAndEmit(waiting.takeDue(timer.getKey(), timer.getTimestamp()));
    }

    /** Routes and passes on the current user's {@code events}, in order, each at its time. */
    private void routeAndEmit(List<Event> events) throws Exception {
        for (Event e : events) {
            route(e, e.ts);
            output.collect(new StreamRecord<>(e, e.ts));
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
            waitingState.update(waiting.inOrder());
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        hot.writeBack();
    }
}
