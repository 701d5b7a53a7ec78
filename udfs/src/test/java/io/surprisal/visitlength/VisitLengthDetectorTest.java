package io.surprisal.visitlength;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.alert.Alert;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.Event;
import io.surprisal.model.BehaviourScorer;
import io.surprisal.model.UserProfile;
import io.surprisal.session.SessionCloser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Detector visit-length through the scorer, as the job runs it: people who log in, view a few
 * items and log out (each view followed by another 7 times in 10); one of them then views 90 items in
 * a row.
 */
class VisitLengthDetectorTest {
    private static final long MINUTE = 60_000L;
    private static final long DAY = 24 * 60 * MINUTE;

    private final SurprisalConfig config = ConfigLoader.load(null, List.of("detectors.visit-length.min-population-visits=600"));
    private final BehaviourScorer scorer = new BehaviourScorer(config.model().transition(), config.model().session(),
            config.detectors(), config.alerts().maxEvents());
    private final SessionCloser closer = new SessionCloser(config, null, scorer::population);
    private final Map<String, UserProfile> profiles = new HashMap<>();
    private final List<Alert> alerts = new ArrayList<>();

    private static Event event(String user, String session, long ts, String action) {
        Event e = new Event();
        e.ts = ts;
        e.user = user;
        e.session = session;
        e.action = action;
        return e;
    }

    /** One visit of {@code views} views between a login and a logout, a minute apart. */
    private void visit(String user, long start, int views) {
        UserProfile p = profiles.computeIfAbsent(user, u -> new UserProfile());
        closer.setKey(user);
        String session = user + "-" + start;
        long t = start;
        scorer.onEvent(p, event(user, session, t, "login"), alerts);
        for (int i = 0; i < views; i++) {
            t += MINUTE;
            scorer.onEvent(p, event(user, session, t, "view_item"), alerts);
        }
        scorer.onEvent(p, event(user, session, t + MINUTE, "logout"), alerts);
    }

    /** Views after a login: 1 + a geometric number, another view 7 times in 10. */
    private static int views(Random r) {
        int n = 1;
        while (r.nextDouble() < 0.7) {
            n++;
        }
        return n;
    }

    private List<Alert> lengthAlerts() {
        return alerts.stream().filter(a -> a.detector.equals(VisitLengthDetector.DETECTOR)).toList();
    }

    /** 400 people, two visits a day for two days, in event-time order; returns the next instant free. */
    private long ordinaryDays(Random r, long from) {
        long t = from;
        for (int day = 0; day < 2; day++) {
            for (int visitOfDay = 0; visitOfDay < 2; visitOfDay++) {
                for (int u = 0; u < 400; u++) {
                    visit("user" + u, t, views(r));
                    t += 5 * MINUTE;
                }
            }
        }
        return t;
    }

    @Test
    void aVisitOfNinetyViewsWhereVisitsHaveAboutThreeAlertsAndOrdinaryVisitsDoNot() {
        scorer.addSessionListener(closer);
        Random r = new Random(7);
        long t = ordinaryDays(r, 0);
        assertThat(closer.detector(VisitLengthDetector.class).tail().judged()).isGreaterThanOrEqualTo(600);
        assertThat(lengthAlerts()).as("ordinary visits, 1,600 of them").isEmpty();

        visit("user7", t + DAY, 90);
        assertThat(lengthAlerts()).singleElement().satisfies(a -> {
            assertThat(a.user).isEqualTo("user7");
            assertThat(a.summary).startsWith("user7's visit had 92 events; their usual is ").contains("bits, above 11.0 + log2(");
            assertThat(a.score).isGreaterThanOrEqualTo(a.threshold);
            assertThat(a.reasons).singleElement().satisfies(reason -> {
                assertThat(reason.feature).isEqualTo("events");
                assertThat(reason.expected).contains("a visit of at least 92 events", "by the population's steps and leavings",
                        "ordinary visits as surprising");
            });
        });
    }

    @Test
    void theCalibrationAndTheLeavingsComeBackFromACheckpoint() {
        scorer.addSessionListener(closer);
        Random r = new Random(8);
        ordinaryDays(r, 0);
        // Visits that end without a logout: the next one comes after the inactivity gap.
        UserProfile p = profiles.get("user3");
        closer.setKey("user3");
        long t = 10 * DAY;
        scorer.onEvent(p, event("user3", "a", t, "login"), alerts);
        scorer.onEvent(p, event("user3", "a", t + MINUTE, "comment"), alerts);
        scorer.onEvent(p, event("user3", "b", t + 2 * DAY, "login"), alerts);
        VisitLengthDetector d = closer.detector(VisitLengthDetector.class);
        byte[] written = d.toTaggedBytes(1, 2);
        assertThat(d.ownerOf(written)).isEqualTo(1);
        assertThat(d.parallelismOf(written)).isEqualTo(2);
        VisitLengthDetector restored = new SessionCloser(config, null, scorer::population).detector(VisitLengthDetector.class);
        restored.restore(List.of(written), 1, 0);
        d.advanceTo(Long.MAX_VALUE);
        assertThat(restored.tail().judged()).isEqualTo(d.tail().judged());
        assertThat(restored.tail().calibrated(15, 3)).isEqualTo(d.tail().calibrated(15, 3));
        assertThat(restored.ends().count("comment:success")).as("the visit that left after a comment").isEqualTo(1);
        // After a rescale, two old instances' entries are shared between the new ones.
        VisitLengthDetector rescaled = new SessionCloser(config, null, scorer::population).detector(VisitLengthDetector.class);
        rescaled.restore(List.of(written, d.toTaggedBytes(0, 2)), 2, 0);
        assertThat(rescaled.tail().judged()).isBetween(d.tail().judged(), d.tail().judged() + 2 * 2_001L);
        assertThat(rescaled.ends().count("comment:success")).as("each entry's share rounds up: a leaving seen stays seen").isEqualTo(2);
    }
}
