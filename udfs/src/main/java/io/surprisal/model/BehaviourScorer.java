package io.surprisal.model;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertBuilder;
import io.surprisal.config.SurprisalConfig.CusumDetectorConfig;
import io.surprisal.config.SurprisalConfig.DetectorsConfig;
import io.surprisal.config.SurprisalConfig.SessionModelConfig;
import io.surprisal.config.SurprisalConfig.TransitionModelConfig;
import io.surprisal.event.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Detectors {@code transition}, {@code session} and {@code cusum}: scores each event's transition in
 * bits against the user's own history blended with the population's, sums the session, judges a
 * closed session by its tail among the population's, and keeps each user's CUSUM. Every bar is per
 * user and false-alarm window, not per test ({@link MultipleTests}). Plain Java, no Flink: the Flink
 * operator feeds it events in event-time order per user, and the benchmark runs it alone.
 *
 * <p>Population learning is deferred until event time moves past a timestamp: every event is scored
 * against what the population did strictly before it, so the order in which users' events of the
 * same instant are processed cannot change any score, and replays give identical alerts.
 *
 * <p>It keeps two copies of the population model: {@code combined} (everything known, used to
 * score) and {@code own} (what this instance learned since it started), so checkpoints of several
 * parallel instances can be unioned without counting anything twice.
 */
public final class BehaviourScorer {
    public static final String TRANSITION = "transition";
    public static final String SESSION = "session";
    public static final String CUSUM = "cusum";
    /** A closed session is judged by two measures (beyond the expected, total): two tests. */
    private static final int MEASURES = 2;

    private final TransitionModelConfig model;
    private final SessionModelConfig sessionModel;
    private final DetectorsConfig detectors;
    private final int maxEvents;

    private PopulationTransitions population;
    private PopulationTransitions ownPopulation;
    private SessionStatistics sessions = new SessionStatistics();
    private SessionStatistics ownSessions = new SessionStatistics();

    /** Observations at {@link #pendingTs} not yet in the population: from, to pairs and session scores. */
    private final List<String> pendingSteps = new ArrayList<>();
    private final List<double[]> pendingSessions = new ArrayList<>();
    private long pendingTs = Long.MIN_VALUE;

    /** The {@code from} of the checkpoint entry that carries the number of distinct users (no state is empty). */
    static final String USERS_ENTRY = "";
    /** Distinct users seen (everything known, and since this instance started), and those not yet counted. */
    private long users;
    private long ownUsers;
    private long pendingUsers;
    /** Events scored, and sessions closed, while their detectors were still warming up. */
    private long eventsWarmingUp;
    private long sessionsWarmingUp;

    /**
     * Told of every closed session of at least one event, while the profile still holds it (its
     * counts, vector and top events): the session vector's detectors, behaviour groups.
     */
    @FunctionalInterface
    public interface SessionListener {
        /**
         * The open session of {@code p} has ended at event time {@code now} (the instant being
         * processed; its last event is {@code p.lastTs}), for reason {@code why}; its top events are
         * in {@code top}; alerts go to {@code alerts}.
         */
        void sessionClosed(UserProfile p, TopEventStore top, long now, String why, List<Alert> alerts);
    }

    /** In the order they were added. */
    private final List<SessionListener> sessionListeners = new ArrayList<>(2);

    /** Adds {@code listener} to those told of closed sessions. */
    public void addSessionListener(SessionListener listener) {
        sessionListeners.add(listener);
    }

    public BehaviourScorer(TransitionModelConfig model, SessionModelConfig sessionModel, DetectorsConfig detectors, int maxEvents) {
        this.model = model;
        this.sessionModel = sessionModel;
        this.detectors = detectors;
        this.maxEvents = maxEvents;
        this.population = newPopulation();
        this.ownPopulation = newPopulation();
    }

    private PopulationTransitions newPopulation() {
        return new PopulationTransitions(model.smoothing(), model.maxPopulationTransitions());
    }

    /** Steps the population knows, including those of the current instant not yet applied. */
    public long knownPopulationEvents() {
        return population.events() + pendingSteps.size() / 2;
    }

    /** Moves to event time {@code ts}: what happened before it joins the population. */
    public void advanceTo(long ts) {
        if (ts > pendingTs) {
            flushPending();
            pendingTs = ts;
        }
    }

