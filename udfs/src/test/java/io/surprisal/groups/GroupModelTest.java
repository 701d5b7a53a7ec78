package io.surprisal.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig.GroupsModelConfig;
import io.surprisal.model.UserProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** KL divergences, posteriors and change bits against figures computed by hand. */
class GroupModelTest {
    private static final GroupsModelConfig CONFIG = ConfigLoader.load(null, List.of(
            "model.groups.smoothing=1", "model.groups.kl-limit-bits=0.1", "model.groups.min-posterior=0.5", "model.groups.max-groups=4",
            "model.groups.max-teach-per-session=100")).model().groups();

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    private static Steps steps(long ab, long ac) {
        return new Steps(new String[] {"a", "a"}, new String[] {"b", "c"}, new long[] {ab, ac});
    }

    /** Group A founded on a->b x3, a->c x1; group B on a->b x1, a->c x3; vocabulary {a, b, c}. */
    private static GroupModel twoGroups() {
        GroupModel m = new GroupModel(CONFIG, 0);
        m.propose("x", steps(3, 1));
        m.propose("y", steps(1, 3));
        m.advanceTo(1);
        assertThat(m.size()).isEqualTo(2);
        return m;
    }

    @Test
    void klAndPosteriorAreTheHandComputedOnes() {
        GroupModel m = twoGroups();
        long a = m.ids().get(0);
        long b = m.ids().get(1);
        // Smoothing 1 pseudo-step per state over 3 states: q = (c + 1/3) / (4 + 1).
        double qHigh = (3 + 1.0 / 3) / 5; // 0.6667
        double qLow = (1 + 1.0 / 3) / 5; // 0.2667
        GroupModel.Typing t = m.type(steps(3, 1));
        double logA = 3 * log2(qHigh) + log2(qLow); // -3.662 bits
        double logB = 3 * log2(qLow) + log2(qHigh); // -6.306 bits
        double entropy = -(0.75 * log2(0.75) + 0.25 * log2(0.25)); // 0.811 bits
        assertThat(t.best().group()).isEqualTo(a);
        assertThat(t.best().posterior()).isCloseTo(1 / (1 + Math.pow(2, logB - logA)), within(1e-12)); // 0.862
        assertThat(t.best().posterior()).isCloseTo(0.862, within(0.001));
        assertThat(t.of(a).klBits()).isCloseTo(-logA / 4 - entropy, within(1e-12)); // 0.104
        assertThat(t.of(b).klBits()).isCloseTo(-logB / 4 - entropy, within(1e-12)); // 0.765
        assertThat(t.of(a).klBits()).isCloseTo(0.104, within(0.001));
        // Miller-Madow: one state left, two next states seen: (2 - 1) / (2 x 4 ln 2) bits.
        assertThat(t.klBiasBits()).isCloseTo(1 / (8 * Math.log(2)), within(1e-12));
    }

    @Test
    void theGroupsSharesOfUsersArePriors() {
        GroupModel m = twoGroups();
        long a = m.ids().get(0);
        long b = m.ids().get(1);
        m.move(UserGroup.NONE, b);
        m.move(UserGroup.NONE, b);
        m.move(UserGroup.NONE, b);
        m.advanceTo(2);
        assertThat(m.share(a)).isCloseTo(1.0 / 5, within(1e-12)); // (0 + 1) / (3 + 2)
        assertThat(m.share(b)).isCloseTo(4.0 / 5, within(1e-12));
        // Equal likelihoods (a->b x2, a->c x2): the posterior is the prior.
        GroupModel.Typing t = m.type(steps(2, 2));
        assertThat(t.of(b).posterior()).isCloseTo(0.8, within(1e-12));
    }

