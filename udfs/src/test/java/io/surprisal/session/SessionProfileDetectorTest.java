package io.surprisal.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.alert.Alert;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.Event;
import io.surprisal.model.UserProfile;
import io.surprisal.usual.LogPopulation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Detector session-profile on simulated users: each user's sessions log-normal around their own
 * medians (events, duration, pace, time between visits), the medians log-normal across users.
 */
class SessionProfileDetectorTest {
    private static final long DAY = 86_400_000L;
    private final SurprisalConfig config = ConfigLoader.load(null, List.of("detectors.session-profile.alert-on=[events,duration,pace]"));
    private SessionProfileDetector detector = newDetector();

    private SessionProfileDetector newDetector() {
        return new SessionProfileDetector(config.detectors().sessionProfile(),
                config.detectors().falseAlarmWindow(), config.model().transition().populationTeachingWindow());
    }

    private long clock = DAY;

    /** A user's usual: medians of events, duration (s) and visit gap (s), and their spread (log sd). */
    /** The spread (log sd) of one gap between a visit's events about the visit's pace. */
    private static final double GAP_SPREAD = 0.9;

    private record Habit(double events, double duration, double visitGap, double spread) {
        static Habit random(Random r, double spread) {
            return new Habit(12 * Math.exp(0.5 * r.nextGaussian()), 540 * Math.exp(0.6 * r.nextGaussian()),
                    8 * 3600 * Math.exp(0.5 * r.nextGaussian()), spread);
        }

        double[] session(Random r, UserProfile p, long start) {
            return session(r, p, 1.0);
        }

        /**
         * A session whose gaps (into the profile's tally) are log-normal around the user's median gap
         * divided by {@code faster}, each visit with a pace of its own (a visit effect: the gaps of one
         * visit go together, which the per-gap model does not assume and its calibration must absorb).
         */
        double[] session(Random r, UserProfile p, double faster) {
            double[] f = new double[SessionFeatures.COUNT];
            f[SessionFeatures.EVENTS] = Math.max(1, Math.round(events * Math.exp(spread * r.nextGaussian())));
            double visitPace = Math.exp(0.3 * r.nextGaussian()) / faster;
            double medianGap = duration / Math.max(1, events - 1);
            double seconds = 0;
            Event e = new Event();
            e.action = "view_item";
            p.tally.add(e, -1);
            for (int i = 1; i < f[SessionFeatures.EVENTS]; i++) {
                long gap = Math.round(1000 * medianGap * visitPace * Math.exp(GAP_SPREAD * r.nextGaussian()));
                p.tally.add(e, gap);
                seconds += gap / 1000.0;
            }
            f[SessionFeatures.DURATION_S] = Math.round(seconds);
            f[SessionFeatures.MEAN_GAP_S] = f[SessionFeatures.EVENTS] > 1 ? f[SessionFeatures.DURATION_S] / (f[SessionFeatures.EVENTS] - 1) : 0;
            f[SessionFeatures.VISIT_GAP_S] = p.events == 0 ? Double.NaN : Math.round(visitGap * Math.exp(spread * r.nextGaussian()));
            return f;
        }
    }

    private static UserProfile customer() {
        UserProfile p = new UserProfile();
        p.states = new String[] {UserProfile.START, "login:success"};
        return p;
    }

    /** Closes one session of {@code f} for {@code p}, as the scorer would; returns the alert or null. */
    private Alert close(UserProfile p, double[] f, String user) {
        clock += 60_000;
        p.sessionStart = clock - (long) (1000 * f[SessionFeatures.DURATION_S]);
        p.lastTs = clock;
        p.sessionEvents = (int) f[SessionFeatures.EVENTS];
        p.decayTestsTo(clock, config.detectors().falseAlarmWindow().toMillis());
        p.sessionsInWindow += 1;
        detector.advanceTo(clock);
        Alert a = detector.onSessionClosed(p, p.localTopEvents(), f, user, null, 20);
        p.events += p.sessionEvents;
        p.closeSession();
        return a;
    }

    private void learnPopulation(Random r, int users, double spread) {
        for (int u = 0; u < users; u++) {
            UserProfile p = customer();
            Habit h = Habit.random(r, spread);
            for (int s = 0; s < 4; s++) {
                close(p, h.session(r, p, clock), "learner" + u);
            }
            if (u % 100 == 99) {
                clock += DAY;
            }
        }
        detector.advanceTo(++clock);
    }