    private void flushPending() {
        for (int i = 0; i < pendingSteps.size(); i += 2) {
            population.observe(pendingSteps.get(i), pendingSteps.get(i + 1));
            ownPopulation.observe(pendingSteps.get(i), pendingSteps.get(i + 1));
        }
        pendingSteps.clear();
        for (double[] s : pendingSessions) {
            sessions.add(s[0], s[1]);
            ownSessions.add(s[0], s[1]);
        }
        pendingSessions.clear();
        users += pendingUsers;
        ownUsers += pendingUsers;
        pendingUsers = 0;
    }

    /** Everything learned so far, pending included, for a checkpoint (does not change scoring). */
    public List<TransitionCount> populationForCheckpoint(boolean includeBase) {
        PopulationTransitions copy = newPopulation();
        copy.addAll((includeBase ? population : ownPopulation).entries());
        for (int i = 0; i < pendingSteps.size(); i += 2) {
            copy.observe(pendingSteps.get(i), pendingSteps.get(i + 1));
        }
        List<TransitionCount> entries = copy.entries();
        entries.add(new TransitionCount(USERS_ENTRY, USERS_ENTRY, (includeBase ? users : ownUsers) + pendingUsers));
        return entries;
    }

    /** Session statistics, pending included, for a checkpoint. */
    public SessionStatistics sessionsForCheckpoint(boolean includeBase) {
        SessionStatistics copy = new SessionStatistics();
        copy.merge(includeBase ? sessions : ownSessions);
        for (double[] s : pendingSessions) {
            copy.add(s[0], s[1]);
        }
        return copy;
    }

    /** Replaces what is known with a restored base (own learning starts again from zero). */
    public void restore(Iterable<TransitionCount> counts, List<SessionStatistics> sessionSketches) {
        population = newPopulation();
        users = 0;
        List<TransitionCount> steps = new ArrayList<>();
        for (TransitionCount c : counts) {
            if (USERS_ENTRY.equals(c.from)) {
                users += c.count;
            } else {
                steps.add(c);
            }
        }
        population.addAll(steps);
        ownUsers = 0;
        ownPopulation = newPopulation();
        sessions = new SessionStatistics();
        for (SessionStatistics s : sessionSketches) {
            sessions.merge(s);
        }
        ownSessions = new SessionStatistics();
    }

    public PopulationTransitions population() {
        return population;
    }

    public PopulationTransitions ownPopulation() {
        return ownPopulation;
    }

    public SessionStatistics sessions() {
        return sessions;
    }

    public SessionStatistics ownSessions() {
        return ownSessions;
    }

    /**
     * True once the population has seen enough to judge anyone by: {@code min-population-events}
     * steps, or {@code min-population-events-per-user} for each distinct user seen, whichever is fewer.
     */
    public boolean populationReady() {
        return population.events() >= minimum(model.minPopulationEvents(), model.minPopulationEventsPerUser());
    }

    /** True once the population has closed enough sessions to judge one: as {@link #populationReady}, in sessions. */
    public boolean sessionsReady() {
        return sessions.sessions() >= minimum(sessionModel.minSessions(), sessionModel.minSessionsPerUser());
    }

    /** {@code fixed}, or {@code perUser} times the distinct users seen, whichever is fewer; at least 1. */
    private double minimum(long fixed, double perUser) {
        return Math.max(1.0, Math.min(fixed, Math.ceil(perUser * users)));
    }

    /** Distinct users seen (restored and learned, those of the current instant not yet included). */
    public long users() {
        return users;
    }

    /** Events scored while transition and cusum were still warming up (could not alert). */
    public long eventsWarmingUp() {
        return eventsWarmingUp;
    }

    /** Sessions closed while the session detector was still warming up. */
    public long sessionsWarmingUp() {
        return sessionsWarmingUp;
    }

    /**
     * Scores one event of the user (events must come in event-time order), updates the profile and
     * the population, sets {@link Event#bits}, and adds any alerts. Closes the previous session first
     * when the event starts a new one, and closes this one when the event is a logout or end.
     */
    public void onEvent(UserProfile p, Event e, List<Alert> alerts) {
        onEvent(p, p.localTopEvents(), e, alerts);
    }

