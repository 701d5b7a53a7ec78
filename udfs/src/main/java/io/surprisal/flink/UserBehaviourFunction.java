package io.surprisal.flink;

import io.surprisal.alert.Alert;
import io.surprisal.amount.AmountDetector;
import io.surprisal.usual.LogPopulation;
import io.surprisal.classifier.ModelDetector;
import io.surprisal.classifier.ModelFiles;
import io.surprisal.classifier.LoadedModel;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.detector.ClosedVisitDetector;
import io.surprisal.detector.UserDetectorPart;
import io.surprisal.event.Event;
import io.surprisal.event.UserKey;
import io.surprisal.groups.BehaviourGroups;
import io.surprisal.groups.GroupModel;
import io.surprisal.groups.UserGroup;
import io.surprisal.model.BehaviourScorer;
import io.surprisal.model.SessionStatistics;
import io.surprisal.model.TopEventStore;
import io.surprisal.model.TransitionCount;
import io.surprisal.model.UserProfile;
import io.surprisal.session.ClosedSession;
import io.surprisal.session.SessionCloser;
import io.surprisal.session.SessionForestDetector;
import io.surprisal.session.SessionProfileDetector;
import io.surprisal.visitlength.VisitLengthDetector;
import io.surprisal.velocity.VelocityPart;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by user: puts each user's events in event-time order (they wait for the watermark), scores
 * them with {@link BehaviourScorer} (detectors {@code transition}, {@code session} and {@code cusum})
 * and {@link AmountDetector} (detector {@code amount}), runs the detector parts ({@link #parts}:
 * {@code velocity}) over their slices of the same profile, closes
 * sessions after the inactivity gap with an event-time timer, turns each closed session into a
 * vector for the closed-visit detectors ({@link #visitDetectors}: {@code session-profile}, {@code
 * session-forest}, {@code visit-length}) and {@code model} ({@link SessionCloser}; the vectors leave through {@link Descriptors#CLOSED_SESSIONS} when emitted), and emits every event enriched with
 * its bits. Alerts and late events leave through side outputs ({@link Descriptors}).
 *
 * <p>The population model is per parallel instance, learned from the users that instance sees (a
 * hash-partitioned sample of everyone), and checkpointed as union list state tagged with the
 * instance: a recovery gives each instance back exactly its own model, a rescale an even share of
 * all of them ({@link InstanceShares}). So is the model of behaviour groups ({@link BehaviourGroups},
 * detector {@code group-change}), whose per-user part, the user's group, lives in its own small
 * state, touched when a session closes and when an alert of the user leaves.
 *
 * <p>Run by {@link UserCachingOperator} (or {@link UserCachingBroadcastOperator}), the
 * users seen last stay on the heap ({@link HotUsers}, {@code state.cache-users}): their profile,
 * group and events maps are written to state when they leave the cache and before each checkpoint
 * barrier. Run by a plain keyed operator, which cannot write a user other than the current one,
 * every visit reads and writes state.
 */
public class UserBehaviourFunction extends KeyedProcessFunction<String, Event, Event> implements CheckpointedFunction, CachesUsers {
    /** Accumulator: events scored (in order, not late). */
    public static final String EVENTS_ACCUMULATOR = "events-scored";
    /** Accumulator: events scored while detectors transition and cusum were warming up (could not alert). */
    public static final String WARMING_UP_EVENTS_ACCUMULATOR = "warming-up:transition,cusum";
    /** Accumulator: sessions closed while detector session was warming up. */
    public static final String WARMING_UP_SESSIONS_ACCUMULATOR = "warming-up:session";
    /** Accumulator: purchases judged while detector amount was warming up. */
    public static final String WARMING_UP_PURCHASES_ACCUMULATOR = "warming-up:amount";
    /** Accumulator: session measures judged while detector session-profile was warming up. */
    public static final String WARMING_UP_SESSION_MEASURES_ACCUMULATOR = warmingUpAccumulator(SessionProfileDetector.DETECTOR);
    /** Accumulator: sessions closed while detector session-forest was warming up. */
    public static final String WARMING_UP_FOREST_ACCUMULATOR = warmingUpAccumulator(SessionForestDetector.DETECTOR);
    /** Accumulator: visits closed while detector visit-length was warming up. */
    public static final String WARMING_UP_VISIT_LENGTH_ACCUMULATOR = warmingUpAccumulator(VisitLengthDetector.DETECTOR);

    /** The accumulator of what a closed-visit detector judged while warming up. */
    public static String warmingUpAccumulator(String detector) {
        return "warming-up:" + detector;
    }

    private final SurprisalConfig config;

    /** The operator's key, set by the cache to write a user back; null: no cache. */
    private transient KeyContext keys;
    /**
     * Whether state keeps the objects it is given (heap state) rather than their bytes: the cache
     * then reads and writes copies, as a cached user goes on changing while a checkpoint writes
     * their state.
     */
    private transient boolean stateKeepsObjects;
    /** The users seen last, or null when not cached. */
    private transient HotUsers hot;
    /** The state TTL's clock (processing time); settable for tests, whose TTL clock is the harness's. */
    private transient java.util.function.LongSupplier ttlClock;
    /** The events maps in state by their index in the cache: the session's top events, then each part's. */
    private transient List<MapStateTopEvents> eventsMaps;

    private transient CachedValue<UserProfile> profileState;
    /**
     * Events waiting for the watermark, by user key ({@link UserKey}): on the heap, checkpointed as
     * {@link Descriptors#WAITING_EVENTS}. Holds what arrives within the out-of-orderness bound (and
     * the source idleness, should a source stop sending watermarks), then empties as timers fire or
     * the operator empties the queue.
     */
    private transient WaitingEvents waiting;
    /**
     * Whether the events wait in one queue of the instance rather than with a timer each: set before
     * the job runs by the operator that empties the queue ({@link UserCachingOperator}, {@link
     * UserCachingBroadcastOperator}). A checkpoint taken with the queue holds no timer per waiting
     * event, so it restores only into the queue.
     */
    private boolean queued;
    private transient ListState<Event> waitingState;
    private transient TopEventStore topEvents;
    private transient ListState<TransitionCount> populationState;
    private transient ListState<byte[]> sessionsState;
    private transient BehaviourScorer scorer;
    /** Detector amount, or null when it is off. */
    private transient AmountDetector amount;
    private transient ListState<byte[]> amountsState;
    /** Behaviour groups, or null when model.groups is off. */
    private transient BehaviourGroups groups;
    private transient ListState<byte[]> groupsState;
    private transient CachedValue<UserGroup> userGroupState;
    /** The key of the timer being handled: whose session a close listener hears of. */
    private transient String currentKey;
    private transient LongCounter purchasesWarmingUp;
    private transient long purchasesWarmingUpAdded;
    /** Closed sessions' vectors, the closed-visit detectors, detector model, and the vectors' output. */
    private transient SessionCloser sessions;
    private transient List<ClosedSession> closedBuffer;
    /** Each registered closed-visit detector's population, by its state's name. */
    private transient Map<String, ListState<byte[]>> visitDetectorStates;
    /** Each closed-visit detector's warming-up accumulator, and what of its count was added to it, in the order of {@link SessionCloser#detectors}. */
    private transient LongCounter[] visitWarmingUp;
    private transient long[] visitWarmingUpAdded;
    private transient List<Alert> alertBuffer;
    private transient LongCounter eventsScored;
    private transient LongCounter eventsWarmingUp;
    private transient LongCounter sessionsWarmingUp;
    /** The scorer's warm-up counts already added to the accumulators. */
    private transient long eventsWarmingUpAdded;
    private transient long sessionsWarmingUpAdded;
    private transient Counter eventsMetric;
    /** Users with no profile in state on their first event here (first seen, or back after state.ttl). */
    private transient Counter usersNewMetric;
    private transient Counter lateMetric;
    /** Models detector model has taken: the configured one and every update. */
    private transient Counter modelsLoaded;
    private transient java.util.Map<String, Counter> alertsMetrics;
    /** The detector parts, each with its own events by slot, and their alerts of the event at hand. */
    private transient List<PartRunner<?>> parts;
    private transient Set<String> partNames;
    /** The events maps of parts switched off since the user's profile was written, by detector, opened when first met. */
    private transient java.util.Map<String, MapState<Integer, Event>> switchedOffEvents;
    private transient List<Alert> partAlerts;

    public UserBehaviourFunction(SurprisalConfig config) {
        this.config = config;
    }

    /** The detector parts the configuration turns on, one line each; they run in this order. */
    protected List<UserDetectorPart<?>> parts(SurprisalConfig config) {
        List<UserDetectorPart<?>> parts = new ArrayList<>();
        if (config.detectors().velocity().enabled()) {
            parts.add(new VelocityPart(config));
        }
        return parts;
    }

    /** The closed-visit detectors ({@link SessionCloser#registered}, one registration each), on or off. */
    protected List<SessionCloser.Registration> visitDetectors(SurprisalConfig config) {
        return SessionCloser.registered(config);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        populationState = context.getOperatorStateStore().getUnionListState(Descriptors.POPULATION_TRANSITIONS);
        sessionsState = context.getOperatorStateStore().getUnionListState(Descriptors.POPULATION_SESSIONS);
        waitingState = context.getOperatorStateStore().getUnionListState(Descriptors.WAITING_EVENTS);
        amountsState = context.getOperatorStateStore().getUnionListState(Descriptors.POPULATION_AMOUNTS);
        groupsState = context.getOperatorStateStore().getUnionListState(Descriptors.BEHAVIOUR_GROUPS);
        scorer = newScorer();
        // Every registered detector's, so that one switched off has its population emptied, not carried on from a savepoint.
        visitDetectorStates = new HashMap<>();
        Set<String> own = Set.of(Descriptors.POPULATION_TRANSITIONS.getName(), Descriptors.POPULATION_SESSIONS.getName(),
                Descriptors.WAITING_EVENTS.getName(), Descriptors.POPULATION_AMOUNTS.getName(), Descriptors.BEHAVIOUR_GROUPS.getName());
        for (SessionCloser.Registration r : sessions.registrations()) {
            if (own.contains(r.stateName())) {
                throw new IllegalStateException("closed-visit detector " + r.detector() + " keeps its population as " + r.stateName()
                        + ", the name of a state of the operator's own");
            }
            visitDetectorStates.put(r.stateName(), context.getOperatorStateStore().getUnionListState(Descriptors.closedVisitPopulation(r.stateName())));
        }
        amount = newAmountDetector();
        groups = newGroups();
        waiting = new WaitingEvents();
        if (context.isRestored()) {
            int me = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
            int n = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
            for (Event e : waitingState.get()) {
                // Only this instance's users: their state and their timers came back here.
                if (WaitingEvents.ownedBy(e, getRuntimeContext().getTaskInfo())) {
                    if (queued) {
                        waiting.addToQueue(UserKey.of(e), e);
                    } else {
                        waiting.addForTimer(UserKey.of(e), e);
                    }
                }
            }
            var counts = InstanceShares.select(populationState.get(), c -> c.owner, c -> c.parallelism, me, n);
            List<TransitionCount> restored = new ArrayList<>(counts.entries().size());
            for (TransitionCount c : counts.entries()) {
                restored.add(new TransitionCount(c.from, c.to, InstanceShares.share(c.count, counts.owners())));
            }
            var sketches = InstanceShares.select(sessionsState.get(), SessionStatistics::ownerOf, SessionStatistics::parallelismOf, me, n);
            List<SessionStatistics> restoredSketches = new ArrayList<>();
            for (byte[] b : sketches.entries()) {
                restoredSketches.add(SessionStatistics.fromTaggedBytes(b).sharedBy(sketches.owners()));
            }
            scorer.restore(restored, restoredSketches);
            if (amount != null) {
                var amounts = InstanceShares.select(amountsState.get(), LogPopulation::ownerOf, LogPopulation::parallelismOf, me, n);
                LogPopulation restoredAmounts = new LogPopulation();
                for (byte[] b : amounts.entries()) {
                    restoredAmounts.merge(LogPopulation.fromTaggedBytes(b).sharedBy(amounts.owners()));
                }
                amount.restore(restoredAmounts);
            }
            for (ClosedVisitDetector d : sessions.detectors()) {
                var entries = InstanceShares.select(visitDetectorStates.get(d.stateName()).get(), d::ownerOf, d::parallelismOf, me, n);
                d.restore(entries.entries(), entries.owners(), me);
            }
            if (groups != null) {
                var models = InstanceShares.select(groupsState.get(), GroupModel::ownerOf, GroupModel::parallelismOf, me, n);
                if (!models.entries().isEmpty()) {
                    groups.restore(GroupModel.restore(config.model().groups(), me, models.entries(), models.owners()));
                }
            }
        }
    }

    private BehaviourGroups newGroups() {
        if (!config.model().groups().enabled()) {
            return null;
        }
        BehaviourGroups g = new BehaviourGroups(config.model().groups(), config.detectors().groupChange(),
                config.detectors().falseAlarmWindow(), config.alerts().maxEvents(),
                getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
        scorer.addSessionListener((p, top, now, why, alerts) -> {
            try {
                UserGroup u = userGroupState.value();
                if (u == null) {
                    u = new UserGroup();
                }
                Alert a = g.onSessionClose(currentKey, p, top, u, now);
                userGroupState.update(u);
                if (a != null) {
                    alerts.add(a);
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return g;
    }

    private AmountDetector newAmountDetector() {
        return config.detectors().amount().enabled()
                ? new AmountDetector(config.detectors().amount(), config.detectors().falseAlarmWindow(),
                        config.model().transition().populationTeachingWindow())
                : null;
    }

    /** The scorer, with the closed sessions' listener ({@link #sessions}) set up beside it. */
    private BehaviourScorer newScorer() {
        BehaviourScorer s = new BehaviourScorer(config.model().transition(), config.model().session(), config.detectors(), config.alerts().maxEvents());
        closedBuffer = new ArrayList<>(1);
        sessions = new SessionCloser(config, visitDetectors(config), config.model().session().emitVectors() ? closedBuffer::add : null,
                s::population);
        if (sessions.active()) {
            s.addSessionListener(sessions);
        }
        return s;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        // Every instance writes its whole model, tagged with who it is (see InstanceShares).
        int me = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        int n = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        List<TransitionCount> counts = scorer.populationForCheckpoint(true);
        for (TransitionCount c : counts) {
            c.owner = me;
            c.parallelism = n;
        }
        populationState.update(counts);
        sessionsState.update(List.of(scorer.sessionsForCheckpoint(true).toTaggedBytes(me, n)));
        amountsState.update(amount == null ? List.of() : List.of(amount.populationForCheckpoint().toTaggedBytes(me, n)));
        for (SessionCloser.Registration r : sessions.registrations()) {
            visitDetectorStates.get(r.stateName()).update(List.of());
        }
        for (ClosedVisitDetector d : sessions.detectors()) {
            visitDetectorStates.get(d.stateName()).update(d.snapshot(me, n));
        }
        groupsState.update(groups == null ? List.of() : List.of(groups.model().toTaggedBytes(me, n)));
        waitingState.update(waiting.inOrder());
    }

    /**
     * Events wait in one queue of the instance instead of with a timer each: a heap of events, not a
     * timer per event in the timer service's per-key-group queues and sets (1.3 us less an event in
     * the bench's floors, docs/benchmarks.md). The operator that runs this function must empty it
     * ({@link WaitingEvents#takeQueuedAt}, {@link #onQueued}). Called before the job runs.
     */
    void orderInQueue() {
        queued = true;
    }

    /** The instance's waiting events, whose queue the operator empties ({@link QueuedEventsDrain}). */
    WaitingEvents waiting() {
        return waiting;
    }

    /**
     * Handles {@code events} of the current user, all at {@code ts}, as their timer would have: the
     * operator calls it with the user as the current key, after the timers before {@code ts} fired.
     */
    void onQueued(String key, List<Event> events, long ts, OnTimerContext ctx, Collector<Event> out) throws Exception {
        handle(key, ts, events, null, true, ctx, out);
    }

    /**
     * Lets this function cache users ({@code state.cache-users}): called by the operator that runs it,
     * before {@link #open}, with the operator's key, which the cache sets to write a user back.
     */
    @Override
    public void cacheUsersWith(KeyContext operatorKeys, boolean stateKeepsObjects) {
        this.keys = operatorKeys;
        this.stateKeepsObjects = stateKeepsObjects;
    }

    /** Sets the state TTL's clock, before {@link #open}; for tests, whose harness has its own. */
    void useTtlClock(java.util.function.LongSupplier clock) {
        this.ttlClock = clock;
    }

    @Override
    public void writeBackCachedUsers() throws Exception {
        if (hot != null) {
            hot.writeBack();
        }
    }

    /** Users in the cache, or -1 without one; for tests. */
    int cachedUsers() {
        return hot == null ? -1 : hot.size();
    }

    @Override
    public void open(OpenContext openContext) {
        List<UserDetectorPart<?>> partsOn = parts(config);
        if (ttlClock == null) {
            ttlClock = System::currentTimeMillis; // as Flink's TtlTimeProvider.DEFAULT
        }
        hot = keys != null && config.state().cacheUsers() > 0
                ? new HotUsers(config.state().cacheUsers(), config.state().cacheDirtyUsers(), config.state().ttl().toMillis(), 2, 1 + partsOn.size(), ttlClock, keys, this::writeBack)
                : null;
        var groupSerializer = getRuntimeContext().createSerializer(org.apache.flink.api.common.typeinfo.TypeInformation.of(UserGroup.class));
        // Heap state keeps the objects it is given: the cache gives and takes copies, as a cached
        // user goes on changing while a checkpoint writes the state it was given.
        profileState = new CachedValue<>(getRuntimeContext().getState(Descriptors.userProfile(config.state().ttl())), hot, 0,
                stateKeepsObjects ? UserProfileSerializer.INSTANCE::copy : p -> p);
        userGroupState = new CachedValue<>(getRuntimeContext().getState(Descriptors.userGroup(config.state().ttl())), hot, 1,
                stateKeepsObjects ? groupSerializer::copy : g -> g);
        eventsMaps = new ArrayList<>(1 + partsOn.size());
        topEvents = eventsMap(getRuntimeContext().getMapState(Descriptors.sessionTopEvents(config.state().ttl())), "the session's top events");
        parts = new ArrayList<>();
        partNames = new HashSet<>();
        for (UserDetectorPart<?> part : partsOn) {
            String detector = part.detector();
            parts.add(new PartRunner<>(part, eventsMap(
                    getRuntimeContext().getMapState(Descriptors.partEvents(detector, config.state().ttl())), "the events of detector " + detector)));
            partNames.add(detector);
        }
        partAlerts = new ArrayList<>(1);
        switchedOffEvents = new java.util.HashMap<>();
        if (scorer == null) {
            scorer = newScorer();
            amount = newAmountDetector();
            groups = newGroups();
        }
        alertBuffer = new ArrayList<>(4);
        eventsScored = getRuntimeContext().getLongCounter(EVENTS_ACCUMULATOR);
        eventsWarmingUp = getRuntimeContext().getLongCounter(WARMING_UP_EVENTS_ACCUMULATOR);
        sessionsWarmingUp = getRuntimeContext().getLongCounter(WARMING_UP_SESSIONS_ACCUMULATOR);
        eventsWarmingUpAdded = scorer.eventsWarmingUp();
        sessionsWarmingUpAdded = scorer.sessionsWarmingUp();
        purchasesWarmingUp = getRuntimeContext().getLongCounter(WARMING_UP_PURCHASES_ACCUMULATOR);
        purchasesWarmingUpAdded = amount == null ? 0 : amount.purchasesWarmingUp();
        List<ClosedVisitDetector> visitDetectors = sessions.detectors();
        visitWarmingUp = new LongCounter[visitDetectors.size()];
        visitWarmingUpAdded = new long[visitDetectors.size()];
        for (int i = 0; i < visitDetectors.size(); i++) {
            visitWarmingUp[i] = getRuntimeContext().getLongCounter(warmingUpAccumulator(visitDetectors.get(i).detector()));
            visitWarmingUpAdded[i] = visitDetectors.get(i).warmingUp();
        }
        var metrics = getRuntimeContext().getMetricGroup();
        eventsMetric = metrics.counter("eventsScored");
        usersNewMetric = metrics.counter("usersNew");
        metrics.gauge("eventsWaitingForWatermark", () -> waiting.size());
        lateMetric = metrics.addGroup("deadLetters", "late").counter("count");
        alertsMetrics = new java.util.HashMap<>();
        for (String detector : new String[] {BehaviourScorer.TRANSITION, BehaviourScorer.SESSION, BehaviourScorer.CUSUM, AmountDetector.DETECTOR,
                BehaviourGroups.DETECTOR, ModelDetector.DETECTOR}) {
            alertsMetrics.put(detector, metrics.addGroup("alerts", detector).counter("count"));
        }
        for (ClosedVisitDetector d : sessions.detectors()) {
            alertsMetrics.put(d.detector(), metrics.addGroup("alerts", d.detector()).counter("count"));
        }
        for (PartRunner<?> part : parts) {
            alertsMetrics.put(part.detector(), metrics.addGroup("alerts", part.detector()).counter("count"));
        }
        ModelDetector model = sessions.model();
        if (model != null) {
            modelsLoaded = metrics.addGroup("model").counter("loaded");
            String path = config.detectors().model().path();
            if (!path.isBlank() && model.model() == null) {
                // Every instance reads the directory: it must be where each task manager sees it. A
                // directory with a login model only leaves this detector idle.
                ModelFiles files = ModelFiles.read(Path.of(path), ModelFiles.SESSION);
                if (files != null) {
                    useModel(model.load(files));
                }
            }
        }
    }

    /** An events map in state, behind the cache when there is one. */
    private TopEventStore eventsMap(MapState<Integer, Event> state, String what) {
        MapStateTopEvents inState = new MapStateTopEvents(state, what);
        eventsMaps.add(inState);
        return hot == null ? inState : new WriteBackTopEvents(inState, hot, eventsMaps.size() - 1);
    }

    /** Writes a user leaving the cache, or changed before a checkpoint barrier, to state; their key is current. */
    private void writeBack(HotUsers.User u, long now) throws Exception {
        profileState.writeBack(u, now);
        userGroupState.writeBack(u, now);
        for (int map = 0; map < u.slots.length; map++) {
            if (u.slots[map] != null && !u.slots[map].isEmpty()) {
                WriteBackTopEvents.writeBack(eventsMaps.get(map), u, map, hot, now);
            }
        }
    }

    /** Detector model, or null when it is off. */
    ModelDetector modelDetector() {
        return sessions.model();
    }

    /** Detector model scores with {@code next} from the next closed session on. */
    void useModel(LoadedModel next) {
        sessions.model().use(next);
        modelsLoaded.inc();
    }

    @Override
    public void close() throws Exception {
        if (sessions != null && sessions.model() != null) {
            sessions.model().close(); // its native session
        }
        super.close();
    }

    @Override
    public void processElement(Event e, Context ctx, Collector<Event> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        if (e.ts <= watermark) {
            lateMetric.inc();
            ctx.output(Descriptors.DEAD_LETTERS, LateEvents.deadLetter(e, watermark, " (allowed out-of-orderness " + config.source().outOfOrderness() + ")"));
            return;
        }
        if (queued) {
            waiting.addToQueue(ctx.getCurrentKey(), e);
            return;
        }
        waiting.addForTimer(ctx.getCurrentKey(), e);
        // One timer per (user, time): registering it again is a no-op of the timer service.
        ctx.timerService().registerEventTimeTimer(e.ts);
    }

    /**
     * A part switched off leaves nothing behind: its slice goes from the profile and its events map
     * from state, the first time the user is seen after the switch (the map's name is the
     * detector's, {@link Descriptors#partEvents}).
     */
    private void dropSwitchedOffParts(UserProfile profile) throws Exception {
        if (partNames.containsAll(profile.partSlices.keySet())) {
            return;
        }
        for (java.util.Iterator<String> it = profile.partSlices.keySet().iterator(); it.hasNext(); ) {
            String detector = it.next();
            if (!partNames.contains(detector)) {
                switchedOffEvents.computeIfAbsent(detector,
                        d -> getRuntimeContext().getMapState(Descriptors.partEvents(d, config.state().ttl()))).clear();
                it.remove();
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Event> out) throws Exception {
        String key = ctx.getCurrentKey();
        // Events at this time, in arrival order; those after it wait on, each with its own timer.
        List<Event> due = waiting.takeDue(key, timestamp);
        handle(key, timestamp, due, waiting.waitingFor(key), false, ctx, out);
    }

    /**
     * The user's events {@code due} at {@code timestamp} (none when only the quiet timer fired), in
     * arrival order, and the user's quiet timer when it is at {@code timestamp}; {@code later}: the
     * user's events that still wait with timers of their own, or null. {@code fromQueue}: the events
     * came from the queue, so a quiet timer at {@code timestamp} has not fired.
     */
    private void handle(String key, long timestamp, List<Event> due, List<Event> later, boolean fromQueue, OnTimerContext ctx,
            Collector<Event> out) throws Exception {
        if (hot != null) {
            hot.enter(key);
        }
        UserProfile profile = profileState.value();
        if (profile == null) {
            // A user with no state here yet: first seen, or back after state.ttl dropped the profile.
            usersNewMetric.inc();
            profile = new UserProfile();
            if (hot != null) {
                hot.current().noneInState();
            }
        }
        dropSwitchedOffParts(profile);
        for (PartRunner<?> part : parts) {
            part.load(profile);
        }
        sessions.setKey(key);
        currentKey = key;
        for (Event e : due) {
            scorer.onEvent(profile, topEvents, e, alertBuffer);
            if (amount != null) {
                Alert a = amount.onEvent(profile, e, config.alerts().maxEvents());
                if (a != null) {
                    alertBuffer.add(a);
                }
            }
            for (PartRunner<?> part : parts) {
                Alert a = part.onEvent(e);
                if (a != null) {
                    partAlerts.add(a);
                }
            }
            eventsScored.add(1L);
            eventsMetric.inc();
            out.collect(e);
            emitAlerts(ctx, profile);
        }
        if (profile.gapTimer == timestamp) {
            if (fromQueue) {
                // Called for the queued events of this time, not by the quiet timer, which has not fired: it goes.
                ctx.timerService().deleteEventTimeTimer(timestamp);
            }
            // The user's one quiet timer has fired, events at its time or not: armGapTimer sets it
            // again if still wanted (a part's quiet time need not move with an event).
            profile.gapTimer = Long.MIN_VALUE;
            if (due.isEmpty()) {
                // The session's inactivity gap, or a part's state to drop.
                if (profile.sessionOpen() && timestamp >= profile.lastTs + config.model().session().inactivityGap().toMillis()) {
                    scorer.advanceTo(timestamp);
                    scorer.closeSession(profile, topEvents, "inactivity", alertBuffer);
                    emitAlerts(ctx, profile);
                }
                for (PartRunner<?> part : parts) {
                    part.onQuiet(timestamp);
                }
            }
        }
        armGapTimer(profile, ctx, later);
        for (PartRunner<?> part : parts) {
            part.store(profile);
        }
        profileState.update(profile);
        countWarmUp();
    }

    /** Adds what the scorer scored while warming up since the last call to the accumulators. */
    private void countWarmUp() {
        eventsWarmingUp.add(scorer.eventsWarmingUp() - eventsWarmingUpAdded);
        eventsWarmingUpAdded = scorer.eventsWarmingUp();
        sessionsWarmingUp.add(scorer.sessionsWarmingUp() - sessionsWarmingUpAdded);
        sessionsWarmingUpAdded = scorer.sessionsWarmingUp();
        if (amount != null) {
            purchasesWarmingUp.add(amount.purchasesWarmingUp() - purchasesWarmingUpAdded);
            purchasesWarmingUpAdded = amount.purchasesWarmingUp();
        }
        List<ClosedVisitDetector> visitDetectors = sessions.detectors();
        for (int i = 0; i < visitWarmingUp.length; i++) {
            long judged = visitDetectors.get(i).warmingUp();
            visitWarmingUp[i].add(judged - visitWarmingUpAdded[i]);
            visitWarmingUpAdded[i] = judged;
        }
    }

    /**
     * Keeps one quiet timer per user: the earliest of the open session's inactivity (last event +
     * gap) and the times the parts' state of the user can be dropped. A timer that still has
     * events waiting at its time is never deleted: it is theirs too (event time can run far ahead of
     * the watermark, so a later event of the same user often sits at exactly last event + gap).
     */
    private void armGapTimer(UserProfile profile, OnTimerContext ctx, List<Event> later) {
        long wanted = profile.sessionOpen()
                ? profile.lastTs + config.model().session().inactivityGap().toMillis()
                : Long.MAX_VALUE;
        for (PartRunner<?> part : parts) {
            long quiet = part.quietAt();
            if (quiet != Long.MIN_VALUE) {
                wanted = Math.min(wanted, quiet);
            }
        }
        if (wanted == Long.MAX_VALUE) {
            wanted = Long.MIN_VALUE;
        }
        if (wanted != profile.gapTimer) {
            if (profile.gapTimer != Long.MIN_VALUE && !waitsAt(later, profile.gapTimer)) {
                ctx.timerService().deleteEventTimeTimer(profile.gapTimer);
            }
            if (wanted != Long.MIN_VALUE) {
                ctx.timerService().registerEventTimeTimer(wanted);
            }
            profile.gapTimer = wanted;
        }
    }

    private static boolean waitsAt(List<Event> later, long ts) {
        if (later != null) {
            for (Event e : later) {
                if (e.ts == ts) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Events waiting for the watermark on this instance; for tests. */
    int eventsWaiting() {
        return waiting.size();
    }

    /** The closed sessions' detectors and output of this instance; for tests. */
    SessionCloser sessionCloser() {
        return sessions;
    }

    /** Steps the population model of this instance knows (restored and learned); for tests. */
    long populationEvents() {
        return scorer.knownPopulationEvents();
    }

    /** Users' groups known to this instance's model; for tests. */
    BehaviourGroups groups() {
        return groups;
    }

    private void emitAlerts(OnTimerContext ctx, UserProfile profile) throws java.io.IOException {
        if (groups != null && !alertBuffer.isEmpty()) {
            UserGroup u = userGroupState.value();
            if (u != null) {
                // The alert carries the group the user's steps say now, against the groups as they are now.
                groups.retype(profile, u, ctx.timestamp());
                userGroupState.update(u);
            }
            for (Alert a : alertBuffer) {
                groups.annotate(a, u);
            }
        }
        for (Alert a : alertBuffer) {
            alertsMetrics.get(a.detector).inc();
            ctx.output(Descriptors.ALERTS, a);
        }
        alertBuffer.clear();
        // The parts' alerts as they built them: a group is named only in the scorer's, which judge
        // the user's steps.
        for (Alert a : partAlerts) {
            alertsMetrics.get(a.detector).inc();
            ctx.output(Descriptors.ALERTS, a);
        }
        partAlerts.clear();
        for (ClosedSession s : closedBuffer) {
            ctx.output(Descriptors.CLOSED_SESSIONS, s);
        }
        closedBuffer.clear();
    }
}
