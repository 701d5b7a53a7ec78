package io.surprisal.novelty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.surprisal.config.SurprisalConfig.NoveltyConfig;
import io.surprisal.event.Event;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The login-novelty math against hand-computed values (small populations whose every count is
 * known), then the scenarios it must tell apart on a population shaped like the simulator's, at the
 * default configuration. docs/login-novelty.md derives the formulas.
 */
class NoveltyScorerTest {
    private static final double EPS = 1e-9;
    private static final UserAgentParser AGENTS = new UserAgentParser(64);
    /** No hour term: the hand-computed cases are about places. */
    private static final NoveltyScorer HAND = new NoveltyScorer(Logins.config("novelty.hour-weight=0"));
    /** The same without the group cap, to see the uncapped evidence. */
    private static final NoveltyScorer UNCAPPED = new NoveltyScorer(Logins.config("novelty.hour-weight=0", "novelty.max-group-bits=100"));

    /** A login with a place only (no client), all at the same instant (no decay). */
    private static LoginAttributes place(String country, long asn, String ip) {
        Event e = new Event();
        e.ts = Logins.T0;
        e.user = "x";
        e.action = "login";
        e.country = country;
        e.asn = asn;
        e.ip = ip;
        return LoginAttributes.of(e, AGENTS);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /** {@code users} users with {@code logins} logins each from the US, AS7922, 73.12.u.0/24, learned. */
    private static PopulationLogins homeBodies(int users, int logins) {
        PopulationLogins pop = new PopulationLogins(10_000);
        for (int u = 0; u < users; u++) {
            LoginProfile p = new LoginProfile();
            for (int i = 0; i < logins; i++) {
                HAND.observe(p, pop, place("US", 7922, "73.12." + u + ".9"), Logins.T0);
            }
        }
        return pop;
    }

    private static LoginProfile jane(int logins) {
        LoginProfile jane = new LoginProfile();
        for (int i = 0; i < logins; i++) {
            HAND.learn(jane, place("US", 7922, "73.12.200.9"), Logins.T0);
        }
        return jane;
    }

    @Test
    void onePriorLoginProvesLittle() {
        // 10 users with 2 logins each: 10 returning logins with one login of history (bucket 0), none
        // with a new country. Rate: KT (0 + 1/2) / (10 + 1) = 1/22 at every level of the back-off.
        PopulationLogins pop = homeBodies(10, 2);
        assertThat(pop.newRate(Feature.COUNTRY, 0, false, false)).isCloseTo(1.0 / 22, within(EPS));
        NoveltyScore s = HAND.score(jane(1), place("FR", 3215, "90.3.1.9"), pop);
        // P(new) = max(1/22, (0 + 2/22) / (0 + 2)) = 1/22: -log2 = 4.46 bits. FR is no rarer than
        // 2^-6 among the countries users showed ((0 + 1/2) / (10 + 1) = 1/22): no rarity.
        assertThat(s.bits()).isCloseTo(log2(22), within(EPS));
        assertThat(s.coldStart()).isFalse();
        assertThat(s.contributions()).singleElement().satisfies(c -> {
            assertThat(c.feature()).isEqualTo(Feature.COUNTRY);
            assertThat(c.newProbability()).isCloseTo(1.0 / 22, within(EPS));
            assertThat(c.userTrials()).isZero();
            assertThat(c.userContext()).isEqualTo(1.0);
            assertThat(c.rarityBits()).isZero();
        });
        // The ASN and prefix are new under a new country: the country paid for them.
        assertThat(s.bits()).isLessThan(Logins.config().thresholdBits());
    }

    @Test
    void manyPriorLoginsFromOnePlaceProveALot() {
        // 10 users with 60 logins each from the US; 3 of them logged in from France at their second
        // login, then never again anywhere new. Per user: 1 trial in bucket 0 (1 login of history),
        // then 1, 3, 6, 12, 24 and 12 in buckets 1 to 6; the 3 who went to France count among those
        // who changed from their third login on.
        PopulationLogins pop = new PopulationLogins(10_000);
        for (int u = 0; u < 10; u++) {
            LoginProfile p = new LoginProfile();
            for (int i = 0; i < 60; i++) {
                boolean france = u < 3 && i == 1;
                HAND.observe(p, pop, france ? place("FR", 3215, "90.3." + u + ".9") : place("US", 7922, "73.12." + u + ".9"), Logins.T0);
            }
        }
        // Users who never changed, one login of history: 3 new of 10. Its prior: the same users in
        // the other buckets (7 x 58 trials, none new), whose prior is those who changed (3 x 58,
        // none new) over 1/2, each prior worth at most 4 trials.
        double changers = 0.5 / (174 + 1);
        double others0 = (0 + 4 * changers) / (406 + 4);
        double bucket0 = (3 + 4 * others0) / (10 + 4);
        // 48+ logins of history: 7 x 12 trials, none new; its prior the other buckets, 3 new of 332.
        double others6 = (3 + 4 * changers) / (332 + 4);
        double bucket6 = (0 + 4 * others6) / (84 + 4);
        assertThat(pop.newRate(Feature.COUNTRY, 0, false, false)).isCloseTo(bucket0, within(EPS));
        assertThat(pop.newRate(Feature.COUNTRY, 6, false, false)).isCloseTo(bucket6, within(EPS));

        LoginAttributes germany = place("DE", 3320, "79.192.1.9");
        double once = UNCAPPED.score(jane(1), germany, pop).bits();
        double after140 = UNCAPPED.score(jane(140), germany, pop).bits();
        assertThat(once).isCloseTo(-log2(bucket0), within(EPS)); // 2.22 bits
        assertThat(after140).isCloseTo(-log2(bucket6), within(EPS)); // 11.26 bits
        // Capped at max-group-bits (6): a new country alone never reaches the threshold.
        assertThat(HAND.score(jane(140), germany, pop).bits()).isCloseTo(Logins.config().maxGroupBits(), within(EPS));
        assertThat(Logins.config().maxGroupBits()).isLessThan(Logins.config().thresholdBits());
    }

    @Test
    void aUserWhoChangesPrefixAtEveryVisitFindsANewPrefixUnsurprising() {
        // 10 users with 5 logins from one /24: prefix trials (their ASN known) 10 in bucket 0, 10 in
        // bucket 1, 20 in bucket 2 (3-4 logins of history), none new. Bucket 2's prior: the other
        // 20 trials over 1/2 worth one trial, (0 + 1/2) / 21, worth 4 trials.
        PopulationLogins pop = homeBodies(10, 5);
        double rate = (0 + 4 * (0.5 / 21)) / (20 + 4);
        assertThat(pop.newRate(Feature.PREFIX, 2, false, false)).isCloseTo(rate, within(EPS));

        LoginProfile changer = new LoginProfile();
        for (int i = 0; i < 5; i++) {
            HAND.learn(changer, place("US", 7922, "73.12." + (100 + i) + ".9"), Logins.T0);
        }
        assertThat(changer.trials[Feature.PREFIX.ordinal()]).isEqualTo(4.0);
        assertThat(changer.news[Feature.PREFIX.ordinal()]).isEqualTo(4.0);
        LoginAttributes next = place("US", 7922, "73.12.199.9");
        // The population has no user who changed /24 before: that rate backs off to the prefix's rate
        // over everyone, 1/82. P(new) = (4 + 2 / 82) / (4 + 2) = 0.671: 0.58 bits. Country and ASN
        // are the usual ones.
        double changers = 0.5 / 41;
        assertThat(pop.newRate(Feature.PREFIX, 2, false, true)).isCloseTo(changers, within(EPS));
        NoveltyScore s = HAND.score(changer, next, pop);
        assertThat(s.bits()).isCloseTo(-log2((4 + 2 * changers) / 6), within(EPS));
        assertThat(s.contributions()).singleElement().satisfies(c -> assertThat(c.feature()).isEqualTo(Feature.PREFIX));
        // A user with the same history from one /24: P(new) = the population's rate, 7.98 bits.
        assertThat(UNCAPPED.score(jane(5), next, pop).bits()).isCloseTo(-log2(rate), within(EPS));
    }

    @Test
    void aSeenValueCostsItsShareOfTheUsersLogins() {
        // 10 users from the US and 10 from France, 5 logins each: France is half the countries users
        // showed, (10 + 1/2) / (20 + 1); 80 trials, none new.
        PopulationLogins pop = homeBodies(10, 5);
        for (int u = 0; u < 10; u++) {
            LoginProfile p = new LoginProfile();
            for (int i = 0; i < 5; i++) {
                HAND.observe(p, pop, place("FR", 3215, "90.3." + u + ".9"), Logins.T0);
            }
        }
        LoginProfile p = jane(9);
        HAND.learn(p, place("FR", 3215, "90.3.1.9"), Logins.T0); // 1 of jane's 10 logins from France
        // No user who changed country before has a trial: the rate backs off to the country's rate
        // over all trials, 1/162. Jane showed a new country at 1 of 9 trials: P(new) = (1 + 2/162) / (9 + 2).
        double rho = 0.5 / 81;
        assertThat(pop.newRate(Feature.COUNTRY, 3, false, true)).isCloseTo(rho, within(EPS));
        double pNew = (1 + 2 * rho) / 11;
        NoveltyScore s = HAND.score(p, place("FR", 3215, "90.3.1.9"), pop);
        NoveltyScore.Contribution country = s.contributions().stream()
                .filter(c -> c.feature() == Feature.COUNTRY).findFirst().orElseThrow();
        // Someone else shows France half the time, jane a tenth of the time: log2(0.5 / 0.0908) = 2.46.
        assertThat(country.bits()).isCloseTo(log2((10.5 / 21) / ((1 - pNew) / 10)), within(EPS));
        assertThat(country.userCount()).isEqualTo(1.0);
        assertThat(country.rarityBits()).isZero();
    }

    @Test
    void aNewPlaceCountsOnceHoweverManyOfItsLevelsAreNew() {
        PopulationLogins pop = homeBodies(10, 5);
        // Country, ASN and prefix all new: the ASN and prefix are judged under a new parent.
        NoveltyScore s = HAND.score(jane(5), place("DE", 3320, "79.192.1.9"), pop);
        assertThat(s.contributions()).extracting(NoveltyScore.Contribution::feature).containsExactly(Feature.COUNTRY);
        // A new ASN and a new prefix in the usual country: the prefix's parent is new, so the ASN pays.
        NoveltyScore t = HAND.score(jane(5), place("US", 7018, "99.20.1.9"), pop);
        assertThat(t.contributions()).extracting(NoveltyScore.Contribution::feature).containsExactly(Feature.ASN);
    }

    @Test
    void theGroupsUserHistoryBitsShareOneCap() {
        // A new region and a new ASN in the usual country: two branches of the place, one cap.
        NoveltyScorer capped = new NoveltyScorer(Logins.config("novelty.hour-weight=0", "novelty.max-group-bits=3"));
        PopulationLogins pop = new PopulationLogins(10_000);
        LoginProfile jane = new LoginProfile();
        for (int i = 0; i < 20; i++) {
            capped.observe(jane, pop, LoginAttributes.of(Logins.home("jane", Logins.T0, 0, 42, Logins.CHROME_WIN), AGENTS), Logins.T0);
        }
        Event elsewhere = Logins.login("jane", Logins.T0, "US", "California", "Los Angeles", 7018L, "99.20.1.9", Logins.CHROME_WIN);
        NoveltyScore s = capped.score(jane, LoginAttributes.of(elsewhere, AGENTS), pop);
        assertThat(s.contributions()).extracting(NoveltyScore.Contribution::feature)
                .containsExactlyInAnyOrder(Feature.REGION, Feature.ASN);
        assertThat(s.bits()).isCloseTo(3.0, within(EPS));
    }

    @Test
    void aNewClientMakesAPlaceChangeThePopulationSeesWithNewClientsCheaper() {
        // Half the population logs in from the phone on a mobile carrier after two logins at home on
        // the computer: a new ASN comes with a new client.
        NoveltyScorer scorer = HAND;
        PopulationLogins pop = new PopulationLogins(10_000);
        for (int u = 0; u < 40; u++) {
            LoginProfile p = new LoginProfile();
            for (int i = 0; i < 2; i++) {
                scorer.observe(p, pop, LoginAttributes.of(Logins.home("p" + u, Logins.T0, 0, u, Logins.CHROME_WIN), AGENTS), Logins.T0);
            }
            if (u % 2 == 0) {
                Event phone = Logins.login("p" + u, Logins.T0, "US", "New York", "New York", 21928L, "172.58." + u + ".9", Logins.IPHONE);
                scorer.observe(p, pop, LoginAttributes.of(phone, AGENTS), Logins.T0);
            }
        }
        LoginProfile jane = new LoginProfile();
        for (int i = 0; i < 2; i++) {
            scorer.learn(jane, LoginAttributes.of(Logins.home("jane", Logins.T0, 0, 42, Logins.CHROME_WIN), AGENTS), Logins.T0);
        }
        Event phone = Logins.login("jane", Logins.T0, "US", "New York", "New York", 21928L, "172.58.200.9", Logins.IPHONE);
        Event carrierOnComputer = Logins.login("jane", Logins.T0, "US", "New York", "New York", 21928L, "172.58.200.9", Logins.CHROME_WIN);
        double withPhone = asnBits(scorer.score(jane, LoginAttributes.of(phone, AGENTS), pop));
        double withComputer = asnBits(scorer.score(jane, LoginAttributes.of(carrierOnComputer, AGENTS), pop));
        // Bucket 1 (2 logins of history): 20 trials with a new client, all with a new ASN; their
        // prior: the 40 trials without a new client, none new, (0 + 1/2) / 41, worth 4 trials.
        double withNewClient = (20 + 4 * (0.5 / 41)) / (20 + 4);
        assertThat(pop.newRate(Feature.ASN, 1, true, false)).isCloseTo(withNewClient, within(EPS));
        assertThat(withPhone).isCloseTo(-log2(withNewClient), within(EPS)); // 0.26 bits
        // Without a new client: no trial in bucket 1; bucket 0 has 40, none new, with the new-client
        // trials as its prior: (0 + 4 * 20.5 / 21) / (40 + 4) = 8.9%, 3.49 bits.
        assertThat(pop.newRate(Feature.ASN, 1, false, false)).isCloseTo((0 + 4 * (20.5 / 21)) / (40 + 4), within(EPS));
        assertThat(withComputer).isCloseTo(-log2(pop.newRate(Feature.ASN, 1, false, false)), within(EPS));
        assertThat(withComputer - withPhone).isGreaterThan(2.0);
    }

    private static double asnBits(NoveltyScore s) {
        return s.contributions().stream().filter(c -> c.feature() == Feature.ASN).mapToDouble(NoveltyScore.Contribution::bits).sum();
    }

    @Test
    void aFirstLoginCannotBeNewButARareValueStillCounts() {
        PopulationLogins pop = homeBodies(100, 2);
        NoveltyScore s = HAND.score(new LoginProfile(), place("UA", 15895, "46.211.3.4"), pop);
        assertThat(s.coldStart()).isTrue();
        // Someone else: max(P, 2^-6) with P(UA) = (0 + 1/2) / (100 + 1); the user has nothing to say.
        double share = 0.5 / 101;
        assertThat(s.bits()).isCloseTo(log2(Math.pow(2, -6) / share), within(EPS));
        assertThat(s.contributions()).extracting(NoveltyScore.Contribution::feature).containsExactly(Feature.COUNTRY);
        assertThat(s.outcome().trialBucket()).containsOnly((byte) -1);
    }

    @Test
    void habitsDecayByHalfLife() {
        NoveltyScorer scorer = new NoveltyScorer(Logins.config("novelty.half-life=10d"));
        LoginProfile p = new LoginProfile();
        scorer.learn(p, place("US", 7922, "73.12.1.9"), 0);
        scorer.learn(p, place("FR", 3215, "90.3.1.9"), 10L * 86_400_000L);
        assertThat(p.count(Feature.COUNTRY, "US")).isCloseTo(0.5, within(EPS));
        assertThat(p.count(Feature.COUNTRY, "FR")).isCloseTo(1.0, within(EPS));
        assertThat(p.logins).isCloseTo(1.5, within(EPS));
        assertThat(p.trials[Feature.COUNTRY.ordinal()]).isCloseTo(1.0, within(EPS));
        assertThat(p.news[Feature.COUNTRY.ordinal()]).isCloseTo(1.0, within(EPS));
        assertThat(p.learned).isEqualTo(2);
    }

    @Test
    void hourKernelSpreadsTriangularly() {
        NoveltyScorer scorer = new NoveltyScorer(Logins.config("novelty.hour-spread=3"));
        LoginProfile p = new LoginProfile();
        p.hours[23] = 16;
        // weights (w + 1 - |d|) / (w + 1)^2: d = 0 -> 4/16, d = 1 -> 3/16 (wraps round midnight), d = 4 -> 0.
        assertThat(scorer.hourCount(p, 23)).isCloseTo(4.0, within(EPS));
        assertThat(scorer.hourCount(p, 0)).isCloseTo(3.0, within(EPS));
        assertThat(scorer.hourCount(p, 3)).isZero();
    }

    @Test
    void historyBuckets() {
        assertThat(NoveltyScorer.bucket(0.3)).isZero();
        assertThat(NoveltyScorer.bucket(1)).isZero();
        assertThat(NoveltyScorer.bucket(2)).isEqualTo(1);
        assertThat(NoveltyScorer.bucket(2.99)).isEqualTo(2); // 3 logins, one decayed a little
        assertThat(NoveltyScorer.bucket(5.4)).isEqualTo(2);
        assertThat(NoveltyScorer.bucket(6)).isEqualTo(3);
        assertThat(NoveltyScorer.bucket(47.4)).isEqualTo(5);
        assertThat(NoveltyScorer.bucket(48)).isEqualTo(6);
        assertThat(NoveltyScorer.bucket(1e9)).isEqualTo(PopulationLogins.BUCKETS - 1);
    }

    // ---- the scenarios the simulator separates, at default configuration ----

    private static final NoveltyScorer DEFAULT = new NoveltyScorer(Logins.config());

    private static PopulationLogins learnedPopulation() {
        PopulationLogins pop = new PopulationLogins(100_000);
        Map<String, LoginProfile> profiles = new HashMap<>();
        // 600 users with 30 daily logins each: every history bucket jane reaches has other users in it.
        for (Event e : Logins.population(600, 30, 7)) {
            DEFAULT.observe(profiles.computeIfAbsent(e.user, u -> new LoginProfile()), pop, LoginAttributes.of(e, AGENTS), e.ts);
        }
        // A handful of users from a country the population rarely sees.
        for (int i = 0; i < 3; i++) {
            Event e = Logins.login("x" + i, Logins.T0, "UA", "Kyiv City", "Kyiv", 15895L, "46.211.3.4", Logins.CHROME_WIN);
            DEFAULT.observe(new LoginProfile(), pop, LoginAttributes.of(e, AGENTS), e.ts);
        }
        return pop;
    }

    /** Jane: {@code logins} daily logins at 14:00 UTC from New York on Chrome on Windows. */
    private static LoginProfile jane(PopulationLogins pop, int logins) {
        LoginProfile p = new LoginProfile();
        for (int i = 0; i < logins; i++) {
            Event e = Logins.home("jane", Logins.T0 + i * 86_400_000L + 14 * 3_600_000L, 0, 42, Logins.CHROME_WIN);
            DEFAULT.observe(p, pop, LoginAttributes.of(e, AGENTS), e.ts);
        }
        return p;
    }

    private static long day(int d) {
        return Logins.T0 + d * 86_400_000L + 14 * 3_600_000L;
    }

    @Test
    void janeFromUkraineOnFirefoxAfterMonthsInTheUsaOnChromeAlerts() {
        PopulationLogins pop = learnedPopulation();
        LoginProfile jane = jane(pop, 143);
        Event ua = Logins.login("jane", day(144), "UA", "Kyiv City", "Kyiv", 15895L, "46.211.9.9", Logins.FIREFOX_WIN);
        NoveltyScore s = DEFAULT.score(jane, LoginAttributes.of(ua, AGENTS), pop);
        NoveltyConfig c = Logins.config();
        // Country new (capped), Ukraine rare in the population (3 of 604 users, jane among them), browser new (capped).
        double rarity = log2(Math.pow(2, -c.rarityFloorBits()) / ((3 + 0.5) / (604 + 1)));
        assertThat(s.bits()).isCloseTo(2 * c.maxGroupBits() + rarity, within(1e-6)).isGreaterThanOrEqualTo(c.thresholdBits());
        List<String> lines = s.contributions().stream()
                .map(x -> x.feature().label() + " " + x.value() + ": " + NoveltyScorer.explain(x, "jane")).toList();
        // 143 daily logins decayed with a 30-day half-life leave about 43.
        assertThat(jane.learned).isEqualTo(143);
        assertThat(lines).anySatisfy(l -> assertThat(l).matches(
                "country UA: never seen for jane \\(0 of 4\\d logins\\); jane showed a new country at 0 of 4\\d logins, "
                        + "users with that history at <0\\.001%: P\\(new\\) <0\\.001%; 3 users have shown it, 0\\.58% of country values "
                        + "\\(1\\.4 bits of rarity\\)"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("browser Firefox: never seen for jane (0 of 4"));
    }

    @Test
    void aTravellerWithTheSameBrowserStaysBelowTheThresholdHoweverLongTheHistory() {
        for (int logins : new int[] {2, 20, 143}) {
            PopulationLogins pop = learnedPopulation();
            LoginProfile jane = jane(pop, logins);
            Event toGermany = Logins.home("jane", day(logins + 1), 2, 99, Logins.CHROME_WIN);
            NoveltyScore s = DEFAULT.score(jane, LoginAttributes.of(toGermany, AGENTS), pop);
            assertThat(s.bits()).as(logins + " logins").isLessThan(Logins.config().thresholdBits());
            assertThat(s.contributions()).extracting(NoveltyScore.Contribution::feature).containsExactly(Feature.COUNTRY);
        }
    }

    @Test
    void aNewPhoneAtHomeStaysBelowTheThreshold() {
        for (int logins : new int[] {2, 20, 143}) {
            PopulationLogins pop = learnedPopulation();
            LoginProfile jane = jane(pop, logins);
            Event phone = Logins.home("jane", day(logins + 1), 0, 42, Logins.IPHONE);
            NoveltyScore s = DEFAULT.score(jane, LoginAttributes.of(phone, AGENTS), pop);
            assertThat(s.bits()).as(logins + " logins").isLessThan(Logins.config().thresholdBits());
            assertThat(s.contributions()).extracting(NoveltyScore.Contribution::feature).containsExactly(Feature.DEVICE);
        }
    }

    @Test
    void aNewCommonCountryAndANewBrowserTogetherAlertOnceTheUserHasHistory() {
        PopulationLogins pop = learnedPopulation();
        LoginProfile jane = jane(pop, 20);
        Event e = Logins.home("jane", day(21), 2, 99, Logins.FIREFOX_WIN);
        assertThat(DEFAULT.score(jane, LoginAttributes.of(e, AGENTS), pop).bits())
                .isGreaterThanOrEqualTo(Logins.config().thresholdBits());
    }

    @Test
    void aLoginOverFiveThousandKmAwayTwentyMinutesAfterThePreviousAlertsAndTwelveHoursAfterDoesNot() {
        PopulationLogins pop = learnedPopulation();
        LoginProfile jane = new LoginProfile();
        for (int i = 0; i < 20; i++) {
            Event e = Logins.home("jane", day(i), 0, 42, Logins.CHROME_WIN);
            e.lat = 40.7128; // New York
            e.lon = -74.0060;
            DEFAULT.observe(jane, pop, LoginAttributes.of(e, AGENTS), e.ts);
        }
        long last = day(19);
        for (long gap : new long[] {20 * 60_000L, 12 * 3_600_000L}) {
            // London, 5,570 km from New York, on jane's usual browser.
            Event london = Logins.home("jane", last + gap, 1, 99, Logins.CHROME_WIN);
            london.lat = 51.5074;
            london.lon = -0.1278;
            NoveltyScore s = DEFAULT.score(jane, LoginAttributes.of(london, AGENTS), pop);
            if (gap < 3_600_000L) {
                assertThat(s.travel()).isNotNull();
                assertThat(s.travel().distanceKm()).isBetween(5_500.0, 5_600.0);
                assertThat(s.travel().minutes()).isEqualTo(20.0);
                assertThat(s.travel().speedKmh()).isCloseTo(s.travel().distanceKm() * 3, within(1e-6));
                assertThat(s.travel().newPlace()).isTrue();
                assertThat(s.bits()).isGreaterThanOrEqualTo(Logins.config().thresholdBits());
                assertThat(ImpossibleTravel.observed(s.travel(), "jane"))
                        .matches("London, GB: 5,5\\d\\d km from New York, US in 20 min \\(16,\\d{3} km/h\\), a place new to jane");
            } else {
                assertThat(s.travel()).isNull(); // 425 km/h: a flight
                assertThat(s.bits()).isLessThan(Logins.config().thresholdBits());
            }
        }
    }

    @Test
    void profileStaysBoundedAfter100000LoginsFromDistinctIps() {
        NoveltyConfig config = Logins.config();
        LoginProfile p = new LoginProfile();
        PopulationLogins pop = new PopulationLogins(config.maxPopulationValues());
        for (int i = 0; i < 100_000; i++) {
            String ip = (i >>> 16 & 0xff) + 1 + "." + (i >>> 8 & 0xff) + "." + (i & 0xff) + ".7";
            Event e = Logins.login("jane", Logins.T0 + i * 60_000L, "C" + (i % 300), "R" + i, "City" + i, 1000L + i, ip, Logins.CHROME_WIN);
            DEFAULT.observe(p, pop, LoginAttributes.of(e, AGENTS), e.ts);
        }
        assertThat(p.size()).isLessThanOrEqualTo(Feature.CATEGORICAL * config.topK());
        assertThat(p.values).hasSameSizeAs(p.counts).hasSameSizeAs(p.features);
        assertThat(p.trials).hasSize(Feature.CATEGORICAL);
        assertThat(p.learned).isEqualTo(100_000);
        assertThat(pop.size()).isLessThanOrEqualTo(config.maxPopulationValues());
    }
}
