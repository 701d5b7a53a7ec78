package io.surprisal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.surprisal.alert.Alert;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.Event;
import io.surprisal.model.BehaviourScorer;
import io.surprisal.model.UserProfile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The session vector against hand-computed values, through the scorer as the job runs it. */
class SessionFeaturesTest {
    private static final long HOUR = 3_600_000L;
    private final SurprisalConfig config = ConfigLoader.load(null, List.of("model.session.emit-vectors=true"));
    private final List<ClosedSession> closed = new ArrayList<>();
    private final BehaviourScorer scorer = new BehaviourScorer(config.model().transition(), config.model().session(),
            config.detectors(), config.alerts().maxEvents());
    private final SessionCloser closer = new SessionCloser(config, closed::add, scorer::population);

    private static Event event(long ts, String action, boolean fail, Double amount) {
        Event e = new Event();
        e.ts = ts;
        e.user = "jane";
        e.session = "s-" + (ts / (10 * HOUR));
        e.action = action;
        e.fail = fail;
        e.amount = amount;
        return e;
    }

    @Test
    void aClosedSessionBecomesItsVector() {
        scorer.addSessionListener(closer);
        closer.setKey("jane");
        UserProfile p = new UserProfile();
        List<Alert> alerts = new ArrayList<>();
        long t0 = 14 * HOUR + 30 * 60_000; // 14:30 UTC on 1970-01-01
        // Session 1: login fails, login, view, buy 30.00, buy 12.50, logout: 6 events over 100 s.
        long[] at = {0, 10_000, 30_000, 60_000, 80_000, 100_000};
        String[] actions = {"login", "login", "view_item", "buy_item", "buy_item", "logout"};
        Double[] amounts = {null, null, null, 30.0, 12.5, null};
        for (int i = 0; i < at.length; i++) {
            scorer.onEvent(p, event(t0 + at[i], actions[i], i == 0, amounts[i]), alerts);
        }
        // The end a site sends after a logout is not a visit: no vector.
        scorer.onEvent(p, event(t0 + 101_000, "end", false, null), alerts);
        // Session 2, an hour after session 1 ended: one comment, then password_reset 40 s later; closed by inactivity.
        long t1 = t0 + 100_000 + HOUR;
        scorer.onEvent(p, event(t1, "comment", false, null), alerts);
        scorer.onEvent(p, event(t1 + 40_000, "password_reset", false, null), alerts);
        scorer.advanceTo(t1 + 40_000 + 30 * 60_000);
        scorer.closeSession(p, "inactivity", alerts);

        assertThat(closed).hasSize(2);
        ClosedSession first = closed.get(0);
        assertThat(first.user).isEqualTo("jane");
        assertThat(first.tenant).isNull();
        assertThat(first.closedBy).isEqualTo("logout");
        assertThat(first.start).isEqualTo(t0);
        assertThat(first.ts).isEqualTo(t0 + 100_000);
        double[] f = first.features;
        assertThat(f[SessionFeatures.EVENTS]).isEqualTo(6);
        assertThat(f[SessionFeatures.DURATION_S]).isEqualTo(100);
        assertThat(f[SessionFeatures.MEAN_GAP_S]).isEqualTo(20); // 100 s over 5 gaps
        assertThat(f[SessionFeatures.ACTIONS + ActionClass.LOGIN]).isEqualTo(2);
        assertThat(f[SessionFeatures.ACTIONS + ActionClass.BROWSE]).isEqualTo(1);
        assertThat(f[SessionFeatures.ACTIONS + ActionClass.BUY]).isEqualTo(2);
        assertThat(f[SessionFeatures.ACTIONS + ActionClass.END]).isEqualTo(1);
        assertThat(f[SessionFeatures.FAILURES]).isEqualTo(1);
        assertThat(f[SessionFeatures.AMOUNT]).isEqualTo(42.5);
        assertThat(f[SessionFeatures.HOUR]).isCloseTo(14.5, within(1e-12));
        assertThat(f[SessionFeatures.VISIT_GAP_S]).as("no previous session known").isNaN();
        assertThat(f[SessionFeatures.BITS]).isPositive();

        double[] g = closed.get(1).features;
        assertThat(closed.get(1).closedBy).isEqualTo("inactivity");
        assertThat(g[SessionFeatures.EVENTS]).isEqualTo(2);
        assertThat(g[SessionFeatures.DURATION_S]).isEqualTo(40);
        assertThat(g[SessionFeatures.MEAN_GAP_S]).isEqualTo(40);
        assertThat(g[SessionFeatures.ACTIONS + ActionClass.SOCIAL]).isEqualTo(1);
        assertThat(g[SessionFeatures.ACTIONS + ActionClass.ACCOUNT]).isEqualTo(1);
        assertThat(g[SessionFeatures.FAILURES]).isZero();
        assertThat(g[SessionFeatures.AMOUNT]).isZero();
        // From the end event (the last of the previous session the scorer closed) to this start.
        assertThat(g[SessionFeatures.VISIT_GAP_S]).isEqualTo(HOUR / 1000 - 1);
        assertThat(SessionVectorJson.toJson(closed.get(1))).isEqualTo("{\"user\":\"jane\",\"session\":\"s-1\",\"start\":\"1970-01-01T15:31:40Z\","
                + "\"ts\":\"1970-01-01T15:32:20Z\",\"closed_by\":\"inactivity\",\"features\":{\"events\":2,\"duration_s\":40,\"mean_gap_s\":40,"
                + "\"login\":0,\"browse\":0,\"buy\":0,\"sell\":0,\"account\":1,\"social\":1,\"end\":0,\"other\":0,\"failures\":0,"
                + "\"bits\":" + jsonNumber(g[SessionFeatures.BITS]) + ",\"excess_bits\":" + jsonNumber(g[SessionFeatures.EXCESS_BITS])
                + ",\"amount\":0,\"hour\":15.528,\"visit_gap_s\":3599}}");
    }