    /** {@link #onEvent(UserProfile, Event, List)} with the session's top events kept in {@code top}. */
    public void onEvent(UserProfile p, TopEventStore top, Event e, List<Alert> alerts) {
        advanceTo(e.ts);
        if (p.events == 0) {
            pendingUsers++; // a user this instance has no state of: first seen, or back after state.ttl
        }
        if (!populationReady()) {
            eventsWarmingUp++;
        }
        if (p.sessionOpen()) {
            boolean newId = e.session != null && !e.session.equals(p.sessionId);
            boolean gap = e.ts - p.lastTs >= sessionModel.inactivityGap().toMillis();
            if (newId || gap) {
                closeSession(p, top, newId ? "a new session began" : "inactivity", alerts);
            }
        }
        if (!p.sessionOpen()) {
            p.sessionId = e.session;
            p.sessionStart = e.ts;
        }
        String from = p.lastStateName;
        String to = e.state();
        int fromIdx = p.lastState;
        boolean succeededBefore = p.hasSucceeded();
        int toIdx = p.indexOrAdd(to, model.maxStatesPerUser());
        if (!succeededBefore && p.hasSucceeded()) {
            teachStepsHeldUntilSuccess(p, e.ts);
        }
        p.decayTestsTo(e.ts, detectors.falseAlarmWindow().toMillis());
        p.stepsInWindow += 1;

        double popP = population.probability(from, to);
        double popBits = TransitionSurprisal.bits(popP);
        long userPair = p.count(fromIdx, toIdx);
        long userFrom = p.fromTotal(fromIdx);
        double blendedP = TransitionSurprisal.blendedProbability(userPair, userFrom, popP, model.priorStrength());
        double bits = TransitionSurprisal.bits(blendedP);
        double expected = population.entropy(from);
        e.bits = bits;

        if (detectors.transition().enabled() && populationReady()) {
            double bar = MultipleTests.bar(detectors.transition().thresholdBits(), p.stepsInWindow);
            // The tail is never rarer than the step itself: only a step past the bar needs it.
            if (bits >= bar) {
                double tailBits = TransitionSurprisal.bits(transitionTail(p, fromIdx, from, blendedP, userFrom));
                if (tailBits >= bar) {
                    alerts.add(transitionAlert(p, e, from, to, bits, tailBits, bar, popP, userPair, userFrom));
                }
            }
        }

        if (teaches(p, e.ts) && p.mayTeach(fromIdx, e.ts, model.populationTeachingWindow().toMillis(), model.maxPopulationStepsPerUser())) {
            pendingSteps.add(from);
            pendingSteps.add(to);
        }
        if (populationReady()) {
            updateCusum(p, top, e, popBits - expected, alerts);
        }
        p.observe(fromIdx, toIdx, model.maxTransitionsPerUser());
        p.events++;
        p.sessionEvents++;
        p.sessionBits += popBits;
        p.sessionExcess += popBits - expected;
        p.tally.add(e, p.sessionEvents > 1 ? e.ts - p.lastTs : -1);
        int slot = p.keepTopEvent(e.bits, sessionModel.topEvents());
        if (slot >= 0) {
            top.put(slot, e);
        }
        p.lastState = toIdx;
        p.lastStateName = to;
        p.lastTs = e.ts;

        if (e.action.equals("logout") || e.action.equals("end")) {
            closeSession(p, top, e.action, alerts);
        }
    }

    /**
     * A user's first success: the steps they took before it, which taught nothing then (see
     * {@link #teaches}), teach now, within the same per-state caps. They are the user's own counts,
     * since every step so far came before the first success; a typo before a first login is as
     * much part of how people behave as one later.
     */
    private void teachStepsHeldUntilSuccess(UserProfile p, long ts) {
        if (!teaches(p, ts)) {
            return;
        }
        for (long t : p.transitions) {
            int from = UserProfile.fromOf(t);
            int to = UserProfile.toOf(t);
            for (long n = UserProfile.countOf(t); n > 0
                    && p.mayTeach(from, ts, model.populationTeachingWindow().toMillis(), model.maxPopulationStepsPerUser()); n--) {
                pendingSteps.add(p.states[from]);
                pendingSteps.add(p.states[to]);
            }
        }
    }