    @Test
    void aSessionFarLongerThanTheUsersOwnAlertsInItsWords() {
        Random r = new Random(7);
        learnPopulation(r, 2000, 0.4);
        assertThat(detector.model(SessionMeasure.DURATION).ready()).isTrue();
        UserProfile p = customer();
        Habit jane = new Habit(10, 540, 8 * 3600, 0.3);
        for (int s = 0; s < 20; s++) {
            clock += DAY / 2;
            assertThat(close(p, jane.session(r, p, clock), "u123")).as("ordinary session %d", s).isNull();
        }
        clock += DAY;
        double[] f = jane.session(r, p, clock);
        f[SessionFeatures.DURATION_S] = 3 * 3600 + 600;
        f[SessionFeatures.MEAN_GAP_S] = f[SessionFeatures.DURATION_S] / (f[SessionFeatures.EVENTS] - 1);
        Alert a = close(p, f, "u123");
        assertThat(a).isNotNull();
        assertThat(a.detector).isEqualTo("session-profile");
        assertThat(a.summary).startsWith("u123's session lasted 3 h 10 min; their usual is ")
                .contains("from 20 sessions, blended with the population's");
        assertThat(a.reasons.get(0).feature).isEqualTo("duration");
        assertThat(a.reasons).extracting(r2 -> r2.feature).contains("events", "visit-gap");
        assertThat(a.reasons).filteredOn(r2 -> r2.feature.equals("visit-gap")).singleElement()
                .satisfies(r2 -> assertThat(r2.expected).endsWith("(a reason only)"));
        assertThat(p.habits.of(SessionMeasure.DURATION).count).as("what alerts teaches nothing").isEqualTo(20);
    }

    /**
     * Events and duration both measure the visit's length: once the length's yardstick (the more
     * surprising of the two on the population's ordinary visits) has counted enough visits, they
     * count as the tests they are together, between one and two (with pace, between two and
     * three); a detector restored from a state written without that yardstick counts them as two
     * until it has counted min-population-sessions visits again.
     */
    @Test
    void eventsAndDurationCountAsTheTestsTheyAreTogether() {
        Random r = new Random(7);
        learnPopulation(r, 2000, 0.4);
        assertThat(detector.length().ready()).isTrue();
        double tests = detector.length().effectiveTests(detector.model(SessionMeasure.EVENTS).population(),
                detector.model(SessionMeasure.DURATION).population());
        assertThat(tests).isBetween(1.0, 2.0);
        List<byte[]> withoutLength = detector.toTaggedEntries(0, 1).stream()
                .filter(e -> java.nio.ByteBuffer.wrap(e).getInt(0) != SessionProfileDetector.LENGTH_ENTRY).toList();
        assertThat(withoutLength).hasSize(SessionMeasure.COUNT);

        Alert together = longVisit(r, "u1");
        assertThat(together.summary).contains("log2(" + SessionProfileDetector.testsText(1 + tests) + " x ");

        detector = newDetector();
        detector.restore(withoutLength, 1);
        assertThat(detector.model(SessionMeasure.DURATION).ready()).isTrue();
        assertThat(detector.length().ready()).isFalse();
        assertThat(longVisit(r, "u2").summary).contains("log2(3 tests x ");
    }

    /** Twenty ordinary visits, then one of the same events lasting 3 h 10 min. */
    private Alert longVisit(Random r, String user) {
        UserProfile p = customer();
        Habit jane = new Habit(10, 540, 8 * 3600, 0.3);
        for (int s = 0; s < 20; s++) {
            clock += DAY / 2;
            assertThat(close(p, jane.session(r, p, clock), user)).as("ordinary session %d", s).isNull();
        }
        clock += DAY;
        double[] f = jane.session(r, p, clock);
        f[SessionFeatures.DURATION_S] = 3 * 3600 + 600;
        Alert a = close(p, f, user);
        assertThat(a).isNotNull();
        assertThat(a.reasons.get(0).feature).isEqualTo("duration");
        return a;
    }

    /**
     * A user teaches the population's moments at most max-population-sessions-per-user visits a
     * teaching window, but every ordinary visit judged joins the yardsticks the tails are
     * calibrated by: the bar is spent per visit.
     */
    @Test
    void everyOrdinaryVisitJoinsTheYardsticksThoughFewTeach() {
        Random r = new Random(9);
        learnPopulation(r, 1000, 0.4);
        clock = (clock / DAY + 1) * DAY + 3_600_000;
        detector.advanceTo(clock);
        LogPopulation events = detector.model(SessionMeasure.EVENTS).population();
        long taught = events.count();
        long judged = events.judged();
        long lengths = detector.length().judged();
        UserProfile p = customer();
        Habit h = new Habit(10, 540, 3600, 0.3);
        for (int s = 0; s < 10; s++) {
            close(p, h.session(r, p, clock), "busy");
        }
        detector.advanceTo(++clock);
        assertThat(events.count() - taught).as("values taught").isEqualTo(2);
        assertThat(events.judged() - judged).as("ordinary visits counted").isEqualTo(10);
        assertThat(detector.length().judged() - lengths).isEqualTo(10);
    }

