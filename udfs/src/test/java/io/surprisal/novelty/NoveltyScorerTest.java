package io.surprisal.novelty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.surprisal.config.SurprisalConfig.NoveltyConfig;
import io.surprisal.event.Event;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NoveltyScorerTest {
    private static final double EPS = 1e-9;

    /** Attributes with only the given keys set (others unknown), at hour 0. */
    private static LoginAttributes attrs(String country, String region) {
        String[] keys = new String[Feature.CATEGORICAL];
        String[] shown = new String[Feature.CATEGORICAL];
        keys[Feature.COUNTRY.ordinal()] = country;
        shown[Feature.COUNTRY.ordinal()] = country;
        if (region != null) {
            keys[Feature.REGION.ordinal()] = country + LoginAttributes.SEPARATOR + region;
            shown[Feature.REGION.ordinal()] = region;
        }
        return new LoginAttributes(keys, shown, 0);
    }

    private static final NoveltyScorer HAND = new NoveltyScorer(Logins.config(
            "novelty.prior-strength=1", "novelty.rarity-floor-bits=1", "novelty.hour-weight=0", "novelty.min-user-logins=1"));

    @Test
    void newCountryMatchesHandComputedBits() {
        PopulationLogins pop = new PopulationLogins(1000);
        for (int i = 0; i < 4; i++) {
            pop.observe(attrs("US", "NY"));
        }
        LoginProfile jane = new LoginProfile();
        HAND.learn(jane, attrs("US", "NY"), 0);
        // P(FR) = (0 + 1/2) / (4 + 1) = 0.1; q = (0 + 1 * 0.1) / (1 + 1) = 0.05: novelty log2(0.1/0.05) = 1.
        // rarity = (-log2 0.1 - 1) * 1 / (0 + 1) = 2.321928; total = log2(10).
        NoveltyScore s = HAND.score(jane, attrs("FR", null), pop);
        assertThat(s.bits()).isCloseTo(Math.log(10) / Math.log(2), within(EPS));
        assertThat(s.contributions()).singleElement().satisfies(c -> {
            assertThat(c.feature()).isEqualTo(Feature.COUNTRY);
            assertThat(c.userCount()).isZero();
            assertThat(c.userContext()).isEqualTo(1.0);
        });
    }

    @Test
    void familiarValueCostsNothing() {
        PopulationLogins pop = new PopulationLogins(1000);
        for (int i = 0; i < 4; i++) {
            pop.observe(attrs("US", "NY"));
        }
        LoginProfile jane = new LoginProfile();
        HAND.learn(jane, attrs("US", "NY"), 0);
        // P = 4.5/5 = 0.9, q = (1 + 0.9)/2 = 0.95: log2(0.9/0.95) < 0, clamped to 0; no rarity.
        assertThat(HAND.score(jane, attrs("US", "NY"), pop).bits()).isZero();
    }

    @Test
    void childOfAKnownParentCountsAndChildOfANewParentDoesNot() {
        PopulationLogins pop = new PopulationLogins(1000);
        for (int i = 0; i < 4; i++) {
            pop.observe(attrs("US", "NY"));
        }
        LoginProfile jane = new LoginProfile();
        HAND.learn(jane, attrs("US", "NY"), 0);
        // New region in the user's country: P(CA|US) = 0.5/5 = 0.1, q = 0.1/2: exactly 1 bit (region has no rarity term).
        NoveltyScore inUs = HAND.score(jane, attrs("US", "CA"), pop);
        assertThat(inUs.bits()).isCloseTo(1.0, within(EPS));
        // New region in a new country: the country pays; the region adds nothing (q = P under an unseen parent).
        NoveltyScore inFr = HAND.score(jane, attrs("FR", "Paris"), pop);
        assertThat(inFr.contributions()).extracting(NoveltyScore.Contribution::feature).containsExactly(Feature.COUNTRY);
    }

    @Test
    void coldStartKeepsOnlyPopulationRarity() {
        PopulationLogins pop = new PopulationLogins(1000);
        for (int i = 0; i < 4; i++) {
            pop.observe(attrs("US", "NY"));
        }
        NoveltyScorer scorer = new NoveltyScorer(Logins.config("novelty.prior-strength=1", "novelty.rarity-floor-bits=1",
                "novelty.hour-weight=0", "novelty.min-user-logins=3"));
        LoginProfile fresh = new LoginProfile();
        scorer.learn(fresh, attrs("US", "NY"), 0);
        NoveltyScore s = scorer.score(fresh, attrs("FR", null), pop);
        assertThat(s.coldStart()).isTrue();
        assertThat(s.bits()).isCloseTo(-Math.log(0.1) / Math.log(2) - 1, within(EPS)); // rarity only
    }

    @Test
    void habitsDecayByHalfLife() {
        NoveltyScorer scorer = new NoveltyScorer(Logins.config("novelty.half-life=10d"));
        LoginProfile p = new LoginProfile();
        scorer.learn(p, attrs("US", "NY"), 0);
        scorer.learn(p, attrs("FR", "Paris"), 10L * 86_400_000L);
        assertThat(p.count(Feature.COUNTRY, "US")).isCloseTo(0.5, within(EPS));
        assertThat(p.count(Feature.COUNTRY, "FR")).isCloseTo(1.0, within(EPS));
        assertThat(p.logins).isCloseTo(1.5, within(EPS));
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

    // ---- the scenarios the simulator separates, at default configuration ----

    private static final NoveltyScorer DEFAULT = new NoveltyScorer(Logins.config());
    private static final UserAgentParser AGENTS = new UserAgentParser(64);

    private static PopulationLogins learnedPopulation(Map<String, LoginProfile> profiles) {
        PopulationLogins pop = new PopulationLogins(100_000);
        for (Event e : Logins.population(2000, 5, 7)) {
            LoginAttributes a = LoginAttributes.of(e, AGENTS);
            DEFAULT.learn(profiles.computeIfAbsent(e.user, u -> new LoginProfile()), a, e.ts);
            pop.observe(a);
        }
        // A handful of logins from a country the population rarely sees.
        for (int i = 0; i < 3; i++) {
            pop.observe(LoginAttributes.of(Logins.login("x" + i, Logins.T0, "UA", "Kyiv City", "Kyiv", 15895L, "46.211.3.4", Logins.CHROME_WIN), AGENTS));
        }
        return pop;
    }

    private static LoginProfile jane(PopulationLogins pop, int logins) {
        LoginProfile p = new LoginProfile();
        for (int i = 0; i < logins; i++) {
            Event e = Logins.home("jane", Logins.T0 + i * 86_400_000L / 2, 0, 42, Logins.CHROME_WIN);
            e.ts = Logins.T0 + i * 86_400_000L + 14 * 3_600_000L;
            LoginAttributes a = LoginAttributes.of(e, AGENTS);
            DEFAULT.learn(p, a, e.ts);
            pop.observe(a);
        }
        return p;
    }

    @Test
    void janeFromUkraineOnFirefoxFiresWithCountryAndBrowserReasons() {
        PopulationLogins pop = learnedPopulation(new HashMap<>());
        LoginProfile jane = jane(pop, 143);
        Event ua = Logins.login("jane", Logins.T0 + 144 * 86_400_000L + 14 * 3_600_000L, "UA", "Kyiv City", "Kyiv", 15895L,
                "46.211.9.9", Logins.FIREFOX_WIN);
        NoveltyScore s = DEFAULT.score(jane, LoginAttributes.of(ua, AGENTS), pop);
        assertThat(s.bits()).isGreaterThanOrEqualTo(Logins.config().thresholdBits());
        List<String> lines = s.contributions().stream()
                .map(c -> c.feature().label() + " " + c.value() + ": " + NoveltyScorer.explain(c, "jane")).toList();
        // 143 daily logins decayed with a 30-day half-life leave about 43.
        assertThat(jane.learned).isEqualTo(143);
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("country UA: never seen for jane \\(0 of 4\\d logins\\), 0\\.\\d+% of all logins"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("browser Firefox: never seen for jane"));
    }

    @Test
    void travelToACommonCountryStaysBelowThresholdAndFarBelowARareOne() {
        PopulationLogins pop = learnedPopulation(new HashMap<>());
        LoginProfile jane = jane(pop, 20);
        long ts = Logins.T0 + 21 * 86_400_000L + 14 * 3_600_000L;
        Event toGermany = Logins.home("jane", ts, 2, 99, Logins.CHROME_WIN);
        Event toUkraine = Logins.login("jane", ts, "UA", "Kyiv City", "Kyiv", 15895L, "46.211.9.9", Logins.CHROME_WIN);
        double germany = DEFAULT.score(jane, LoginAttributes.of(toGermany, AGENTS), pop).bits();
        double ukraine = DEFAULT.score(jane, LoginAttributes.of(toUkraine, AGENTS), pop).bits();
        assertThat(germany).isLessThan(Logins.config().thresholdBits());
        assertThat(ukraine - germany).isGreaterThan(5.0);
    }

    @Test
    void travelStaysBelowThresholdHoweverLongTheHistory() {
        PopulationLogins pop = learnedPopulation(new HashMap<>());
        LoginProfile jane = jane(pop, 143);
        Event toGermany = Logins.home("jane", Logins.T0 + 144 * 86_400_000L + 14 * 3_600_000L, 2, 99, Logins.CHROME_WIN);
        NoveltyScore s = DEFAULT.score(jane, LoginAttributes.of(toGermany, AGENTS), pop);
        assertThat(s.bits()).isCloseTo(Logins.config().maxAttributeBits(), within(EPS)); // the country alone, capped
        assertThat(s.bits()).isLessThan(Logins.config().thresholdBits());
    }

    @Test
    void newPhoneInTheUsualCityStaysBelowThreshold() {
        PopulationLogins pop = learnedPopulation(new HashMap<>());
        LoginProfile jane = jane(pop, 20);
        Event phone = Logins.home("jane", Logins.T0 + 21 * 86_400_000L + 14 * 3_600_000L, 0, 42, Logins.IPHONE);
        assertThat(DEFAULT.score(jane, LoginAttributes.of(phone, AGENTS), pop).bits())
                .isLessThan(Logins.config().thresholdBits());
    }

    @Test
    void newCommonCountryAndNewBrowserTogetherScoreHigh() {
        PopulationLogins pop = learnedPopulation(new HashMap<>());
        LoginProfile jane = jane(pop, 20);
        Event e = Logins.home("jane", Logins.T0 + 21 * 86_400_000L + 14 * 3_600_000L, 2, 99, Logins.FIREFOX_WIN);
        assertThat(DEFAULT.score(jane, LoginAttributes.of(e, AGENTS), pop).bits())
                .isGreaterThanOrEqualTo(Logins.config().thresholdBits());
    }

    @Test
    void profileStaysBoundedAfter100000LoginsFromDistinctIps() {
        NoveltyConfig config = Logins.config();
        LoginProfile p = new LoginProfile();
        PopulationLogins pop = new PopulationLogins(config.maxPopulationValues());
        for (int i = 0; i < 100_000; i++) {
            String ip = (i >>> 16 & 0xff) + 1 + "." + (i >>> 8 & 0xff) + "." + (i & 0xff) + ".7";
            Event e = Logins.login("jane", Logins.T0 + i * 60_000L, "C" + (i % 300), "R" + i, "City" + i, 1000L + i, ip, Logins.CHROME_WIN);
            LoginAttributes a = LoginAttributes.of(e, AGENTS);
            DEFAULT.learn(p, a, e.ts);
            pop.observe(a);
        }
        assertThat(p.size()).isLessThanOrEqualTo(Feature.CATEGORICAL * config.topK());
        assertThat(p.values).hasSameSizeAs(p.counts).hasSameSizeAs(p.features);
        assertThat(p.learned).isEqualTo(100_000);
        assertThat(pop.size()).isLessThanOrEqualTo(config.maxPopulationValues());
    }

}