    private static String jsonNumber(double v) {
        double r = io.surprisal.alert.AlertJson.round3(v);
        return r == Math.rint(r) ? Long.toString((long) r) : Double.toString(r);
    }

    @Test
    void measuresAreJudgedOnTheirOwnScales() {
        double[] f = new double[SessionFeatures.COUNT];
        SessionTally t = new SessionTally();
        Event e = new Event();
        e.action = "view";
        t.add(e, -1);
        t.add(e, 1_000);
        assertThat(SessionMeasure.PACE.value(f, t)).as("pace needs three events").isNaN();
        t.add(e, 7_000);
        // The geometric mean of the gaps plus a second, less the second: sqrt(2 x 8) - 1 = 3.
        assertThat(SessionMeasure.PACE.value(f, t)).isCloseTo(3, within(1e-12));
        assertThat(t.gaps).isEqualTo(2);
        assertThat(t.sumLogGap).isCloseTo(Math.log(2) + Math.log(8), within(1e-12));
        assertThat(t.sumSquaredLogGap).isCloseTo(Math.log(2) * Math.log(2) + Math.log(8) * Math.log(8), within(1e-12));
        t.closeAt(10_000);
        assertThat(t.gaps).as("a closed session's gaps are forgotten").isZero();
        // Pace: the log of the gap plus a second, negated; a gap of 0 s is 4 times faster than one of 3 s.
        assertThat(SessionMeasure.PACE.log(3)).isCloseTo(-Math.log(4), within(1e-12));
        assertThat(SessionMeasure.PACE.valueOf(SessionMeasure.PACE.log(3))).isCloseTo(3, within(1e-12));
        assertThat(SessionMeasure.PACE.ratio(0, 3)).isCloseTo(4, within(1e-12));
        assertThat(SessionMeasure.DURATION.log(60)).isCloseTo(Math.log(120), within(1e-12));
        assertThat(SessionMeasure.DURATION.ratio(3 * 3600 + 600, 540)).isCloseTo((11_400 + 60) / 600.0, within(1e-12));
        assertThat(SessionMeasure.duration(11_400)).isEqualTo("3 h 10 min");
        assertThat(SessionMeasure.duration(540)).isEqualTo("9 min");
        assertThat(SessionMeasure.duration(0.8)).isEqualTo("0.8 s");
        assertThat(SessionMeasure.duration(3 * 86_400 + 4 * 3600)).isEqualTo("3 d 4 h");
        assertThat(SessionMeasure.VISIT_GAP.observed(7200)).isEqualTo("visit came 2 h after their previous one");
    }
}