    @Test
    void aSessionInAGroupRareAmongTheSessionsOfTheUsersGroupCostsItsSurprisalUnderTheUsersHistory() {
        GroupModel m = twoGroups();
        long a = m.ids().get(0);
        long b = m.ids().get(1);
        for (int i = 0; i < 8; i++) {
            m.move(UserGroup.NONE, a);
        }
        for (int i = 0; i < 39; i++) {
            m.countSession(a, a); // 39 sessions of a's users typed a, none b
        }
        m.advanceTo(2);
        // share(b) = (0 + 1) / (8 + 2) = 0.1; P(b | a) = (0 + 1 x 0.1) / (39 + 1) = 0.0025; P(a | a) = (39 + 0.9) / 40.
        assertThat(m.sessionRate(a, b)).isCloseTo(0.0025, within(1e-12));
        assertThat(m.sessionRate(a, a)).isCloseTo(0.9975, within(1e-12));
        // No session of b's users counted yet: the rate is the prior, b's share of users.
        assertThat(m.sessionRate(b, b)).isCloseTo(0.1, within(1e-12));

        BehaviourGroups groups = new BehaviourGroups(CONFIG, ConfigLoader.defaults().detectors().groupChange(),
                java.time.Duration.ofDays(1), 20, 0);
        groups.restore(m);
        UserGroup u = new UserGroup();
        u.group = a;
        for (int i = 0; i < 3; i++) {
            u.addSession(a);
        }
        // k = 1: P(b) = (0 + 0.0025) / (3 + 1) = 0.000625; P(a) = (3 + 0.9975) / 4 = 0.999375.
        assertThat(groups.historyProbability(u, a, b)).isCloseTo(0.000625, within(1e-12));
        assertThat(groups.historyProbability(u, a, a)).isCloseTo(0.999375, within(1e-12));
        GroupModel.Typing t = m.type(steps(0, 6));
        double pb = t.of(b).posterior();
        double pa = t.of(a).posterior();
        assertThat(groups.changeBits(u, a, t)).isCloseTo(-log2(pb * 0.000625 + pa * 0.999375), within(1e-12));
        // A session typed b decisively: -log2(0.000625) = 10.6 bits.
        GroupModel.Typing sure = new GroupModel.Typing(List.of(new GroupModel.Fit(b, 1, 0)), 6, 0, 0);
        assertThat(groups.changeBits(u, a, sure)).isCloseTo(10.64, within(0.01));

        // A group founded after those 39 sessions is judged by the sessions counted since: one, typed into it.
        long c = m.propose("c", new Steps(new String[] {"a"}, new String[] {"d"}, new long[] {10}));
        m.advanceTo(3);
        c = m.resolve(c);
        m.countSession(a, c);
        m.advanceTo(4);
        assertThat(m.sessionsExposed(a, a)).isEqualTo(40);
        assertThat(m.sessionsExposed(a, c)).isEqualTo(1);
        // share(c) = (0 + 1) / (8 + 3); P(c | a) = (1 + 1/11) / (1 + 1).
        assertThat(m.sessionRate(a, c)).isCloseTo((1 + 1.0 / 11) / 2, within(1e-12));
    }