    /**
     * Whether the user may teach the population at {@code ts}: not within a teaching window after a
     * cusum alert of theirs, so that users the detectors found off the typical path (a fraudster
     * back every day) do not make their own steps and sessions look typical. Only cusum alerts
     * count: session and transition alerts judge against what the population learned, and keeping
     * what they flag out of it would make the next such thing rarer still. A user who has never
     * succeeded at anything teaches nothing yet ({@link UserProfile#hasSucceeded}): a flood of
     * failed logins under a new name must not move what every other user is judged against. Their
     * steps wait in their own counts until their first success ({@link #teachStepsHeldUntilSuccess});
     * their sessions until then teach nothing.
     */
    private boolean teaches(UserProfile p, long ts) {
        return p.teachesAt(ts, model.populationTeachingWindow().toMillis());
    }

    /**
     * Detector {@code cusum}: S = max(0, S + excess - allowance) over the user's steps, across
     * sessions; at the threshold it alerts and starts again from {@code restart-bits}, a fast initial
     * response (Lucas and Crosier): a user who stays off the typical path alerts again within a
     * visit or two, while one who returns to it pays the head start back like any rare step. At
     * most one alert per visit: after it the sum waits at the head start until the next visit, so
     * a visit that goes on being strange (a flood of failed logins) is reported once, not every
     * few dozen steps.
     */
    private void updateCusum(UserProfile p, TopEventStore top, Event e, double excess, List<Alert> alerts) {
        CusumDetectorConfig c = detectors.cusum();
        if (p.cusumAlertTs != Long.MIN_VALUE && p.cusumAlertTs >= p.sessionStart) {
            return; // alerted in this visit: the head start set then is for the next one
        }
        double next = p.cusum + excess - c.allowanceBits();
        if (next <= 0) {
            p.cusum = 0;
            p.cusumSteps = 0;
            p.cusumSince = Long.MIN_VALUE;
            p.cusumHeadStart = 0;
            return;
        }
        if (p.cusumSteps == 0) {
            p.cusumSince = e.ts;
        }
        p.cusum = next;
        p.cusumSteps++;
        double bar = MultipleTests.bar(c.thresholdBits(), p.stepsInWindow);
        if (c.enabled() && next >= bar) {
            alerts.add(cusumAlert(p, top, e, c, bar));
            p.cusumAlertTs = e.ts;
            p.cusum = c.restartBits();
            p.cusumSteps = 0;
            p.cusumSince = Long.MIN_VALUE;
            p.cusumHeadStart = c.restartBits();
        }
    }

    private Alert cusumAlert(UserProfile p, TopEventStore top, Event e, CusumDetectorConfig c, double bar) {
        String headStart = p.cusumHeadStart > 0
                ? String.format(Locale.ROOT, ", counting the %.1f-bit head start kept since the user's last cusum alert", p.cusumHeadStart)
                : "";
        String barText = barText(c.thresholdBits(), p.stepsInWindow, 1, "steps");
        AlertBuilder a = AlertBuilder.of(CUSUM, e, maxEvents)
                .bits(p.cusum, bar)
                .summary(String.format(Locale.ROOT,
                        "%s's last %d steps cost %.1f bits more than typical steps would (allowing %.2f bits a step%s), above %s",
                        e.user, p.cusumSteps, p.cusum, c.allowanceBits(), headStart, barText))
                .reason("cusum_excess_bits",
                        String.format(Locale.ROOT, "%.1f bits over %d steps since %s%s", p.cusum, p.cusumSteps,
                                java.time.Instant.ofEpochMilli(p.cusumSince),
                                p.cusumHeadStart > 0 ? String.format(Locale.ROOT, " (from a %.1f-bit head start)", p.cusumHeadStart) : ""),
                        "< " + barText,
                        p.cusum);
        // The session's most surprising steps explain where the bits came from; the step that crossed
        // the threshold is not among them yet (it joins them after scoring), so it comes last.
        addTopSteps(a, p, top);
        addStep(a, e);
        return a.build();
    }

