package io.surprisal.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.model.UserProfile;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Typing and teaching at a session close, and re-typing a user against the groups as they are now,
 * from their steps at their last close.
 */
class BehaviourGroupsTest {
    private static final SurprisalConfig CONFIG = ConfigLoader.load(null, List.of(
            "model.groups.smoothing=1", "model.groups.kl-limit-bits=0.1", "model.groups.min-posterior=0.5", "model.groups.max-groups=4",
            "model.groups.max-teach-per-session=100", "model.groups.min-transitions=4"));

    private static Steps steps(long ab, long ac) {
        return new Steps(new String[] {"a", "a"}, new String[] {"b", "c"}, new long[] {ab, ac});
    }

    /** A profile that took a->b {@code ab} times and a->c {@code ac} times, counted as at a close. */
    private static UserProfile profile(long ab, long ac) {
        UserProfile p = new UserProfile();
        p.states = new String[] {UserProfile.START, "a", "b", "c"};
        p.transitions = new long[] {(1L << 48) | (2L << 32) | ab, (1L << 48) | (3L << 32) | ac};
        return p;
    }

    private static BehaviourGroups groups() {
        return new BehaviourGroups(CONFIG.model().groups(), CONFIG.detectors().groupChange(), Duration.ofDays(1), 10, 0);
    }

    @Test
    void aUserTypedBeforeTheGroupOfTheirKindWasFoundedMovesToItWhenRetyped() {
        BehaviourGroups g = groups();
        GroupModel m = g.model();
        m.propose("x", steps(3, 1));
        m.advanceTo(1);
        long a = m.ids().get(0);
        UserProfile p = profile(1, 3);
        UserGroup u = new UserGroup();
        u.seen = Steps.countsOf(p);
        u.group = a; // typed while group a was the only one
        m.move(UserGroup.NONE, a);

        m.propose("y", steps(1, 3));
        m.advanceTo(2);
        long b = m.ids().get(1);
        g.retype(p, u, 3);

        assertThat(u.group).isEqualTo(b);
        assertThat(u.posterior).isGreaterThanOrEqualTo(0.5);
        m.advanceTo(4);
        assertThat(m.members(b)).isEqualTo(1);
        assertThat(m.members(a)).isZero();
    }

    @Test
    void stepsAfterTheLastCloseAndTooFewStepsChangeNothing() {
        BehaviourGroups g = groups();
        GroupModel m = g.model();
        m.propose("x", steps(3, 1));
        m.propose("y", steps(1, 3));
        m.advanceTo(1);
        long a = m.ids().get(0);
        UserProfile p = profile(4, 0);
        UserGroup u = new UserGroup();
        u.seen = Steps.countsOf(p);
        u.group = a;
        p.transitions[1] += 12; // a->c x12 in the open session: not yet counted at a close

        g.retype(p, u, 2);
        assertThat(u.group).isEqualTo(a);

        UserGroup fresh = new UserGroup();
        fresh.seen = Steps.countsOf(profile(1, 2)); // 3 steps, under min-transitions
        g.retype(profile(1, 2), fresh, 3);
        assertThat(fresh.group).isEqualTo(UserGroup.NONE);
    }

    @Test
    void aFounderWhoseGroupIsStillPendingKeepsIt() {
        BehaviourGroups g = groups();
        GroupModel m = g.model();
        m.propose("x", steps(3, 1));
        m.advanceTo(1);
        UserProfile p = profile(3, 1);
        UserGroup u = new UserGroup();
        u.seen = Steps.countsOf(p);
        u.group = m.propose("z", steps(1, 3));

        g.retype(p, u, 1); // the same instant: the proposal waits for event time to move on

        assertThat(u.group).isEqualTo(GroupModel.provisionalId("z"));
    }
    @Test
    void aShortHistoryNotDecisivelyBeyondItsGroupIsTypedIntoItButTeachesItOnlyWhenMoreLikelyWithin() {
        // min-posterior 0.99: decisively beyond is N (D - bias - limit) > log2(99) = 6.63 bits.
        SurprisalConfig sure = ConfigLoader.load(null, List.of("model.groups.smoothing=1", "model.groups.kl-limit-bits=0.1",
                "model.groups.min-posterior=0.99", "model.groups.max-teach-per-session=100", "model.groups.min-transitions=4",
                "model.groups.min-session-transitions=100"));
        BehaviourGroups g = new BehaviourGroups(sure.model().groups(), sure.detectors().groupChange(), Duration.ofDays(1), 10, 0);
        GroupModel m = g.model();
        m.propose("x", steps(30, 10));
        m.advanceTo(1);
        long a = m.ids().get(0);
        assertThat(m.group(a).steps).isEqualTo(40);
        // Vocabulary {a, b, c}: q(b|a) = (30 + 1/3) / 41 = 0.7398, q(c|a) = (10 + 1/3) / 41 = 0.2520.
        // a->b x1, a->c x3: D = 0.25 log2(0.25 / 0.7398) + 0.75 log2(0.75 / 0.2520) = 0.789 bits, less
        // Miller-Madow's 1 / (2 x 4 ln 2) = 0.180: 0.609, beyond the limit 0.1 by 4 x 0.509 = 2.04
        // bits, not decisively (6.63). The only group, and within: typed into it (posterior 1), but
        // its steps more likely lie beyond the limit than within: they teach it nothing.
        double d = 0.25 * log2(0.25 / ((30 + 1.0 / 3) / 41)) + 0.75 * log2(0.75 / ((10 + 1.0 / 3) / 41));
        assertThat(d).isCloseTo(0.789, within(0.001));
        UserGroup far = new UserGroup();
        assertThat(g.onSessionClose("far", profile(1, 3), null, far, 2)).isNull();
        assertThat(far.group).isEqualTo(a);
        assertThat(far.posterior).isEqualTo(1.0);
        m.advanceTo(3);
        assertThat(m.group(a).steps).isEqualTo(40);
        assertThat(m.members(a)).isEqualTo(1);

        // a->b x3, a->c x1: D = 0.75 log2(0.75 / 0.7398) + 0.25 log2(0.25 / 0.2520) = 0.012 bits,
        // under the bias (0.180): within the limit, and taught.
        UserGroup near = new UserGroup();
        g.onSessionClose("near", profile(3, 1), null, near, 4);
        assertThat(near.group).isEqualTo(a);
        m.advanceTo(5);
        assertThat(m.group(a).steps).isEqualTo(44);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
