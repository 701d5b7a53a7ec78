package io.surprisal.session;

import io.surprisal.alert.Alert;
import io.surprisal.classifier.ModelDetector;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.UserKey;
import io.surprisal.model.BehaviourScorer;
import io.surprisal.model.PopulationTransitions;
import io.surprisal.model.TopEventStore;
import io.surprisal.model.UserProfile;
import io.surprisal.visitlength.VisitLengthDetector;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What happens to a closed session beyond detector {@code session}: it becomes a vector ({@link
 * SessionFeatures}), which detectors {@code session-profile} and {@code session-forest} judge and
 * learn, whose length detector {@code visit-length} judges by the population's steps, which detector {@code model} scores ({@link ModelDetector}), and which goes to {@code
 * vectors} when the job emits them. Plain Java; the per-user
 * operator sets {@link #key} to the user's key before each call into the scorer.
 */
public final class SessionCloser implements BehaviourScorer.SessionListener {
    private final SessionProfileDetector profile;
    private final SessionForestDetector forest;
    private final ModelDetector model;
    private final VisitLengthDetector visitLength;
    private final Supplier<PopulationTransitions> steps;
    private final Consumer<ClosedSession> vectors;
    private final int maxEvents;
    private final double[] features = new double[SessionFeatures.COUNT];
    private String key;

    /**
     * @param vectors where closed sessions' vectors go, or null when the job does not emit them
     * @param steps the population's steps, which the scorer learns (the population is replaced on restore)
     */
    public SessionCloser(SurprisalConfig config, Consumer<ClosedSession> vectors, Supplier<PopulationTransitions> steps) {
        var d = config.detectors();
        var teaching = config.model().transition().populationTeachingWindow();
        this.profile = d.sessionProfile().enabled() ? new SessionProfileDetector(d.sessionProfile(), d.falseAlarmWindow(), teaching) : null;
        this.forest = d.sessionForest().enabled() ? new SessionForestDetector(d.sessionForest(), d.falseAlarmWindow(), teaching) : null;
        // The vector's version is its length: features only ever join at its end (docs/session-vectors.md).
        this.model = d.model().enabled() ? new ModelDetector(d.model(), SessionFeatures.NAMES, SessionFeatures.COUNT) : null;
        var transitions = config.model().transition();
        this.visitLength = d.visitLength().enabled()
                ? new VisitLengthDetector(d.visitLength(), d.falseAlarmWindow(), teaching, transitions.maxPopulationStepsPerUser(), transitions.smoothing())
                : null;
        this.steps = steps;
        this.vectors = vectors;
        this.maxEvents = config.alerts().maxEvents();
    }

    /** Whether anything listens: a detector, or the vectors' output. */
    public boolean active() {
        return profile != null || forest != null || visitLength != null || model != null || vectors != null;
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
        SessionProfileDetector.UsualEvents usual = null;
        if (profile != null) {
            profile.advanceTo(now);
            usual = visitLength != null ? profile.usualEvents(p) : null;
            Alert a = profile.onSessionClosed(p, top, features, user, tenant, maxEvents);
            if (a != null) {
                alerts.add(a);
            }
        }
        if (forest != null) {
            forest.advanceTo(now);
            Alert a = forest.onSessionClosed(p, top, features, key, user, tenant, maxEvents);
            if (a != null) {
                alerts.add(a);
            }
        }
        if (visitLength != null) {
            visitLength.advanceTo(now);
            Alert a = visitLength.onVisitClosed(p, top, steps.get(), usual, why, user, tenant, maxEvents);
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

    /** Detector session-profile, or null when it is off. */
    public SessionProfileDetector profile() {
        return profile;
    }

    /** Detector model, or null when it is off. */
    public ModelDetector model() {
        return model;
    }

    /** Detector visit-length, or null when it is off. */
    public VisitLengthDetector visitLength() {
        return visitLength;
    }

    /** Detector session-forest, or null when it is off. */
    public SessionForestDetector forest() {
        return forest;
    }
}
