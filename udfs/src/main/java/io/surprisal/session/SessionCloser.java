package io.surprisal.session;

import io.surprisal.alert.Alert;
import io.surprisal.classifier.ModelDetector;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.detector.ClosedVisit;
import io.surprisal.detector.ClosedVisitDetector;
import io.surprisal.event.UserKey;
import io.surprisal.model.BehaviourScorer;
import io.surprisal.model.PopulationTransitions;
import io.surprisal.model.TopEventStore;
import io.surprisal.model.UserProfile;
import io.surprisal.visitlength.VisitLengthDetector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What happens to a closed session beyond detector {@code session}: it becomes a vector ({@link
 * SessionFeatures}), which the closed-visit detectors ({@link ClosedVisitDetector}: {@code
 * session-profile}, {@code session-forest}, {@code visit-length}; {@link #registered}) judge and
 * learn, which detector {@code model} scores ({@link ModelDetector}), and which goes to {@code
 * vectors} when the job emits them. Plain Java; the per-user operator sets {@link #key} to the
 * user's key before each call into the scorer.
 */
public final class SessionCloser implements BehaviourScorer.SessionListener {
    private final List<Registration> registrations;
    private final List<ClosedVisitDetector> detectors;
    /** The source of the user's usual events when a detector uses them, else null. */
    private final SessionProfileDetector usualEvents;
    private final ModelDetector model;
    private final Supplier<PopulationTransitions> steps;
    private final Consumer<ClosedSession> vectors;
    private final int maxEvents;
    private final double[] features = new double[SessionFeatures.COUNT];
    private String key;

    /**
     * A closed-visit detector the job knows: its name, its union list state's name (kept, and emptied
     * at each checkpoint, while it is switched off, so that a savepoint's population of it does not
     * linger), whether the configuration turns it on, and how to make it.
     */
    public record Registration(String detector, String stateName, boolean enabled, Supplier<ClosedVisitDetector> create) {}

    /** The closed-visit detectors, one registration each; those turned on judge a visit in this order. */
    public static List<Registration> registered(SurprisalConfig config) {
        var d = config.detectors();
        var teaching = config.model().transition().populationTeachingWindow();
        var transitions = config.model().transition();
        return List.of(
                new Registration(SessionProfileDetector.DETECTOR, SessionProfileDetector.STATE, d.sessionProfile().enabled(),
                        () -> new SessionProfileDetector(d.sessionProfile(), d.falseAlarmWindow(), teaching)),
                new Registration(SessionForestDetector.DETECTOR, SessionForestDetector.STATE, d.sessionForest().enabled(),
                        () -> new SessionForestDetector(d.sessionForest(), d.falseAlarmWindow(), teaching)),
                new Registration(VisitLengthDetector.DETECTOR, VisitLengthDetector.STATE, d.visitLength().enabled(),
                        () -> new VisitLengthDetector(d.visitLength(), d.falseAlarmWindow(), teaching,
                                transitions.maxPopulationStepsPerUser(), transitions.smoothing())));
    }

    /**
     * @param vectors where closed sessions' vectors go, or null when the job does not emit them
     * @param steps the population's steps, which the scorer learns (the population is replaced on restore)
     */
    public SessionCloser(SurprisalConfig config, Consumer<ClosedSession> vectors, Supplier<PopulationTransitions> steps) {
        this(config, registered(config), vectors, steps);
    }

    /** With the detectors of {@code registrations} that are turned on (each made here), instead of the configuration's. */
    public SessionCloser(SurprisalConfig config, List<Registration> registrations, Consumer<ClosedSession> vectors,
            Supplier<PopulationTransitions> steps) {
        List<ClosedVisitDetector> on = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> states = new HashSet<>();
        for (Registration r : registrations) {
            if (!names.add(r.detector()) || !states.add(r.stateName())) {
                throw new IllegalArgumentException("two closed-visit detectors named " + r.detector() + " or keeping state " + r.stateName());
            }
            if (r.enabled()) {
                ClosedVisitDetector d = r.create().get();
                if (!d.detector().equals(r.detector()) || !d.stateName().equals(r.stateName())) {
                    throw new IllegalArgumentException("detector " + d.detector() + " (state " + d.stateName() + ") registered as "
                            + r.detector() + " (state " + r.stateName() + ")");
                }
                on.add(d);
            }
        }
        this.registrations = List.copyOf(registrations);
        this.detectors = List.copyOf(on);
        SessionProfileDetector profile = null;
        boolean usual = false;
        for (ClosedVisitDetector d : this.detectors) {
            usual |= d.usesUsualEvents();
            if (d instanceof SessionProfileDetector p) {
                profile = p;
            }
        }
        this.usualEvents = usual ? profile : null;
        // The vector's version is its length: features only ever join at its end (docs/session-vectors.md).
        this.model = config.detectors().model().enabled()
                ? new ModelDetector(config.detectors().model(), SessionFeatures.NAMES, SessionFeatures.COUNT) : null;
        this.steps = steps;
        this.vectors = vectors;
        this.maxEvents = config.alerts().maxEvents();
    }

    /** Whether anything listens: a detector, or the vectors' output. */
    public boolean active() {
        return !detectors.isEmpty() || model != null || vectors != null;
    }

    /** The user key ({@link UserKey}) of the calls that follow. */
    public void setKey(String key) {
        this.key = key;
    }

    /**
     * A session of nothing but logout and end events is not a visit: sites send an end after a
     * logout, often under the same session id, which the scorer sees as a session of its own.
     */
    static boolean isVisit(UserProfile p) {
        return p.tally.actions[ActionClass.END] < p.sessionEvents;
    }

    @Override
    public void sessionClosed(UserProfile p, TopEventStore top, long now, String why, List<Alert> alerts) {
        if (!isVisit(p)) {
            return;
        }
        SessionFeatures.fill(p, features);
        int sep = key.indexOf(UserKey.SEPARATOR);
        String user = sep < 0 ? key : key.substring(sep + 1);
        String tenant = sep < 0 ? null : key.substring(0, sep);
        for (ClosedVisitDetector d : detectors) {
            d.advanceTo(now);
        }
        // Asked before any detector learns the visit.
        ClosedVisit.UsualEvents usual = usualEvents == null ? null : usualEvents.usualEvents(p);
        ClosedVisit visit = new ClosedVisit(p, top, features, now, why, key, user, tenant, detectors.isEmpty() ? null : steps.get(),
                usual, maxEvents);
        for (ClosedVisitDetector d : detectors) {
            Alert a = d.onVisitClosed(visit);
            if (a != null) {
                alerts.add(a);
            }
        }
        if (model != null) {
            Alert a = model.onSessionClosed(features, p.lastTs, user, tenant, p.sessionId, why, maxEvents,
                    b -> BehaviourScorer.addSessionEvents(b, p, top));
            if (a != null) {
                alerts.add(a);
            }
        }
        if (vectors != null) {
            ClosedSession s = new ClosedSession();
            s.user = user;
            s.tenant = tenant;
            s.session = p.sessionId;
            s.start = p.sessionStart;
            s.ts = p.lastTs;
            s.closedBy = why;
            s.features = features.clone();
            vectors.accept(s);
        }
    }

    /** Every closed-visit detector registered, on or off. */
    public List<Registration> registrations() {
        return registrations;
    }

    /** The closed-visit detectors that run, in their order. */
    public List<ClosedVisitDetector> detectors() {
        return detectors;
    }

    /** The closed-visit detector of {@code type}, or null when it is off. */
    public <T extends ClosedVisitDetector> T detector(Class<T> type) {
        for (ClosedVisitDetector d : detectors) {
            if (type.isInstance(d)) {
                return type.cast(d);
            }
        }
        return null;
    }

    /** Detector model, or null when it is off. */
    public ModelDetector model() {
        return model;
    }
}