    @Test
    void aVisitAtSeveralTimesTheUsersPaceAlertsWithEvidenceFromEveryGap() {
        Random r = new Random(11);
        learnPopulation(r, 2000, 0.4);
        assertThat(detector.model(SessionMeasure.PACE).ready()).isTrue();
        UserProfile p = customer();
        Habit joe = new Habit(16, 600, 8 * 3600, 0.3);
        for (int s = 0; s < 20; s++) {
            clock += DAY / 2;
            assertThat(close(p, joe.session(r, p, clock), "joe")).as("ordinary session %d", s).isNull();
        }
        assertThat(p.habits.of(SessionMeasure.PACE).count).as("learned per gap").isGreaterThan(20);
        clock += DAY;
        // Twice as many events as usual, each gap a quarter of the usual: the visit is not long (half the usual
        // duration), only fast. Visits of this population go at paces of their own (sd 0.3 of the log), which
        // the model learns (tau^2): a visit's evidence grows with its gaps only up to that.
        double[] f = new Habit(31, 600.0 * 30 / 15, 8 * 3600, 0.0).session(r, p, 4.0);
        Alert a = close(p, f, "joe");
        assertThat(a).isNotNull();
        assertThat(a.reasons.get(0).feature).isEqualTo("pace");
        assertThat(a.summary).startsWith("joe's session went at one event every ");

        // The same pace over three gaps is too little evidence.
        detector.advanceTo(++clock);
        UserProfile q = customer();
        for (int s = 0; s < 20; s++) {
            clock += DAY / 2;
            close(q, joe.session(r, q, clock), "joe2");
        }
        clock += DAY;
        Habit shortVisits = new Habit(4, 600.0 * 3 / 15, 8 * 3600, 0.0);
        double[] g = shortVisits.session(r, q, 4.0);
        Alert b = close(q, g, "joe2");
        assertThat(b == null || !b.reasons.get(0).feature.equals("pace")).as("three fast gaps do not make a pace alert").isTrue();
    }

    @Test
    void aMeasureThatIsAReasonOnlyNeverAlertsOnItsOwn() {
        Random r = new Random(8);
        learnPopulation(r, 2000, 0.4);
        UserProfile p = customer();
        Habit jane = new Habit(10, 540, 3600, 0.3);
        for (int s = 0; s < 20; s++) {
            clock += 3_600_000;
            close(p, jane.session(r, p, clock), "jane");
        }
        clock += 300 * DAY; // back after most of a year
        double[] f = jane.session(r, p, clock);
        f[SessionFeatures.VISIT_GAP_S] = 300 * 86_400;
        assertThat(close(p, f, "jane")).isNull();
    }

    /**
     * False alarms per user-day on ordinary users, in two worlds (per-user spreads 0.4 and 0.8 on
     * the log scale): 2,000 users teach the population, 2,000 more are scored over ten days of two
     * sessions each. Every alerting measure together must stay under 0.2% a user-day.
     */
    @Test
    void ordinaryUsersRarelyAlert() {
        List<String> failures = new ArrayList<>();
        for (double spread : new double[] {0.4, 0.8}) {
            Random r = new Random(Double.hashCode(spread));
            detector = newDetector();
            learnPopulation(r, 2000, spread);
            long alerts = 0;
            long userDays = 0;
            for (int u = 0; u < 2000; u++) {
                UserProfile p = customer();
                Habit h = Habit.random(r, spread);
                for (int day = 0; day < 10; day++) {
                    boolean alerted = false;
                    for (int s = 0; s < 2; s++) {
                        clock += DAY / 2;
                        alerted |= close(p, h.session(r, p, clock), "u" + u) != null;
                    }
                    alerts += alerted ? 1 : 0;
                    userDays++;
                }
            }
            double rate = (double) alerts / userDays;
            System.out.printf("session-profile, spread %.1f: %d alerting user-days of %d (%.3f%%)%n", spread, alerts, userDays, 100 * rate);
            if (rate > 0.002) {
                failures.add("spread " + spread + ": " + rate);
            }
        }
        assertThat(failures).isEmpty();
    }
}