    /**
     * Ends the open session: judges it against the population, then lets it join the population.
     * Call {@link #advanceTo} with the closing time first when closing outside {@link #onEvent}.
     */
    public void closeSession(UserProfile p, String why, List<Alert> alerts) {
        closeSession(p, p.localTopEvents(), why, alerts);
    }

    /** {@link #closeSession(UserProfile, String, List)} with the session's top events kept in {@code top}; empties it. */
    public void closeSession(UserProfile p, TopEventStore top, String why, List<Alert> alerts) {
        if (!p.sessionOpen()) {
            return;
        }
        if (p.sessionEvents > 0) {
            p.decayTestsTo(p.lastTs, detectors.falseAlarmWindow().toMillis());
            p.sessionsInWindow += 1;
            if (detectors.session().enabled()) {
                if (!populationReady() || !sessionsReady()) {
                    sessionsWarmingUp++;
                } else {
                    Alert a = judgeSession(p, top, why);
                    if (a != null) {
                        alerts.add(a);
                    }
                }
            }
            if (teaches(p, p.lastTs) && p.mayTeachSession(p.lastTs, model.populationTeachingWindow().toMillis(), sessionModel.maxPopulationSessionsPerUser())) {
                pendingSessions.add(new double[] {p.sessionBits, p.sessionExcess});
            }
            for (SessionListener listener : sessionListeners) {
                listener.sessionClosed(p, top, pendingTs, why, alerts);
            }
        }
        if (p.topSlots.length > 0) {
            top.clear(p.topSlots.length);
        }
        p.closeSession();
    }

    /**
     * Judges a closed session by its tail among the population's closed sessions, for each of its two
     * measures (surprisal beyond the expected, total surprisal): the more surprising tail must reach
     * the bar of two tests per session the user closed in the window.
     */
    private Alert judgeSession(UserProfile p, TopEventStore top, String why) {
        long population = sessions.sessions();
        long excessAtLeast = sessions.excessAtLeast(p.sessionExcess);
        long totalAtLeast = sessions.totalAtLeast(p.sessionBits);
        double excessTail = MultipleTests.tailBits(excessAtLeast, population);
        double totalTail = MultipleTests.tailBits(totalAtLeast, population);
        double tests = MEASURES * p.sessionsInWindow;
        double base = detectors.session().thresholdBits();
        double bar = MultipleTests.bar(base, tests);
        double score = Math.max(excessTail, totalTail);
        if (score < bar) {
            return null;
        }
        boolean byExcess = excessTail >= totalTail;
        String barText = barText(base, p.sessionsInWindow, MEASURES, "sessions");

        Event first = p.topSlots.length > 0 ? top.get(p.topSlots[0]) : null;
        String user = first != null ? first.user : null;
        AlertBuilder a = AlertBuilder.of(SESSION, p.lastTs, user, p.sessionId, maxEvents)
                .tenant(first != null ? first.tenant : null)
                .bits(score, bar)
                .summary(String.format(Locale.ROOT,
                        "session %s of %s ended (%s) after %d events with %.1f bits of surprisal, %.1f beyond the expected; "
                                + "%s of the population's %d sessions went as far %s: %.1f bits, above %s",
                        p.sessionId == null ? "-" : p.sessionId, user, why, p.sessionEvents, p.sessionBits, p.sessionExcess,
                        byExcess ? excessAtLeast : totalAtLeast, population, byExcess ? "beyond the expected" : "in total",
                        score, barText))
                .reason("session_excess_bits",
                        String.format(Locale.ROOT, "%.1f bits beyond the expected over %d events", p.sessionExcess, p.sessionEvents),
                        String.format(Locale.ROOT, "%d of %d population sessions at least as far: tail %.1f bits", excessAtLeast, population, excessTail),
                        excessTail)
                .reason("session_total_bits",
                        String.format(Locale.ROOT, "%.1f bits over %d events", p.sessionBits, p.sessionEvents),
                        String.format(Locale.ROOT, "%d of %d population sessions at least as far: tail %.1f bits", totalAtLeast, population, totalTail),
                        totalTail);
        addTopSteps(a, p, top);
        return a.build();
    }

