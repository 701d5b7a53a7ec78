package io.surprisal.novelty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.surprisal.event.Event;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The login vector against hand-computed values: a population whose every count is known (as in
 * {@link NoveltyScorerTest}), a user with one located login, then a login from another continent.
 */
class LoginFeaturesTest {
    private static final double EPS = 1e-9;
    private static final UserAgentParser AGENTS = new UserAgentParser(64);
    /** No hour term: the hand-computed case is about places. */
    private static final NoveltyScorer SCORER = new NoveltyScorer(Logins.config("novelty.hour-weight=0"));
    private static final long HOUR = 3_600_000L;

    /** A login with a place only (no client) at {@code ts}, with coordinates when {@code lat} is not null. */
    private static LoginAttributes place(long ts, String country, long asn, String ip, Double lat, Double lon) {
        Event e = new Event();
        e.ts = ts;
        e.user = "jane";
        e.action = "login";
        e.country = country;
        e.asn = asn;
        e.ip = ip;
        e.lat = lat;
        e.lon = lon;
        return LoginAttributes.of(e, AGENTS);
    }

    private static double at(double[] v, String name) {
        return v[Arrays.asList(LoginFeatures.NAMES).indexOf(name)];
    }

    @Test
    void namesAreUniqueAndOnePerFeature() {
        assertThat(LoginFeatures.NAMES).hasSize(LoginFeatures.COUNT).doesNotHaveDuplicates();
        assertThat(new HashSet<>(List.of(LoginFeatures.NAMES))).contains("country_new", "ip_prefix_user_bits",
                "browser_version_population_bits", "failures_before", "speed_kmh", "user_logins");
        assertThat(LoginFeatures.NAMES[LoginFeatures.newIndex(Feature.ASN) + 1]).isEqualTo("asn_user_bits");
    }

    @Test
    void aLoginFromAnotherContinentTwoHoursAfterTheLastOne() {
        // 10 users with 2 logins each from the US: a new country at a user's second login has rate
        // 1/22 (NoveltyScorerTest.onePriorLoginProvesLittle).
        PopulationLogins pop = new PopulationLogins(10_000);
        for (int u = 0; u < 10; u++) {
            LoginProfile p = new LoginProfile();
            for (int i = 0; i < 2; i++) {
                SCORER.observe(p, pop, place(Logins.T0, "US", 7922, "73.12." + u + ".9", null, null), Logins.T0);
            }
        }
        LoginProfile jane = new LoginProfile();
        SCORER.learn(jane, place(Logins.T0, "US", 7922, "73.12.200.9", 40.7128, -74.0060), Logins.T0);
        jane.failedSinceLogin = 2; // two failed logins since (login novelty counts them)

        LoginAttributes paris = place(Logins.T0 + 2 * HOUR, "FR", 3215, "90.3.1.9", 48.8566, 2.3522);
        NoveltyScore s = SCORER.score(jane, paris, pop);
        double[] v = LoginFeatures.vector(jane, paris, s, false);

        assertThat(v).hasSize(LoginFeatures.COUNT);
        // A new country: -log2(1/22) bits against jane's history; FR is not rare among the
        // countries users showed ((0 + 1/2) / (10 + 1) = 1/22 > 2^-6): no population bits.
        assertThat(at(v, "country_new")).isEqualTo(1.0);
        assertThat(at(v, "country_user_bits")).isCloseTo(Math.log(22) / Math.log(2), within(EPS));
        assertThat(at(v, "country_population_bits")).isZero();
        // The ASN and the prefix are new under a new country, which paid for them.
        assertThat(at(v, "asn_new")).isEqualTo(1.0);
        assertThat(at(v, "asn_user_bits")).isZero();
        assertThat(at(v, "ip_prefix_new")).isEqualTo(1.0);
        // What the login does not have: region, city, client.
        for (String absent : new String[] {"region_new", "city_new", "device_new", "os_new", "browser_new", "browser_version_new"}) {
            assertThat(at(v, absent)).as(absent).isNaN();
        }
        // New York to Paris by the haversine formula (R 6371.0088 km): 5,837.249 km in 2 h, an
        // impossible trip to a new place: travel's 11 bits.
        assertThat(at(v, "distance_km")).isCloseTo(5837.248966566374, within(1e-6));
        assertThat(at(v, "speed_kmh")).isCloseTo(5837.248966566374 / 2, within(1e-6));
        assertThat(at(v, "travel_bits")).isEqualTo(11.0);
        assertThat(at(v, "hour_bits")).isZero();
        assertThat(at(v, "novelty_bits")).isCloseTo(Math.log(22) / Math.log(2) + 11.0, within(EPS));
        assertThat(at(v, "novelty_bits")).isCloseTo(s.bits(), within(EPS));
        assertThat(at(v, "failed")).isZero();
        assertThat(at(v, "failures_before")).isEqualTo(2.0);
        assertThat(at(v, "hours_since_last_login")).isCloseTo(2.0, within(EPS));
        // T0 = 1,780,000,000,000 ms is 20:26:40 UTC; two hours later, 22.444 h.
        assertThat(at(v, "hour")).isCloseTo(22 + 4.0 / 9, within(EPS));
        assertThat(at(v, "user_logins")).isEqualTo(1.0);

        SCORER.learn(jane, paris, paris.ts());
        assertThat(jane.failedSinceLogin).as("a login learned starts the count again").isZero();
    }

    @Test
    void aFirstLoginHasNoHistoryToCompareWith() {
        LoginProfile fresh = new LoginProfile();
        LoginAttributes a = place(Logins.T0, "US", 7922, "73.12.1.9", 40.7128, -74.0060);
        double[] v = LoginFeatures.vector(fresh, a, SCORER.score(fresh, a, new PopulationLogins(100)), true);
        assertThat(at(v, "country_new")).isEqualTo(1.0);
        assertThat(at(v, "failed")).isEqualTo(1.0);
        assertThat(at(v, "user_logins")).isZero();
        assertThat(at(v, "hours_since_last_login")).isNaN();
        assertThat(at(v, "distance_km")).isNaN();
        assertThat(at(v, "speed_kmh")).isNaN();
        assertThat(at(v, "travel_bits")).isZero();
    }

    @Test
    void twoLoginsAtOneInstantAreNotInfinitelyFast() {
        LoginProfile jane = new LoginProfile();
        SCORER.learn(jane, place(Logins.T0, "US", 7922, "73.12.200.9", 40.7128, -74.0060), Logins.T0);
        LoginAttributes paris = place(Logins.T0, "FR", 3215, "90.3.1.9", 48.8566, 2.3522);
        double[] v = LoginFeatures.vector(jane, paris, SCORER.score(jane, paris, new PopulationLogins(100)), false);
        // Distance over one minute.
        assertThat(at(v, "speed_kmh")).isCloseTo(5837.248966566374 * 60, within(1e-6));
    }
}
