package io.surprisal.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.alert.Alert;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.model.UserProfile;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Detector session-forest: a session unlike the population's alerts with its features' shares; the forest survives a restore. */
class SessionForestDetectorTest {
    private static final long DAY = 86_400_000L;
    private final SurprisalConfig config = ConfigLoader.defaults();
    private long clock = DAY;

    private SessionForestDetector detector() {
        return new SessionForestDetector(config.detectors().sessionForest(), config.detectors().falseAlarmWindow(),
                config.model().transition().populationTeachingWindow());
    }

    /** An ordinary session: a login, some browsing and buying, a logout, a few minutes in the afternoon. */
    static double[] ordinary(Random r) {
        double[] f = new double[SessionFeatures.COUNT];
        int browse = 2 + r.nextInt(10);
        int buy = r.nextInt(3);
        f[SessionFeatures.ACTIONS + ActionClass.LOGIN] = 1;
        f[SessionFeatures.ACTIONS + ActionClass.BROWSE] = browse;
        f[SessionFeatures.ACTIONS + ActionClass.BUY] = buy;
        f[SessionFeatures.ACTIONS + ActionClass.END] = 1;
        f[SessionFeatures.EVENTS] = 2 + browse + buy;
        f[SessionFeatures.DURATION_S] = Math.round(f[SessionFeatures.EVENTS] * 30 * Math.exp(0.4 * r.nextGaussian()));
        f[SessionFeatures.MEAN_GAP_S] = f[SessionFeatures.DURATION_S] / (f[SessionFeatures.EVENTS] - 1);
        f[SessionFeatures.FAILURES] = r.nextDouble() < 0.05 ? 1 : 0;
        f[SessionFeatures.BITS] = 2.5 * f[SessionFeatures.EVENTS];
        f[SessionFeatures.EXCESS_BITS] = r.nextGaussian() * 2;
        f[SessionFeatures.AMOUNT] = buy * 40 * Math.exp(0.5 * r.nextGaussian());
        f[SessionFeatures.HOUR] = (14 + 3 * r.nextGaussian() + 24) % 24;
        return f;
    }

    private Alert close(SessionForestDetector d, UserProfile p, double[] f, String user) {
        clock += 10_000;
        p.sessionStart = clock - (long) (1000 * f[SessionFeatures.DURATION_S]);
        p.lastTs = clock;
        p.sessionEvents = (int) f[SessionFeatures.EVENTS];
        p.decayTestsTo(clock, config.detectors().falseAlarmWindow().toMillis());
        p.sessionsInWindow += 1;
        d.advanceTo(clock);
        return d.onSessionClosed(p, p.localTopEvents(), f, user, user, null, 20);
    }

    private static UserProfile customer() {
        UserProfile p = new UserProfile();
        p.states = new String[] {UserProfile.START, "login:success"};
        return p;
    }

    /** {@code sessions} ordinary sessions of as many users; returns the alerts among them. */
    private int learn(SessionForestDetector d, Random r, int sessions, String prefix) {
        int alerts = 0;
        for (int i = 0; i < sessions; i++) {
            alerts += close(d, customer(), ordinary(r), prefix + i) != null ? 1 : 0;
        }
        return alerts;
    }