    @Test
    void typedSessionsCountOnceEventTimeMovesOnAndFollowAMerge() {
        GroupModel m = new GroupModel(CONFIG, 0);
        long a = m.propose("a", steps(300, 100));
        m.advanceTo(1);
        long b = m.propose("b", steps(100, 300));
        m.advanceTo(2);
        a = m.resolve(a);
        b = m.resolve(b);
        m.countSession(a, a);
        m.countSession(a, a);
        m.countSession(a, b);
        m.countSession(b, b);
        m.countSession(b, a);
        assertThat(m.sessionsTyped(a, a)).isZero(); // the same instant: not yet
        m.advanceTo(3);
        assertThat(m.sessionsTyped(a, a)).isEqualTo(2);
        assertThat(m.sessionsTyped(a, b)).isEqualTo(1);
        assertThat(m.sessionsExposed(a, b)).isEqualTo(3); // every session of a's users, b existing
        // Taught the same behaviour, the two are one group: its row and column add up a's and b's.
        for (int i = 0; i < 2; i++) {
            m.teach(b, steps(100, 0));
            m.teach(a, steps(0, 100));
        }
        m.advanceTo(4);
        m.splitBetween(a, b);
        m.advanceTo(5);
        assertThat(m.size()).isEqualTo(1);
        long one = m.resolve(a);
        assertThat(m.sessionsTyped(one, one)).isEqualTo(5);
        assertThat(m.sessionsExposed(one, one)).isEqualTo(5);
        // Every session of the one group's users is of it: (5 + 1 x share 1) / (5 + 1).
        assertThat(m.sessionRate(one, one)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void aCheckpointKeepsTheTypedSessionsAndTheLayoutBeforeThemIsStillRead() throws Exception {
        GroupModel m = twoGroups();
        long a = m.ids().get(0);
        long b = m.ids().get(1);
        m.countSession(a, b);
        m.countSession(b, b);
        m.countSession(b, b);
        GroupModel same = GroupModel.restore(CONFIG, 0, List.of(m.toTaggedBytes(0, 1)), 1);
        assertThat(same.sessionsTyped(a, b)).isEqualTo(1);
        assertThat(same.sessionsTyped(b, b)).isEqualTo(2);
        assertThat(same.sessionsTyped(b, a)).isZero();
        assertThat(same.sessionsExposed(b, a)).isEqualTo(2);

        // Written by layout 1: the two groups of twoGroups(), a with 2 users and b with 1, no typed sessions.
        byte[] layout1;
        try (var in = GroupModelTest.class.getResourceAsStream("/state/behaviour-groups-layout1.bin")) {
            layout1 = in.readAllBytes();
        }
        GroupModel old = GroupModel.restore(CONFIG, 0, List.of(layout1), 1);
        assertThat(old.ids()).isEqualTo(m.ids());
        assertThat(old.members(a)).isEqualTo(2);
        assertThat(old.members(b)).isEqualTo(1);
        assertThat(old.type(steps(3, 1)).best().group()).isEqualTo(a);
        // The rates start from their prior: b's share of users, (1 + 1) / (3 + 2).
        assertThat(old.sessionRate(a, b)).isCloseTo(0.4, within(1e-12));
        // Written again, the current layout.
        GroupModel again = GroupModel.restore(CONFIG, 0, List.of(old.toTaggedBytes(0, 1)), 1);
        assertThat(again.ids()).isEqualTo(m.ids());
        assertThat(again.members(a)).isEqualTo(2);
    }

    @Test
    void aSessionsStepsAreTheProfilesCountsSinceTheLastClose() {
        UserProfile p = new UserProfile();
        int a = p.indexOrAdd("a", 8);
        int b = p.indexOrAdd("b", 8);
        p.observe(0, a, 10);
        p.observe(a, b, 10);
        int[] seen = Steps.countsOf(p);
        p.observe(a, b, 10);
        p.observe(b, a, 10);
        Steps since = Steps.since(p, seen);
        assertThat(since.total()).isEqualTo(2);
        assertThat(Steps.of(p).total()).isEqualTo(4);
        assertThat(since.from).containsExactly("a", "b");
        assertThat(since.to).containsExactly("b", "a");
    }

    @Test
    void aCheckpointRestoresTheSameModelAndARescaleSharesAndMergesDownToTheBound() {
        GroupModel m = twoGroups();
        byte[] tagged = m.toTaggedBytes(0, 1);
        assertThat(GroupModel.ownerOf(tagged)).isZero();
        assertThat(GroupModel.parallelismOf(tagged)).isEqualTo(1);
        GroupModel same = GroupModel.restore(CONFIG, 0, List.of(tagged), 1);
        assertThat(same.ids()).isEqualTo(m.ids());
        assertThat(same.type(steps(3, 1))).isEqualTo(m.type(steps(3, 1)));

        GroupsModelConfig two = ConfigLoader.load(null, List.of("model.groups.max-groups=2", "model.groups.smoothing=1",
                "model.groups.max-teach-per-session=100")).model().groups();
        for (int i = 0; i < 3; i++) {
            m.countSession(m.ids().get(0), m.ids().get(0));
        }
        GroupModel other = new GroupModel(two, 1);
        other.propose("z", steps(30, 10)); // the same behaviour as group A, another instance
        other.advanceTo(1);
        GroupModel rescaled = GroupModel.restore(two, 0, List.of(m.toTaggedBytes(0, 2), other.toTaggedBytes(1, 2)), 2);
        assertThat(rescaled.size()).isEqualTo(2);
        long merged = other.ids().get(0);
        // The closest pair (A and the other instance's A) became one; its id resolves to the survivor.
        assertThat(rescaled.resolve(merged)).isEqualTo(m.ids().get(0));
        assertThat(rescaled.resolve(m.ids().get(1))).isEqualTo(m.ids().get(1));
        // The typed sessions are divided among the two owners as the counts are (3 / 2, rounded up), and follow the merge.
        assertThat(rescaled.sessionsTyped(merged, m.ids().get(0))).isEqualTo(2);
    }

    @Test
    void aRescaleUpThenBackDownKeepsEachGroupOnceWithItsCounts() {
        GroupModel m = twoGroups();
        for (int i = 0; i < 4; i++) {
            m.countSession(m.ids().get(0), m.ids().get(1));
        }
        m.advanceTo(2);
        byte[] one = m.toTaggedBytes(0, 1);
        // One instance to two: each restores the whole model, then both go back into one.
        GroupModel a = GroupModel.restore(CONFIG, 0, List.of(one), 1);
        GroupModel b = GroupModel.restore(CONFIG, 1, List.of(one), 1);
        GroupModel back = GroupModel.restore(CONFIG, 0, List.of(a.toTaggedBytes(0, 2), b.toTaggedBytes(1, 2)), 2);
        assertThat(back.ids()).as("each group once").isEqualTo(m.ids());
        assertThat(back.type(steps(3, 1)).best().group()).isEqualTo(m.type(steps(3, 1)).best().group());
        assertThat(back.sessionsTyped(m.ids().get(0), m.ids().get(1))).isEqualTo(4);
    }

    @Test
    void aFounderIsTypedIntoItsGroupAndAtTheBoundAGroupHoldingNoUserMakesRoom() {
        GroupsModelConfig one = ConfigLoader.load(null, List.of("model.groups.smoothing=1", "model.groups.kl-limit-bits=0.1",
                "model.groups.max-groups=2", "model.groups.max-teach-per-session=100")).model().groups();
        GroupModel m = new GroupModel(one, 0);
        long x = m.propose("x", steps(90, 10));
        m.move(UserGroup.NONE, x);
        long idle = m.propose("y", steps(10, 90)); // nobody is typed into it
        m.advanceTo(1);
        assertThat(m.size()).isEqualTo(2);
        assertThat(m.resolve(x)).isEqualTo(m.ids().get(0));
        assertThat(m.members(x)).isEqualTo(1);
        // A third behaviour at the bound: the group without users is retired for it, the other kept.
        long z = m.propose("z", new Steps(new String[] {"a"}, new String[] {"a"}, new long[] {100}));
        m.move(UserGroup.NONE, z);
        m.advanceTo(2);
        assertThat(m.size()).isEqualTo(2);
        assertThat(m.resolve(idle)).isEqualTo(UserGroup.NONE);
        assertThat(m.resolve(x)).isNotEqualTo(UserGroup.NONE);
        assertThat(m.resolve(z)).isNotEqualTo(UserGroup.NONE).isNotEqualTo(m.resolve(x));
    }

    @Test
    void aProposalIsJudgedOnAllItsStepsNotOnTheCappedShareItWouldFoundAGroupOn() {
        // min-posterior 0.99: decisively beyond is N (D - bias - limit) > log2(99) = 6.63 bits; a
        // founder's steps are capped at 4 x max-teach-per-session = 16.
        GroupsModelConfig sure = ConfigLoader.load(null, List.of("model.groups.smoothing=1", "model.groups.kl-limit-bits=0.1",
                "model.groups.min-posterior=0.99", "model.groups.max-groups=4", "model.groups.max-teach-per-session=4")).model().groups();
        GroupModel m = new GroupModel(sure, 0);
        long a = m.propose("x", steps(30, 10)); // founded on a->b x12, a->c x4
        m.advanceTo(1);
        a = m.resolve(a);
        assertThat(m.group(a).steps).isEqualTo(16);
        // a->b x200: q(b|a) = (12 + 1/3) / 17 = 0.7255, D = log2(1 / 0.7255) = 0.463 bits, one next
        // state (no bias). All 200 steps: 200 x (0.463 - 0.1) = 72.6 bits beyond, decisively; the 16
        // capped: 5.8 bits, not. The proposal founds a group of its own.
        Steps only = new Steps(new String[] {"a"}, new String[] {"b"}, new long[] {200});
        GroupModel.Typing all = m.type(only);
        assertThat(all.of(a).klBits()).isCloseTo(log2(17 / (12 + 1.0 / 3)), within(1e-12));
        assertThat(m.within(all.of(a), all)).isFalse();
        GroupModel.Typing capped = m.type(only.capped(16));
        assertThat(m.within(capped.of(a), capped)).isTrue();
        long b = m.propose("y", only);
        m.advanceTo(2);
        assertThat(m.size()).isEqualTo(2);
        assertThat(m.resolve(b)).isNotEqualTo(UserGroup.NONE).isNotEqualTo(a);
        assertThat(m.group(m.resolve(b)).steps).isEqualTo(16);
    }

    @Test
    void twoGroupsWithinTheLimitOfEachOtherThatAUsersPosteriorIsSplitBetweenMerge() {
        GroupModel m = new GroupModel(CONFIG, 0);
        long a = m.propose("a", steps(300, 100));
        m.advanceTo(1);
        // Founded apart (a's seed was all there was), later taught the same behaviour: 300 and 300 each.
        long b = m.propose("b", steps(100, 300));
        m.advanceTo(2);
        assertThat(m.size()).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            m.teach(m.resolve(b), steps(100, 0));
            m.teach(m.resolve(a), steps(0, 100));
        }
        m.advanceTo(3);
        m.splitBetween(m.resolve(a), m.resolve(b));
        m.advanceTo(4);
        assertThat(m.size()).isEqualTo(1);
        assertThat(m.resolve(a)).isEqualTo(m.resolve(b)).isNotEqualTo(UserGroup.NONE);
    }

    /** E[H^] of n draws over three outcomes with probabilities q, by enumerating every count vector (multinomial). */
    private static double expectedEntropyByEnumeration(int n, double[] q) {
        double expected = 0;
        for (int x = 0; x <= n; x++) {
            for (int y = 0; x + y <= n; y++) {
                int z = n - x - y;
                double p = factorial(n) / (factorial(x) * factorial(y) * factorial(z))
                        * Math.pow(q[0], x) * Math.pow(q[1], y) * Math.pow(q[2], z);
                double h = 0;
                for (int k : new int[] {x, y, z}) {
                    h -= k == 0 ? 0 : (double) k / n * log2((double) k / n);
                }
                expected += p * h;
            }
        }
        return expected;
    }

    private static double factorial(int n) {
        double f = 1;
        for (int i = 2; i <= n; i++) {
            f *= i;
        }
        return f;
    }

    @Test
    void theDivergenceASampleShowsFromItsOwnChainIsTheRowsEntropyLessTheSamplesExpectedEntropy() {
        // One draw's empirical distribution is a point: entropy 0 whatever the row.
        assertThat(GroupModel.expectedPlugIn(1, 0.3)).isZero();
        // Two draws: (1/2) log2 2 when they differ (X = 1, probability 2q(1 - q)).
        assertThat(GroupModel.expectedPlugIn(2, 0.3)).isCloseTo(0.3 * 0.7, within(1e-12));
        // Three draws: X = 1 with 3q(1-q)^2 at (1/3) log2 3, X = 2 with 3q^2(1-q) at (2/3) log2 (3/2).
        double q = 0.3;
        assertThat(GroupModel.expectedPlugIn(3, q)).isCloseTo(
                3 * q * (1 - q) * (1 - q) * log2(3) / 3 + 3 * q * q * (1 - q) * 2 * log2(1.5) / 3, within(1e-12));
        // Many draws of a fair coin: n (H - E[H^]) tends to Miller-Madow's (2 - 1) / (2 ln 2) = 0.721 bits.
        assertThat(10_000 * (1 - 2 * GroupModel.expectedPlugIn(10_000, 0.5))).isCloseTo(1 / (2 * Math.log(2)), within(1e-3));
        // Past its variance bound it is the expansion in 1/n: the same as the sum, to the sum's rounding.
        for (double p : new double[] {0.5, 0.1, 0.01, 0.001, 0.9}) {
            long atBound = (long) Math.ceil(GroupModel.PLUG_IN_EXPANSION_MIN_VARIANCE / (p * (1 - p)));
            for (long n : new long[] {atBound, 3 * atBound, 10 * atBound}) {
                assertThat(GroupModel.expectedPlugIn(n, p))
                        .as("n %d, q %s", n, p)
                        .isCloseTo(GroupModel.expectedPlugInBySum(n, p), within(3e-10));
            }
        }

        GroupModel m = twoGroups();
        GroupModel.Group a = m.group(m.ids().get(0));
        // Group A's row out of a over {a, b, c}: (3 + 1/3) / 5, (1 + 1/3) / 5 and (0 + 1/3) / 5.
        double[] row = {(3 + 1.0 / 3) / 5, (1 + 1.0 / 3) / 5, (1.0 / 3) / 5};
        double entropy = 0;
        for (double p : row) {
            entropy -= p * log2(p);
        }
        // Left once: the row's entropy (1.159 bits), all of it.
        assertThat(m.sampleDivergenceBits(a, java.util.Map.of("a", 1L), 3)).isCloseTo(entropy, within(1e-12));
        // Left twice: 2 (H - E[H^2]), E[H^2] = sum of q(1 - q) = 1 - sum of q^2.
        double squares = row[0] * row[0] + row[1] * row[1] + row[2] * row[2];
        assertThat(m.sampleDivergenceBits(a, java.util.Map.of("a", 2L), 3)).isCloseTo(2 * (entropy - (1 - squares)), within(1e-12));
        // Left six times: against every count vector enumerated.
        assertThat(m.sampleDivergenceBits(a, java.util.Map.of("a", 6L), 3))
                .isCloseTo(6 * (entropy - expectedEntropyByEnumeration(6, row)), within(1e-12));
    }

    @Test
    void twoThinGroupsOfOneKindMergeWhenTheyDifferByNoMoreThanSamplesOfTheirSizeDo() {
        GroupsModelConfig limit = ConfigLoader.load(null, List.of("model.groups.smoothing=1", "model.groups.kl-limit-bits=0.2",
                "model.groups.min-posterior=0.5", "model.groups.max-groups=4", "model.groups.max-teach-per-session=100")).model().groups();
        GroupModel m = new GroupModel(limit, 0);
        long a = m.propose("a", steps(4, 2));
        m.advanceTo(1);
        // (2, 4) against A's chain: 0.369 bits per step, less Miller-Madow's 1 / (12 ln 2) = 0.120: beyond 0.2, founded.
        long b = m.propose("b", steps(2, 4));
        m.advanceTo(2);
        assertThat(m.size()).isEqualTo(2);
        GroupModel.Group ga = m.group(m.resolve(a));
        GroupModel.Group gb = m.group(m.resolve(b));
        // The centroids' smoothed divergence is beyond the limit: (13/21) log2(13/7) - (7/21) log2(13/7) = 0.255 bits.
        double apart = (13.0 / 21 - 7.0 / 21) * log2(13.0 / 7);
        assertThat(m.divergence(ga, gb)).isCloseTo(apart, within(1e-12));
        assertThat(apart).isGreaterThan(0.2);
        // A's counts against B's chain, (1/6)(4 log2((4/6) / (7/21)) + 2 log2((2/6) / (13/21))), less what six
        // draws from B's row show by chance, 6 (H(qB) - E[H^6]) with qB = (7/21, 13/21, 1/21) over {b, c, a}.
        double[] rowB = {7.0 / 21, 13.0 / 21, 1.0 / 21};
        double entropyB = 0;
        for (double p : rowB) {
            entropyB -= p * log2(p);
        }
        double bits = 4 * log2((4.0 / 6) / rowB[0]) + 2 * log2((2.0 / 6) / rowB[1]);
        double excess = (bits - 6 * (entropyB - expectedEntropyByEnumeration(6, rowB))) / 6;
        assertThat(m.excessDivergence(ga, gb)).isCloseTo(excess, within(1e-12));
        assertThat(excess).isCloseTo(0.126, within(0.001)).isLessThan(0.2);
        // Mirror images: the same the other way. A user split between them makes them one.
        assertThat(m.excessDivergence(gb, ga)).isCloseTo(excess, within(1e-12));
        m.splitBetween(m.resolve(a), m.resolve(b));
        m.advanceTo(3);
        assertThat(m.size()).isEqualTo(1);
        assertThat(m.resolve(a)).isEqualTo(m.resolve(b)).isNotEqualTo(UserGroup.NONE);

        // Chains as far apart with ten times the steps are two groups: chance explains 0.1 of the difference, not 0.25.
        GroupModel far = new GroupModel(limit, 0);
        long c = far.propose("c", steps(40, 20));
        far.advanceTo(1);
        long d = far.propose("d", steps(20, 40));
        far.advanceTo(2);
        assertThat(far.excessDivergence(far.group(far.resolve(c)), far.group(far.resolve(d)))).isGreaterThan(0.2);
        far.splitBetween(far.resolve(c), far.resolve(d));
        far.advanceTo(3);
        assertThat(far.size()).isEqualTo(2);
    }
}