    /** The bar explained: "11.0 + log2(2 measures x 3.2 sessions in the past day) = 13.7". */
    private String barText(double base, double count, int measures, String what) {
        double tests = measures * count;
        String counted = measures == 1
                ? String.format(Locale.ROOT, "%.1f %s", Math.max(1.0, count), what)
                : String.format(Locale.ROOT, "%d measures x %.1f %s", measures, count, what);
        return String.format(Locale.ROOT, "%.1f + log2(%s in the past %s) = %.1f",
                base, counted, windowText(), MultipleTests.bar(base, tests));
    }

    private String windowText() {
        return MultipleTests.windowText(detectors.falseAlarmWindow());
    }

    /** The session's top events, most surprising first, as the alert's steps. */
    private static void addTopSteps(AlertBuilder a, UserProfile p, TopEventStore top) {
        forTopEvents(a, p, top, e -> addStep(a, e));
    }

    /** The session's top events, most surprising first, as the alert's events (no reasons), while it has room. */
    public static void addSessionEvents(AlertBuilder a, UserProfile p, TopEventStore top) {
        forTopEvents(a, p, top, a::event);
    }

    /** Each of the session's top events, most surprising first, while the alert has room for one. */
    private static void forTopEvents(AlertBuilder a, UserProfile p, TopEventStore top, java.util.function.Consumer<Event> add) {
        for (byte slot : p.topSlots) {
            if (!a.hasRoomForEvent()) {
                return;
            }
            Event e = top.get(slot);
            if (e != null) {
                add.accept(e);
            }
        }
    }

    /** One of the alert's events, with its bits as a reason, while the alert has room. */
    private static void addStep(AlertBuilder a, Event e) {
        if (a.hasRoomForEvent()) {
            a.reason("step", e.action + ":" + e.status(), "a typical step", e.bits).event(e);
        }
    }

    private Alert transitionAlert(UserProfile p, Event e, String from, String to, double bits, double tailBits, double bar,
            double popP, long userPair, long userFrom) {
        long popPair = population.count(from, to);
        long popFrom = population.fromTotal(from);
        String barText = barText(detectors.transition().thresholdBits(), p.stepsInWindow, 1, "steps");
        return AlertBuilder.of(TRANSITION, e, maxEvents)
                .bits(tailBits, bar)
                .summary(String.format(Locale.ROOT,
                        "%s went from %s to %s, a step of %.1f bits; a step this rare or rarer from %s: %.1f bits, above %s; "
                                + "the population took this step %d times in %d steps from %s, this user %d times in %d",
                        e.user, from, to, bits, from, tailBits, barText, popPair, popFrom, from, userPair, userFrom))
                .reason("transition", from + " -> " + to,
                        String.format(Locale.ROOT, "population p=%.6f (%d of %d), user %d of %d; this rare or rarer: %.1f bits",
                                popP, popPair, popFrom, userPair, userFrom, tailBits),
                        bits)
                .repeatOn(from + " -> " + to)
                .event(e)
                .build();
    }

    /**
     * The tail of a step out of {@code from} of blended probability {@code observedP}: the chance,
     * under this user's counts blended with the population's, of a step from there at most as likely.
     */
    private double transitionTail(UserProfile p, int fromIdx, String from, double observedP, long userFrom) {
        int vocabulary = population.vocabulary();
        int max = vocabulary + p.states.length;
        long[] userPairs = new long[max];
        double[] popPs = new double[max];
        int[] seen = {0};
        population.forEachNext(from, (next, count) -> {
            int i = seen[0]++;
            popPs[i] = population.probability(from, next);
            userPairs[i] = p.count(fromIdx, p.indexOf(next));
        });
        if (fromIdx >= 0) {
            for (long t : p.transitions) {
                if (UserProfile.fromOf(t) == fromIdx) {
                    String next = p.states[UserProfile.toOf(t)];
                    if (population.count(from, next) == 0) {
                        int i = seen[0]++;
                        popPs[i] = population.probability(from, next);
                        userPairs[i] = UserProfile.countOf(t);
                    }
                }
            }
        }
        // The rest of the vocabulary: states neither has seen after this one, each at the smoothed share.
        long unseen = Math.max(0, vocabulary - seen[0]);
        double unseenP = population.unseenProbability(from);
        return TransitionSurprisal.tailProbability(observedP, userFrom, model.priorStrength(), userPairs, popPs, seen[0], unseen, unseenP);
    }
}