    @Test
    void aSessionUnlikeThePopulationsAlertsWithEachFeaturesShareOfTheBits() {
        SessionForestDetector d = detector();
        Random r = new Random(3);
        learn(d, r, 3000, "u");
        assertThat(d.ready()).isTrue();
        // A bot: 400 page views a second apart at 4 in the morning, nothing else.
        double[] bot = new double[SessionFeatures.COUNT];
        bot[SessionFeatures.EVENTS] = 400;
        bot[SessionFeatures.ACTIONS + ActionClass.BROWSE] = 400;
        bot[SessionFeatures.DURATION_S] = 399;
        bot[SessionFeatures.MEAN_GAP_S] = 1;
        bot[SessionFeatures.BITS] = 1000;
        bot[SessionFeatures.HOUR] = 4;
        Alert a = close(d, customer(), bot, "bot");
        assertThat(a).isNotNull();
        assertThat(a.detector).isEqualTo("session-forest");
        assertThat(a.summary).startsWith("bot's session - of 400 events over 7 min is unlike the population's: forest score ");
        assertThat(a.reasons).isNotEmpty().extracting(x -> x.feature).contains("events", "browse");
        double shares = a.reasons.stream().mapToDouble(x -> x.bits).sum();
        assertThat(shares).as("the features' shares of the score's bits").isPositive().isLessThanOrEqualTo(a.score + 1e-9);
        assertThat(a.reasons).allSatisfy(x -> assertThat(x.expected).contains("% of the forest's score: "));
    }

    /**
     * Ordinary sessions alert at most about as often as the bar allows: 2^-11 of those of users
     * with one session in the window (twice that, for the noise of a few thousand).
     */
    @Test
    void ordinarySessionsRarelyAlert() {
        SessionForestDetector d = detector();
        Random r = new Random(4);
        learn(d, r, 3000, "learner");
        int alerts = learn(d, r, 8_000, "u");
        System.out.printf("session-forest: %d alerts in 8000 ordinary sessions%n", alerts);
        assertThat(alerts).isLessThanOrEqualTo(8_000 / 2048 * 2);
    }

    @Test
    void theForestItsScoresAndItsPendingSessionsSurviveARestore() {
        SessionForestDetector d = detector();
        Random r = new Random(5);
        learn(d, r, 3000, "u");
        byte[] bytes = d.toTaggedBytes(1, 2);
        System.out.printf("session-forest state: %,d bytes after %d sessions (%d trees x %d samples)%n", bytes.length, d.learned(),
                config.detectors().sessionForest().trees(), config.detectors().sessionForest().sampleSize());
        assertThat(d.ownerOf(bytes)).isEqualTo(1);
        assertThat(d.parallelismOf(bytes)).isEqualTo(2);
        SessionForestDetector back = detector();
        back.restore(List.of(bytes), 1, 1);
        // The last session closed is still pending in both; both learn it on the next instant.
        Random probe = new Random(6);
        long saved = clock;
        for (int i = 0; i < 50; i++) {
            double[] f = ordinary(probe);
            UserProfile p1 = customer();
            UserProfile p2 = customer();
            Alert a1 = close(d, p1, f, "p" + i);
            clock -= 10_000;
            Alert a2 = close(back, p2, f, "p" + i);
            assertThat(a2 == null).isEqualTo(a1 == null);
        }
        assertThat(back.learned()).isEqualTo(d.learned());
        assertThat(back.toTaggedBytes(1, 2)).isEqualTo(d.toTaggedBytes(1, 2));
        assertThat(clock).isGreaterThan(saved);
    }

    @Test
    void theForestLearnsAtMostItsLessonsPerMinute() {
        SessionForestDetector d = detector();
        int perMinute = config.detectors().sessionForest().maxLessonsPerMinute();
        Random r = new Random(5);
        clock = 60 * DAY - 3_000; // from a minute's start: 20 minutes of sessions, three seconds apart
        for (int i = 0; i < 400; i++) {
            UserProfile p = customer();
            double[] f = ordinary(r);
            clock += 3_000;
            p.sessionStart = clock - 1_000;
            p.lastTs = clock;
            p.sessionEvents = (int) f[SessionFeatures.EVENTS];
            d.advanceTo(clock);
            d.onSessionClosed(p, p.localTopEvents(), f, "u" + i, "u" + i, null, 20);
        }
        d.advanceTo(clock + 1);
        // 20 sessions each minute; the cap takes the first perMinute of each of the 20 minutes.
        assertThat(d.learned()).isEqualTo(20L * Math.min(perMinute, 20));
    }
}
