package io.surprisal.visitlength;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.surprisal.model.PopulationTransitions;
import io.surprisal.model.UserProfile;
import org.junit.jupiter.api.Test;

/** The law of a visit's length against chains whose tails are known in closed form. */
class VisitLengthLawTest {
    private static final double LOG2_09 = Math.log(0.9) / Math.log(2);

    /** Visits that start with a view; after a view, {@code loops} more views and {@code exits} of {@code exit} (none if null). */
    private static PopulationTransitions views(double smoothing, long loops, String exit, long exits) {
        PopulationTransitions steps = new PopulationTransitions(smoothing, 1_000);
        steps.observe(UserProfile.START, "view_item:success", 1_000);
        if (loops > 0) {
            steps.observe("view_item:success", "view_item:success", loops);
        }
        if (exit != null) {
            steps.observe("view_item:success", exit, exits);
        }
        return steps;
    }

    /** Every visit starts with a view; each view is followed by another view 9 times in 10, else by an end event. */
    private static PopulationTransitions viewsThenEnd() {
        return views(0.0, 900, "end:success", 100);
    }

    @Test
    void aVisitEndingAtAnEndEventHasAtLeastLEventsWithChanceNineTenthsToTheLMinus2() {
        VisitLengthLaw law = VisitLengthLaw.of(viewsThenEnd(), new VisitEnds(), 0.0);
        // The first view is certain, so is a second event; then each further one is a view 9 times in 10.
        assertThat(law.tailBits(1)).isZero();
        assertThat(law.tailBits(2)).isCloseTo(0.0, within(1e-12));
        for (int events : new int[] {3, 10, 50, 200}) {
            assertThat(law.tailBits(events)).as("%d events", events).isCloseTo(-(events - 2) * LOG2_09, within(1e-9));
        }
    }

    @Test
    void aVisitThatLeavesWithoutAnEventHasAtLeastLEventsWithChanceNineTenthsToTheLMinus1() {
        PopulationTransitions steps = views(0.0, 900, null, 0);
        VisitEnds ends = new VisitEnds();
        ends.add("view_item:success", 100);
        VisitLengthLaw law = VisitLengthLaw.of(steps, ends, 0.0);
        assertThat(law.tailBits(2)).isCloseTo(-LOG2_09, within(1e-9));
        assertThat(law.tailBits(30)).isCloseTo(-29 * LOG2_09, within(1e-9));
    }

    @Test
    void betweenWholeEventsTheBitsAreInterpolatedAndFarBeyondTheyStopAtTheCap() {
        VisitLengthLaw law = VisitLengthLaw.of(viewsThenEnd(), new VisitEnds(), 0.0);
        assertThat(law.tailBits(10.25)).isCloseTo(law.tailBits(10) + 0.25 * (law.tailBits(11) - law.tailBits(10)), within(1e-9));
        // 0.9^10000 is far below a double: the walk keeps its scale apart, and stops at the cap.
        assertThat(law.tailBits(5_000)).isCloseTo(-4_998 * LOG2_09, within(1e-6));
        assertThat(law.tailBits(10_000)).isEqualTo(VisitLengthLaw.MAX_BITS);
        PopulationTransitions halves = views(0.0, 10, "logout:success", 10);
        assertThat(VisitLengthLaw.of(halves, new VisitEnds(), 0.0).tailBits(502)).as("past 2^-332, where the walk rescales")
                .isCloseTo(500.0, within(1e-6));
    }

    @Test
    void theEndASiteSendsAfterALogoutIsASessionOfItsOwnNotAVisitsFirstEvent() {
        PopulationTransitions steps = viewsThenEnd();
        steps.observe(UserProfile.START, "end:success", 1_000); // as many sessions of a trailing end alone
        VisitLengthLaw law = VisitLengthLaw.of(steps, new VisitEnds(), 0.0);
        assertThat(law.tailBits(2)).isCloseTo(0.0, within(1e-12));
        assertThat(law.tailBits(12)).isCloseTo(-10 * LOG2_09, within(1e-9));
    }

    @Test
    void aVisitThatCannotGoOnHasNoChanceOfOneMoreEvent() {
        VisitLengthLaw law = VisitLengthLaw.of(views(0.0, 0, "logout:success", 10), new VisitEnds(), 0.0);
        assertThat(law.tailBits(2)).as("view, logout").isZero();
        assertThat(law.tailBits(3)).isEqualTo(VisitLengthLaw.MAX_BITS);
        assertThat(law.tailBits(2.5)).as("halfway to the cap").isCloseTo(VisitLengthLaw.MAX_BITS / 2, within(1e-9));
    }

    @Test
    void pastTheLongestWalkTheTailGoesOnAtItsLastRate() {
        VisitLengthLaw law = VisitLengthLaw.of(views(0.0, 999_999, "end:success", 1), new VisitEnds(), 0.0);
        double perEvent = -Math.log(0.999_999) / Math.log(2);
        assertThat(law.tailBits(VisitLengthLaw.MAX_WALK + 50_000)).isCloseTo((VisitLengthLaw.MAX_WALK + 50_000 - 2) * perEvent, within(1e-6));
    }

    @Test
    void logoutAndEndCloseAVisitAndNothingElseDoes() {
        assertThat(VisitLengthLaw.endsVisit("logout:success")).isTrue();
        assertThat(VisitLengthLaw.endsVisit("end:fail")).isTrue();
        assertThat(VisitLengthLaw.endsVisit("login:success")).isFalse();
        assertThat(VisitLengthLaw.endsVisit("endorse:success")).isFalse();
    }

    @Test
    void smoothingGivesEveryStateAChanceToEndTheVisitSoNoLawIsWithoutEnd() {
        PopulationTransitions steps = views(0.5, 1_000, null, 0);
        steps.observe("comment:success", "logout:success", 1);
        VisitLengthLaw law = VisitLengthLaw.of(steps, new VisitEnds(), 0.5);
        assertThat(law.tailBits(100)).isPositive().isLessThan(law.tailBits(1_000));
    }
}
