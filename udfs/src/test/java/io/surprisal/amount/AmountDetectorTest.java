package io.surprisal.amount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.surprisal.alert.Alert;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.Event;
import io.surprisal.model.UserProfile;
import io.surprisal.usual.BlendedLogModel;
import io.surprisal.usual.LogPopulation;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AmountDetectorTest {
    private static final long DAY = 86_400_000L;
    private final SurprisalConfig config = ConfigLoader.defaults();
    private long clock = 1_000_000L;
    private int ids;

    private AmountDetector detector() {
        return new AmountDetector(config.detectors().amount(), config.detectors().falseAlarmWindow(),
                config.model().transition().populationTeachingWindow());
    }

    @Test
    void aHistoryKeepsTheMomentsOfTheLogsAndForgetsPastItsEvidence() {
        SpendHistory h = new SpendHistory();
        h.learn(Math.log(10), 50);
        h.learn(Math.log(20), 50);
        h.learn(Math.log(40), 50);
        // ln 10, ln 20, ln 40: mean ln 20, deviations -ln 2, 0, ln 2.
        assertThat(h.count).isEqualTo(3);
        assertThat(h.mean).isCloseTo(Math.log(20), within(1e-12));
        assertThat(h.variance()).isCloseTo(Math.log(2) * Math.log(2), within(1e-12));

        SpendHistory fading = new SpendHistory();
        fading.learn(0, 2);
        fading.learn(2, 2); // mean 1, m2 2
        fading.learn(4, 2); // m2 scaled to one purchase's worth, 1; then 4 joins: mean 2.5, m2 1 + 3 x 1.5
        assertThat(fading.count).isEqualTo(2);
        assertThat(fading.mean).isCloseTo(2.5, within(1e-12));
        assertThat(fading.m2).isCloseTo(5.5, within(1e-12));
    }

    /** Logs 1, 3, 5, 7; 3 and 7 by buyers whose single purchase was 1 and 5. */
    private static LogPopulation handPopulation() {
        LogPopulation pop = new LogPopulation();
        SpendHistory none = new SpendHistory();
        pop.learn(1, none);
        pop.learn(3, history(1));
        pop.learn(5, none);
        pop.learn(7, history(5));
        return pop;
    }

    private static SpendHistory history(double... logs) {
        SpendHistory h = new SpendHistory();
        for (double x : logs) {
            h.learn(x, 50);
        }
        return h;
    }

    @Test
    void thePopulationSeparatesTheSpreadWithinUsersFromTheSpreadBetweenThem() {
        LogPopulation pop = handPopulation();
        assertThat(pop.mean()).isCloseTo(4, within(1e-12));
        assertThat(pop.totalVariance()).isCloseTo(20.0 / 3, within(1e-12)); // (9 + 1 + 1 + 9) / 3
        // (3 - 1)^2 x 1/2 and (7 - 5)^2 x 1/2, over 2.
        assertThat(pop.withinVariance()).isCloseTo(2, within(1e-12));
        // within / between = 2 / (20/3 - 2) = 3/7
        assertThat(pop.priorPurchases()).isCloseTo(3.0 / 7, within(1e-12));

        LogPopulation halves = new LogPopulation();
        halves.learn(1, new SpendHistory());
        halves.learn(3, history(1));
        LogPopulation other = new LogPopulation();
        other.learn(5, new SpendHistory());
        other.learn(7, history(5));
        halves.merge(other);
        assertThat(halves.mean()).isCloseTo(4, within(1e-12));
        assertThat(halves.totalVariance()).isCloseTo(20.0 / 3, within(1e-12));
        assertThat(halves.withinVariance()).isCloseTo(2, within(1e-12));
        LogPopulation back = LogPopulation.fromTaggedBytes(halves.toTaggedBytes(1, 2));
        assertThat(back).usingRecursiveComparison().isEqualTo(halves);
        assertThat(LogPopulation.ownerOf(halves.toTaggedBytes(1, 2))).isEqualTo(1);
    }

    @Test
    void aNewBuyerIsJudgedByThePopulationWithFourDegreesOfFreedom() {
        AmountDetector d = detector();
        d.restore(handPopulation());
        BlendedLogModel.Prediction p = d.predict(new SpendHistory());
        // mu0 4, kappa0 3/7, alpha0 2, beta0 = W (alpha0 - 1) = 2: scale^2 = 2 (10/7) / (2 x 3/7) = 10/3.
        assertThat(p.location()).isCloseTo(4, within(1e-12));
        assertThat(p.dof()).isEqualTo(4);
        assertThat(p.scale()).isCloseTo(Math.sqrt(10.0 / 3), within(1e-12));
        // t(4)'s upper 2.5% point is 2.776 (tables): that far above, the tail is 0.025.
        assertThat(p.upperTail(4 + Math.sqrt(10.0 / 3) * 2.776445)).isCloseTo(0.025, within(1e-6));
    }

    @Test
    void aBuyersOwnPurchasesMoveThePredictionByTheirWeight() {
        AmountDetector d = detector();
        d.restore(handPopulation());
        BlendedLogModel.Prediction p = d.predict(history(4, 6));
        // kappa_n = 3/7 + 2 = 17/7; mu_n = (3/7 x 4 + 2 x 5) / (17/7) = 82/17; alpha_n = 3;
        // beta_n = 2 + 2/2 + (3/7)(2)(1)^2 / (2 x 17/7) = 3 + 3/17; scale^2 = beta_n (24/7) / (3 x 17/7).
        double betaN = 3 + 3.0 / 17;
        assertThat(p.location()).isCloseTo(82.0 / 17, within(1e-12));
        assertThat(p.dof()).isEqualTo(6);
        assertThat(p.scale()).isCloseTo(Math.sqrt(betaN * 24 / 51), within(1e-12));
        assertThat(p.values()).isEqualTo(2);
    }

    /** A detector whose population has learned {@code buyers} buyers' ordinary purchases. */
    private AmountDetector learned(Random random, int buyers) {
        AmountDetector d = detector();
        for (int u = 0; u < buyers; u++) {
            UserProfile p = customer();
            double median = 40 * Math.exp(0.8 * random.nextGaussian());
            for (int i = 0; i < 4; i++) {
                clock += 1000;
                d.onEvent(p, buy("b" + u, median * Math.exp(0.5 * random.nextGaussian())), 20);
            }
            if (u % 100 == 99) {
                clock += DAY; // the next teaching window
            }
        }
        d.advanceTo(++clock);
        assertThat(d.ready()).isTrue();
        return d;
    }

    private static UserProfile customer() {
        UserProfile p = new UserProfile();
        p.indexOrAdd("login:success", 64); // a customer who has logged in: their purchases teach
        return p;
    }

    private Event buy(String user, double amount) {
        Event e = new Event();
        e.ts = clock;
        e.eventId = "e" + (ids++);
        e.user = user;
        e.action = "buy_item";
        e.amount = Math.round(amount * 100) / 100.0;
        return e;
    }

    @Test
    void twentyTimesTheUsualAlertsAndExplainsItselfInTheBuyersMoney() {
        Random random = new Random(3);
        AmountDetector d = learned(random, 3000);
        UserProfile jane = customer();
        for (int i = 0; i < 20; i++) {
            clock += DAY / 2;
            assertThat(d.onEvent(jane, buy("jane", 50 * Math.exp(0.3 * random.nextGaussian())), 20)).as("ordinary purchase %d", i).isNull();
        }
        clock += DAY;
        Alert a = d.onEvent(jane, buy("jane", 1000), 20);
        assertThat(a).isNotNull();
        assertThat(a.detector).isEqualTo("amount");
        assertThat(a.score).isGreaterThan(a.threshold);
        assertThat(a.summary).startsWith("jane bought for 1,000.00; their usual is ")
                .contains("from 20 purchases, blended with the population's")
                .contains("above 11.0 + log2(");
        assertThat(a.reasons).singleElement().satisfies(r -> {
            assertThat(r.feature).isEqualTo("amount");
            assertThat(r.observed).isEqualTo("1,000.00");
            assertThat(r.expected).contains("the median");
        });
        assertThat(a.events).singleElement().satisfies(e -> assertThat(e.amount).isEqualTo(1000.0));
        assertThat(jane.spend.count).as("what alerts teaches nothing").isEqualTo(20);
        clock += DAY;
        assertThat(d.onEvent(jane, buy("jane", 55), 20)).isNull();
    }

    @Test
    void aRareButSmallStepUpDoesNotAlert() {
        AmountDetector d = learned(new Random(4), 3000);
        UserProfile subscriber = customer();
        for (int i = 0; i < 30; i++) {
            clock += DAY;
            d.onEvent(subscriber, buy("subscriber", 9.99), 20);
        }
        clock += DAY;
        // Twice the only amount ever seen is far out for this user, but not min-ratio (3) times it.
        assertThat(d.onEvent(subscriber, buy("subscriber", 19.98), 20)).isNull();
        clock += DAY;
        assertThat(d.onEvent(subscriber, buy("subscriber", 99.90), 20)).isNotNull();
    }

    @Test
    void aNewBuyerNeedsMoreThanAFewTimesThePopulationsUsual() {
        AmountDetector d = learned(new Random(5), 3000);
        // The population's purchases spread over a factor of about e^0.94 either way: a first
        // purchase of 5 times its median is no evidence against a buyer nobody knows yet.
        clock += DAY;
        assertThat(d.onEvent(customer(), buy("newcomer", 200), 20)).isNull();
        clock += DAY;
        assertThat(d.onEvent(customer(), buy("whale", 50_000), 20)).as("a thousand times everyone's usual").isNotNull();
    }

    @Test
    void aUserTeachesThePopulationAFewPurchasesPerTeachingWindowAndOnlyOnceTheyHaveSucceeded() {
        AmountDetector d = learned(new Random(6), 3000);
        long before = d.population().count();
        UserProfile shopper = customer();
        for (int i = 0; i < 10; i++) {
            clock += 60_000;
            d.onEvent(shopper, buy("shopper", 30), 20);
        }
        UserProfile stranger = new UserProfile(); // no successful event of theirs seen
        clock += 60_000;
        d.onEvent(stranger, buy("stranger", 30), 20);
        d.advanceTo(++clock);
        assertThat(d.population().count() - before).isEqualTo(config.detectors().amount().maxPopulationPurchasesPerUser());
        assertThat(shopper.spend.count).as("the user learns every one").isEqualTo(10);
    }

    /** A world of buyers: how a buyer's usual amounts, spread and tails are drawn. */
    private record World(String name, double maxSpread, boolean heavyTails, double minRecall) {
        /**
         * One buyer's ordinary purchases, half a day or more apart, then (when {@code counts} is
         * given) one of twenty times their median. Adds to {@code counts}: the days the buyer
         * bought on, the ordinary purchases that alerted, and whether the last one did.
         */
        void buyer(Random random, AmountDetector d, String user, AmountDetectorTest t, long[] counts) {
            UserProfile p = customer();
            double median = 60 * Math.exp(0.9 * random.nextGaussian());
            double spread = 0.2 + (maxSpread - 0.2) * random.nextDouble();
            int purchases = 5 + random.nextInt(25);
            long first = t.clock;
            int alerts = 0;
            for (int i = 0; i < purchases; i++) {
                t.clock += DAY / 2 + random.nextInt(1_000_000);
                double noise = heavyTails ? studentT3(random) * 0.6 : random.nextGaussian();
                alerts += d.onEvent(p, t.buy(user, median * Math.exp(spread * noise)), 20) != null ? 1 : 0;
            }
            if (counts == null) {
                return;
            }
            counts[0] += 1 + (t.clock - first) / DAY;
            counts[1] += alerts;
            t.clock += DAY;
            counts[2] += d.onEvent(p, t.buy(user, 20 * median), 20) != null ? 1 : 0;
        }
    }

    /**
     * Calibration across worlds: buyers whose medians, spreads and tails differ (log-normal spending
     * with per-user spreads of the log from 0.2 to 0.6 or to 1.2, and a world with Student-t(3)
     * tails). The population learns from 3,000 buyers of the world, then 3,000 more are scored, each
     * with 5 to 30 ordinary purchases over up to three weeks and then one of twenty times their
     * median. Ordinary purchases alert on at most 0.2% of the days a buyer buys, in every world.
     * Twenty times the median is caught where it is rare for the buyer (spreads to 0.6: 90%); where
     * buyers' own amounts vary twenty-fold, or spending has heavy tails, it is less rare, and caught
     * less often.
     */
    @Test
    void ordinaryBuyersRarelyAlertAndTwentyTimesTheirUsualIsCaughtWhereItIsRare() {
        List<String> failures = new java.util.ArrayList<>();
        for (World world : List.of(new World("log-normal, spreads to 0.6", 0.6, false, 0.90),
                new World("log-normal, spreads to 1.2", 1.2, false, 0.40),
                new World("t(3) tails, spreads to 0.6", 0.6, true, 0.10))) {
            Random random = new Random(world.name().hashCode());
            AmountDetector d = detector();
            for (int u = 0; u < 3000; u++) {
                long start = clock;
                world.buyer(random, d, "learner" + u, this, null);
                clock = start + (u % 50 == 49 ? DAY : 0); // buyers interleave: a few days in all
            }
            int buyers = 3000;
            long[] counts = new long[3];
            for (int u = 0; u < buyers; u++) {
                long start = clock;
                world.buyer(random, d, "u" + u, this, counts);
                clock = start + (u % 50 == 49 ? DAY : 0);
            }
            double falseAlarms = (double) counts[1] / counts[0];
            double recall = (double) counts[2] / buyers;
            System.out.printf(java.util.Locale.ROOT, "%s: %d false alarms in %d buyer-days (%.3f%%), %d of %d purchases of 20x caught%n",
                    world.name(), counts[1], counts[0], 100 * falseAlarms, counts[2], buyers);
            if (falseAlarms > 0.002 || recall < world.minRecall()) {
                failures.add(world.name() + ": false alarms per buyer-day " + falseAlarms + ", recall " + recall);
            }
        }
        assertThat(failures).isEmpty();
    }

    private static double studentT3(Random random) {
        double z = random.nextGaussian();
        double chi2 = 0;
        for (int i = 0; i < 3; i++) {
            double g = random.nextGaussian();
            chi2 += g * g;
        }
        return z / Math.sqrt(chi2 / 3);
    }

    @Test
    void nothingIsJudgedBeforeThePopulationIsReady() {
        AmountDetector d = detector();
        UserProfile p = customer();
        assertThat(d.onEvent(p, buy("early", 1_000_000), 20)).isNull();
        assertThat(d.purchasesWarmingUp()).isEqualTo(1);
        assertThat(d.ready()).isFalse();
    }
}
