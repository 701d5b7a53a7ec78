package io.surprisal.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.surprisal.alert.Alert;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BehaviourScorerTest {
    private BehaviourScorer scorer;
    private SurprisalConfig config;
    private long clock = 1_000_000L;
    private final Random random = new Random(11);

    @BeforeEach
    void learnAPopulation() {
        // ~2,100 failed logins in this population, always followed by a successful one: a step never
        // taken from there is one of 5 states never taken from there, a tail of 5 x 0.5 / (2100 + 3)
        // = 1/841, 9.7 bits, above the bar 6 + log2(2) = 7 of a user's second step of the day (the
        // default 11 suits a population that has seen hundreds of thousands of failures). 4,000
        // sessions: one beyond all of them has a tail of log2(2 x 4001) = 13.0 bits, above the bar 10
        // + log2(2 tests) = 11 of a user's first session. A login straight to logout, a step never
        // taken among 4,000 from login:success, costs 13.0 bits beyond the expected: with the
        // allowance, 12.2, below the CUSUM's bar 12 + log2(2 steps) = 13 of one such visit.
        config = ConfigLoader.load(null, List.of(
                "model.transition.min-population-events=1000", "model.session.min-sessions=100",
                "detectors.transition.threshold-bits=6", "detectors.session.threshold-bits=10",
                "detectors.cusum.threshold-bits=12"));
        scorer = scorerThatLearned(config);
    }

    /**
     * A scorer whose population has seen 2,000 ordinary visitors and 2,000 who fail to log in once
     * first, one session each.
     */
    private BehaviourScorer scorerThatLearned(SurprisalConfig c) {
        BehaviourScorer s = new BehaviourScorer(c.model().transition(), c.model().session(), c.detectors(), c.alerts().maxEvents());
        List<Alert> alerts = new ArrayList<>();
        // Sometimes a failed login first, then browsing.
        for (int u = 0; u < 4000; u++) {
            UserProfile p = new UserProfile();
            String user = "normal" + u;
            if (u % 2 == 1 || random.nextInt(20) == 0) {
                s.onEvent(p, event(user, "login", true), alerts);
            }
            s.onEvent(p, event(user, "login", false), alerts);
            for (int i = random.nextInt(6); i >= 0; i--) {
                s.onEvent(p, event(user, "view_item", false), alerts);
            }
            if (random.nextBoolean()) {
                s.onEvent(p, event(user, "buy_item", false), alerts);
            }
            s.onEvent(p, event(user, "logout", false), alerts);
        }
        assertThat(s.populationReady()).isTrue();
        assertThat(alerts).as("ordinary sessions raise nothing").isEmpty();
        return s;
    }

    @Test
    void failedLoginThenBuyIsRareForThePopulationAndAlertsEvenForANewUser() {
        UserProfile p = new UserProfile();
        List<Alert> alerts = new ArrayList<>();
        scorer.onEvent(p, event("mallory", "login", true), alerts);
        Event buy = event("mallory", "buy_item", false);
        scorer.onEvent(p, buy, alerts);
        assertThat(alerts).extracting(a -> a.detector).contains(BehaviourScorer.TRANSITION);
        Alert a = alerts.stream().filter(x -> x.detector.equals(BehaviourScorer.TRANSITION)).findFirst().orElseThrow();
        assertThat(a.reasons.get(0).observed).isEqualTo("login:fail -> buy_item:success");
        // The score is the tail: every step from login:fail at most as likely as this one.
        assertThat(a.score).isLessThan(buy.bits).isGreaterThanOrEqualTo(a.threshold);
        assertThat(a.threshold).as("6 + log2(2 steps)").isCloseTo(7.0, within(0.001));
        assertThat(a.summary).contains("a step this rare or rarer from login:fail").contains("above 6.0 + log2(2.0 steps in the past day) = 7.0");
        assertThat(a.events).containsExactly(buy);
        assertThat(a.alertId).isNotBlank();
    }

    @Test
    void aBusyUsersBarRisesByLog2OfTheirStepsOfTheDay() {
        // The same rare step as mallory's, after 60 ordinary steps today: the most surprising of 62
        // steps is expected to cost log2(62) = 6 bits more than one, so the bar is about 6 + 6 = 12.
        UserProfile p = new UserProfile();
        List<Alert> alerts = new ArrayList<>();
        for (int visit = 0; visit < 20; visit++) {
            scorer.onEvent(p, event("busy", "login", false), alerts);
            scorer.onEvent(p, event("busy", "view_item", false), alerts);
            scorer.onEvent(p, event("busy", "logout", false), alerts);
        }
        scorer.onEvent(p, event("busy", "login", true), alerts);
        Event buy = event("busy", "buy_item", false);
        scorer.onEvent(p, buy, alerts);
        // 62 steps of the last few minutes, each weighing nearly 1.
        assertThat(p.stepsInWindow).isBetween(61.0, 62.0);
        assertThat(alerts).extracting(a -> a.detector).doesNotContain(BehaviourScorer.TRANSITION);
        UserProfile quiet = new UserProfile();
        scorer.onEvent(quiet, event("quiet", "login", true), alerts);
        Event same = event("quiet", "buy_item", false);
        scorer.onEvent(quiet, same, alerts);
        // A quiet user's second step of the day, as rare (rarer for busy, who took it first): it alerts.
        assertThat(same.bits).isLessThanOrEqualTo(buy.bits);
        assertThat(alerts).filteredOn(a -> a.detector.equals(BehaviourScorer.TRANSITION))
                .singleElement().satisfies(a -> assertThat(a.threshold).isCloseTo(7.0, within(0.001)));
    }

    @Test
    void aNewUserDoingOrdinaryThingsRaisesNothing() {
        UserProfile p = new UserProfile();
        List<Alert> alerts = new ArrayList<>();
        for (String action : new String[] {"login", "view_item", "view_item", "buy_item", "logout"}) {
            scorer.onEvent(p, event("newcomer", action, false), alerts);
        }
        assertThat(alerts).isEmpty();
        assertThat(p.sessionOpen()).isFalse();
        assertThat(p.events).isEqualTo(5);
    }

    @Test
    void aWallOfFailedLoginsIsAnOutlierSession() {
        UserProfile p = new UserProfile();
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            scorer.onEvent(p, event("attacker", "login", true), alerts);
        }
        scorer.onEvent(p, event("attacker", "end", false), alerts);
        assertThat(alerts).extracting(a -> a.detector).contains(BehaviourScorer.SESSION);
        Alert s = alerts.stream().filter(a -> a.detector.equals(BehaviourScorer.SESSION)).findFirst().orElseThrow();
        // Beyond every one of the population's sessions: log2(n + 1) bits, above 10 + log2(2 tests).
        long n = scorer.sessions().sessions();
        assertThat(n).isEqualTo(4000);
        assertThat(s.score).isCloseTo(Math.log(n + 1.0) / Math.log(2), within(1e-9)).isGreaterThan(s.threshold);
        assertThat(s.threshold).isCloseTo(11.0, within(0.001));
        assertThat(s.summary).contains("0 of the population's 4000 sessions went as far").contains("above 10.0 + log2(2 measures x 1.0 sessions in the past day) = 11.0");
        assertThat(s.reasons).extracting(r -> r.feature).contains("session_total_bits", "session_excess_bits");
        assertThat(s.events).isNotEmpty().hasSizeLessThanOrEqualTo(20);
    }

    @Test
    void oneUserTeachesThePopulationAFewSessionsPerDay() {
        scorer.advanceTo(clock + 1);
        long before = scorer.sessions().sessions();
        int perDay = config.model().session().maxPopulationSessionsPerUser();
        UserProfile p = new UserProfile();
        List<Alert> alerts = new ArrayList<>();
        for (int visit = 0; visit < 6; visit++) {
            scorer.onEvent(p, event("regular", "login", false), alerts);
            scorer.onEvent(p, event("regular", "view_item", false), alerts);
            scorer.onEvent(p, event("regular", "logout", false), alerts);
        }
        scorer.advanceTo(clock + 1);
        assertThat(scorer.sessions().sessions() - before).as("max-population-sessions-per-user in a teaching window").isEqualTo(perDay);
        assertThat(p.sessionsInWindow).as("all six were tests").isCloseTo(6, within(0.01));
        clock += 86_400_000L;
        scorer.onEvent(p, event("regular", "login", false), alerts);
        scorer.onEvent(p, event("regular", "view_item", false), alerts);
        scorer.onEvent(p, event("regular", "logout", false), alerts);
        scorer.advanceTo(clock + 1);
        assertThat(alerts).as("an ordinary user").isEmpty();
        assertThat(scorer.sessions().sessions() - before).isEqualTo(perDay + 1);
        assertThat(p.sessionsInWindow).as("six a day ago weigh 6 / e").isCloseTo(6 / Math.E + 1, within(0.01));
    }

    @Test
    void sameInstantEventsAreScoredAgainstTheSamePopulation() {
        // Two users act at the same millisecond: their scores must not depend on who went first.
        UserProfile a = new UserProfile();
        UserProfile b = new UserProfile();
        List<Alert> alerts = new ArrayList<>();
        clock += 1000;
        Event ea = at("a", "login", true, clock);
        Event eb = at("b", "login", true, clock);
        scorer.onEvent(a, ea, alerts);
        scorer.onEvent(b, eb, alerts);
        assertThat(ea.bits).isEqualTo(eb.bits);
    }

    @Test
    void shortVisitsEachALittleOffAddUpToACusumAlertAcrossSessions() {
        // Every visit: a successful login straight to logout, a step the population never takes. No
        // visit is long enough for the session detector; their sum across visits is the evidence.
        UserProfile p = new UserProfile();
        List<Alert> alerts = new ArrayList<>();
        double before = 0;
        int visits = 0;
        while (alerts.stream().noneMatch(a -> a.detector.equals(BehaviourScorer.CUSUM)) && visits < 10) {
            scorer.onEvent(p, event("fraudster", "login", false), alerts);
            scorer.onEvent(p, event("fraudster", "logout", false), alerts);
            visits++;
            if (alerts.stream().noneMatch(a -> a.detector.equals(BehaviourScorer.CUSUM))) {
                assertThat(p.cusum).as("the CUSUM only grows while every step is off").isGreaterThan(before);
                before = p.cusum;
            }
        }
        Alert a = alerts.stream().filter(x -> x.detector.equals(BehaviourScorer.CUSUM)).findFirst().orElseThrow();
        assertThat(visits).as("more than one visit was needed").isGreaterThan(1);
        // The bar: threshold-bits plus log2 of the user's steps so far (two a visit, seconds apart).
        assertThat(a.threshold).isCloseTo(MultipleTests.bar(config.detectors().cusum().thresholdBits(), 2 * visits), within(0.01));
        assertThat(a.summary).contains("above 12.0 + log2(");
        assertThat(a.score).isGreaterThanOrEqualTo(a.threshold);
        assertThat(a.reasons.get(0).feature).isEqualTo("cusum_excess_bits");
        assertThat(a.events).isNotEmpty();
        assertThat(a.summary).contains("fraudster").contains("steps cost");
        assertThat(p.cusum).as("the CUSUM starts again after an alert, from the head start")
                .isEqualTo(config.detectors().cusum().restartBits()).isPositive();
        assertThat(p.cusumSteps).isZero();
        assertThat(a.summary).doesNotContain("head start");
    }

    @Test
    void afterAnAlertAUserWhoStaysOffThePathAlertsAgainSooner() {
        // A high threshold, so that an alert takes several off visits and the head start (half of it)
        // saves whole visits.
        config = ConfigLoader.load(null, List.of(
                "model.transition.min-population-events=1000", "model.session.min-sessions=100",
                "detectors.cusum.threshold-bits=60", "detectors.cusum.restart-bits=30"));
        scorer = scorerThatLearned(config);
        UserProfile flagged = new UserProfile();
        List<Alert> alerts = new ArrayList<>();
        int first = visitsUntilCusumAlert(flagged, alerts);
        assertThat(first).as("the first alert took several off visits").isGreaterThan(3);
        assertThat(flagged.cusum).isEqualTo(30.0);
        alerts.clear();
        int again = visitsUntilCusumAlert(flagged, alerts);
        assertThat(again).as("the head start saves visits").isLessThan(first);
        Alert a = alerts.stream().filter(x -> x.detector.equals(BehaviourScorer.CUSUM)).findFirst().orElseThrow();
        assertThat(a.score).isGreaterThanOrEqualTo(60.0);
        assertThat(a.summary).contains("30.0-bit head start");
        assertThat(a.reasons.get(0).observed).contains("(from a 30.0-bit head start)");
    }

    @Test
    void afterAnAlertAUserWhoReturnsToThePathPaysTheHeadStartBack() {
        UserProfile p = new UserProfile();
        List<Alert> alerts = new ArrayList<>();
        visitsUntilCusumAlert(p, alerts);
        alerts.clear();
        for (int visit = 0; visit < 10; visit++) {
            scorer.onEvent(p, event("reformed", "login", false), alerts);
            for (int i = 0; i < 3; i++) {
                scorer.onEvent(p, event("reformed", "view_item", false), alerts);
            }
            clock += 3_600_000L;
        }
        assertThat(alerts).extracting(a -> a.detector).doesNotContain(BehaviourScorer.CUSUM);
        assertThat(p.cusum).isZero();
        assertThat(p.cusumHeadStart).as("a run from 0 has no head start to report").isZero();
    }

    @Test
    void afterAnAlertTheHeadStartIsKeptToTheEndOfTheVisit() {
        // Visits of a login straight to a buy, a step the population never takes, until the CUSUM
        // alerts at a buy; then ordinary steps in the same visit: the sum stays at the head start.
        UserProfile p = new UserProfile();
        List<Alert> alerts = new ArrayList<>();
        double restart = config.detectors().cusum().restartBits();
        for (int visit = 0; alerts.stream().noneMatch(a -> a.detector.equals(BehaviourScorer.CUSUM)); visit++) {
            assertThat(visit).isLessThan(20);
            clock += 3_600_000L; // the previous visit ended by inactivity
            scorer.onEvent(p, event("buyer", "login", false), alerts);
            scorer.onEvent(p, event("buyer", "buy_item", false), alerts);
        }
        assertThat(alerts).extracting(a -> a.detector).contains(BehaviourScorer.CUSUM);
        for (int i = 0; i < 10; i++) {
            scorer.onEvent(p, event("buyer", "view_item", false), alerts);
            assertThat(p.cusum).as("kept for the next visit").isEqualTo(restart);
        }
        clock += 3_600_000L;
        scorer.onEvent(p, event("buyer", "login", false), alerts);
        scorer.onEvent(p, event("buyer", "view_item", false), alerts);
        assertThat(p.cusum).as("the next visit starts from it and pays it back").isLessThan(restart);
    }

    @Test
    void aUserWithACusumAlertTeachesThePopulationNothingForATeachingWindow() {
        UserProfile p = new UserProfile();
        List<Alert> alerts = new ArrayList<>();
        visitsUntilCusumAlert(p, alerts);
        scorer.advanceTo(clock + 1);
        long steps = scorer.knownPopulationEvents();
        long sessions = scorer.sessions().sessions();
        for (int visit = 0; visit < 3; visit++) {
            scorer.onEvent(p, event("reformed", "login", false), alerts);
            scorer.onEvent(p, event("reformed", "view_item", false), alerts);
            scorer.onEvent(p, event("reformed", "logout", false), alerts);
        }
        scorer.advanceTo(clock + 1);
        assertThat(scorer.knownPopulationEvents()).as("no step taught").isEqualTo(steps);
        assertThat(scorer.sessions().sessions()).as("no session taught").isEqualTo(sessions);
        clock += 86_400_000L; // a teaching window later
        scorer.onEvent(p, event("reformed", "login", false), alerts);
        scorer.onEvent(p, event("reformed", "view_item", false), alerts);
        scorer.onEvent(p, event("reformed", "logout", false), alerts);
        scorer.advanceTo(clock + 1);
        assertThat(scorer.knownPopulationEvents()).isEqualTo(steps + 3);
        assertThat(scorer.sessions().sessions()).isEqualTo(sessions + 1);
    }

    @Test
    void aNameThatHasNeverSucceededTeachesThePopulationNothing() {
        scorer.advanceTo(clock + 1);
        long steps = scorer.knownPopulationEvents();
        long sessions = scorer.sessions().sessions();
        UserProfile p = new UserProfile();
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            scorer.onEvent(p, event("guessed-name", "login", true), alerts);
        }
        scorer.advanceTo(clock + 1);
        assertThat(p.hasSucceeded()).isFalse();
        assertThat(scorer.knownPopulationEvents()).as("no step taught").isEqualTo(steps);

        clock += 86_400_000L; // the owner logs in the next day: from then on the name teaches
        scorer.onEvent(p, event("guessed-name", "login", false), alerts);
        scorer.onEvent(p, event("guessed-name", "view_item", false), alerts);
        scorer.onEvent(p, event("guessed-name", "logout", false), alerts);
        scorer.advanceTo(clock + 1);
        assertThat(p.hasSucceeded()).isTrue();
        int perDay = config.model().transition().maxPopulationStepsPerUser();
        // The failures' steps wait in the user's counts and teach at the first success, capped per
        // state: ^ to login:fail once, login:fail to login:fail perDay times (not 499); then the visit.
        assertThat(scorer.knownPopulationEvents()).isEqualTo(steps + 1 + perDay + 3);
        assertThat(scorer.sessions().sessions()).as("the visit of failures taught no session; the next one did").isEqualTo(sessions + 1);
    }

    @Test
    void aVisitThatGoesOnBeingStrangeIsReportedOnceAndTheNextVisitCanAlertAgain() {
        UserProfile p = new UserProfile();
        List<Alert> alerts = new ArrayList<>();
        scorer.onEvent(p, event("flooder", "login", false), alerts);
        for (int i = 0; i < 300; i++) {
            scorer.onEvent(p, event("flooder", "buy_item", true), alerts);
        }
        assertThat(alerts).filteredOn(a -> a.detector.equals(BehaviourScorer.CUSUM)).hasSize(1);
        assertThat(p.cusum).as("waiting at the head start").isEqualTo(config.detectors().cusum().restartBits());
        alerts.clear();
        clock += 3_600_000L; // the visit ends by inactivity; the next one is as strange
        scorer.onEvent(p, event("flooder", "login", false), alerts);
        for (int i = 0; i < 300; i++) {
            scorer.onEvent(p, event("flooder", "buy_item", true), alerts);
        }
        assertThat(alerts).filteredOn(a -> a.detector.equals(BehaviourScorer.CUSUM)).hasSize(1);
    }

    /** Visits of a successful login straight to logout until the CUSUM alerts; returns how many. */
    private int visitsUntilCusumAlert(UserProfile p, List<Alert> alerts) {
        int visits = 0;
        while (alerts.stream().noneMatch(a -> a.detector.equals(BehaviourScorer.CUSUM))) {
            assertThat(visits).as("the CUSUM alerts within 20 off visits").isLessThan(20);
            scorer.onEvent(p, event("reformed", "login", false), alerts);
            scorer.onEvent(p, event("reformed", "logout", false), alerts);
            visits++;
        }
        return visits;
    }

    @Test
    void oneRareStepIsPaidBackByTheOrdinaryStepsThatFollow() {
        UserProfile p = new UserProfile();
        List<Alert> alerts = new ArrayList<>();
        scorer.onEvent(p, event("detour", "login", false), alerts);
        scorer.onEvent(p, event("detour", "logout", false), alerts);
        double afterDetour = p.cusum;
        assertThat(afterDetour).isLessThan(MultipleTests.bar(config.detectors().cusum().thresholdBits(), p.stepsInWindow));
        for (int visit = 0; visit < 20; visit++) {
            scorer.onEvent(p, event("detour", "login", false), alerts);
            for (int i = 0; i < 3; i++) {
                scorer.onEvent(p, event("detour", "view_item", false), alerts);
            }
            clock += 3_600_000L; // the visit ends by inactivity
        }
        assertThat(alerts).extracting(a -> a.detector).doesNotContain(BehaviourScorer.CUSUM);
        assertThat(afterDetour).isPositive();
        assertThat(p.cusum).as("ordinary steps cost less than the allowance beyond the expected").isZero();
    }

    @Test
    void oneUserTeachesThePopulationAFewStepsPerStateAndDay() {
        long crawls = scorer.population().count("view_item:success", "view_item:success");
        int perDay = config.model().transition().maxPopulationStepsPerUser();
        UserProfile p = new UserProfile();
        List<Alert> alerts = new ArrayList<>();
        scorer.onEvent(p, event("crawler", "login", false), alerts);
        for (int i = 0; i < 500; i++) {
            scorer.onEvent(p, event("crawler", "view_item", false), alerts);
        }
        scorer.advanceTo(clock + 1);
        assertThat(scorer.population().count("view_item:success", "view_item:success") - crawls)
                .as("max-population-steps-per-user, within one teaching window").isEqualTo(perDay);
        clock += 86_400_000L; // the next day: a new teaching window
        for (int i = 0; i < 10; i++) {
            scorer.onEvent(p, event("crawler", "view_item", false), alerts);
        }
        scorer.advanceTo(clock + 1);
        assertThat(scorer.population().count("view_item:success", "view_item:success") - crawls).isEqualTo(2L * perDay);
    }

    private Event event(String user, String action, boolean fail) {
        clock += 1000 + random.nextInt(5000);
        return at(user, action, fail, clock);
    }

    private static Event at(String user, String action, boolean fail, long ts) {
        Event e = new Event();
        e.user = user;
        e.action = action;
        e.fail = fail;
        e.ts = ts;
        e.eventId = user + "-" + ts;
        e.session = user + "-s";
        return e;
    }
}
