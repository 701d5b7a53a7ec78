package io.surprisal.novelty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.surprisal.event.Event;
import org.junit.jupiter.api.Test;

class PopulationLoginsTest {
    private static final UserAgentParser AGENTS = new UserAgentParser(16);
    private static final NoveltyScorer SCORER = new NoveltyScorer(Logins.config());

    /** {@code users} users with {@code logins} logins each (a new /24 at every other one). */
    private static PopulationLogins population(int users, int logins) {
        PopulationLogins pop = new PopulationLogins(10_000);
        for (int u = 0; u < users; u++) {
            LoginProfile p = new LoginProfile();
            for (int i = 0; i < logins; i++) {
                Event e = Logins.home("p" + u, Logins.T0 + i * 3_600_000L, u % 3, i % 2 == 0 ? 7 : 8, Logins.CHROME_WIN);
                e.ip = "73.12." + (u * 2 + i % 2) + ".9";
                SCORER.observe(p, pop, LoginAttributes.of(e, AGENTS), e.ts);
            }
        }
        return pop;
    }

    @Test
    void theMinimumIsTheFixedOneOrOneReturningLoginPerUserWhicheverIsFewer() {
        PopulationLogins small = population(100, 1);
        assertThat(small.users()).isEqualTo(100);
        assertThat(small.returningLogins()).isZero();
        assertThat(small.ready(1000, 1.0)).isFalse();
        PopulationLogins back = population(100, 2);
        assertThat(back.returningLogins()).isEqualTo(100);
        assertThat(back.ready(1000, 1.0)).isTrue(); // 100 >= min(1000, 100)
        assertThat(back.ready(1000, 1.5)).isFalse(); // 100 < min(1000, 150)
        assertThat(back.ready(50, 1.5)).isTrue(); // a large site: the fixed minimum
    }

    @Test
    void countsEachUsersFirstSightingOfAValueAndTheTrialsOfItsRate() {
        PopulationLogins pop = population(30, 4);
        // Every user showed the US once (10 users), GB or DE (10 each): shares among 30 sightings.
        assertThat(pop.count(Feature.COUNTRY, "US")).isEqualTo(10);
        assertThat(pop.parentTotal(Feature.COUNTRY, "")).isEqualTo(30);
        assertThat(pop.share(Feature.COUNTRY, "US", "")).isCloseTo(10.5 / 31, within(1e-12));
        // Prefix: logins 2, 3, 4 of each user are trials (the ASN is known), at 1, 2, 3 logins of
        // history; the 2nd shows a second /24 (from then on the user is one who changed), the 3rd
        // and 4th alternate between known ones.
        assertThat(pop.trials(Feature.PREFIX, 0, false, false)).isEqualTo(30);
        assertThat(pop.trials(Feature.PREFIX, 1, false, false)).isZero();
        assertThat(pop.trials(Feature.PREFIX, 1, false, true)).isEqualTo(30);
        assertThat(pop.trials(Feature.PREFIX, 2, false, true)).isEqualTo(30);
        // Users who had not changed, bucket 0: 30 new of 30; prior: those who had, 0 new of 60, over
        // 1/2 worth one trial, itself worth 4 trials.
        assertThat(pop.newRate(Feature.PREFIX, 0, false, false)).isCloseTo((30 + 4 * (0.5 / 61)) / (30 + 4), within(1e-12));
        // Users who had changed, bucket 2: 0 new of 30; prior: the same users in bucket 1 (0 of 30)
        // with the others (30 of 30) as theirs.
        double bucket1 = (0 + 4 * (30.5 / 31)) / (30 + 4);
        assertThat(pop.newRate(Feature.PREFIX, 2, false, true)).isCloseTo((0 + 4 * bucket1) / (30 + 4), within(1e-12));
        assertThat(pop.users()).isEqualTo(30);
        assertThat(pop.returningLogins()).isEqualTo(90);
    }

    @Test
    void aCheckpointRestoresEveryCount() {
        PopulationLogins pop = population(30, 4);
        PopulationLogins restored = new PopulationLogins(10_000);
        restored.addAll(pop.entries());
        assertThat(restored.entries()).usingRecursiveFieldByFieldElementComparator()
                .containsExactlyInAnyOrderElementsOf(pop.entries());
        for (int b = 0; b < PopulationLogins.BUCKETS; b++) {
            assertThat(restored.newRate(Feature.PREFIX, b, false, true)).isEqualTo(pop.newRate(Feature.PREFIX, b, false, true));
        }
        assertThat(restored.users()).isEqualTo(30);
        assertThat(restored.total()).isEqualTo(120);
    }

    @Test
    void aLoginJudgedNovelTeachesOnlyThatItsUserCameBack() {
        PopulationLogins pop = population(10, 2);
        LoginProfile p = new LoginProfile();
        LoginAttributes home = LoginAttributes.of(Logins.home("jane", Logins.T0, 0, 42, Logins.CHROME_WIN), AGENTS);
        SCORER.observe(p, pop, home, Logins.T0);
        Event ua = Logins.login("jane", Logins.T0 + 1, "UA", "Kyiv City", "Kyiv", 15895L, "46.211.9.9", Logins.FIREFOX_WIN);
        LoginAttributes a = LoginAttributes.of(ua, AGENTS);
        long before = pop.total();
        pop.observe(a, NoveltyScorer.outcome(p, a), false);
        assertThat(pop.returningLogins()).isEqualTo(11);
        assertThat(pop.total()).isEqualTo(before);
        assertThat(pop.count(Feature.COUNTRY, "UA")).isZero();
        assertThat(pop.trials(Feature.COUNTRY, 0, true, false)).isZero();
    }
}
