package io.surprisal.session;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertBuilder;
import io.surprisal.amount.AmountDetector;
import io.surprisal.config.SurprisalConfig.SessionProfileDetectorConfig;
import io.surprisal.detector.ClosedVisit;
import io.surprisal.detector.ClosedVisit.UsualEvents;
import io.surprisal.detector.ClosedVisitDetector;
import io.surprisal.model.MultipleTests;
import io.surprisal.model.BehaviourScorer;
import io.surprisal.model.TopEventStore;
import io.surprisal.model.UserProfile;
import io.surprisal.usual.BlendedLogModel;
import io.surprisal.usual.BlendedLogModel.Judgement;
import io.surprisal.usual.BlendedLogModel.Prediction;
import io.surprisal.usual.JointYardstick;
import io.surprisal.usual.LogMoments;
import io.surprisal.usual.LogPopulation;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Detector {@code session-profile}: a closed session far above the user's own usual in one of its
 * {@link SessionMeasure}s (events, duration, pace, time since the previous visit). Each measure's
 * log is judged by its own {@link BlendedLogModel}, the machinery of detector {@code amount}: the
 * user's sessions blended with the population's, a Student t tail calibrated on the population's
 * ordinary sessions. Measures in {@code alert-on} may alert; the others are reasons only (docs/detectors.md
 * says which are too noisy per user to alert on their own). The bar: {@code threshold-bits} plus
 * log2 of the tests, the alerting measures times the user's sessions in the false-alarm window;
 * the value must also be at least {@code min-ratio} times the usual. Plain Java.
 */
public final class SessionProfileDetector implements ClosedVisitDetector {
    public static final String DETECTOR = "session-profile";
    /** Its union list state: each measure's population and the length's yardstick, per instance. */
    public static final String STATE = "population-session-measures";
    private static final double USUAL_QUANTILE = 0.9;

    private final SessionProfileDetectorConfig config;
    private final long falseAlarmWindowMs;
    private final long teachingWindowMs;
    private final BlendedLogModel[] models = new BlendedLogModel[SessionMeasure.COUNT];
    private final Set<SessionMeasure> alerting = EnumSet.noneOf(SessionMeasure.class);
    /** Per measure, this session's log and judgement (reused: no allocation per session beyond the judgements). */
    private final double[] logs = new double[SessionMeasure.COUNT];
    private final double[] values = new double[SessionMeasure.COUNT];
    private final Judgement[] judged = new Judgement[SessionMeasure.COUNT];
    /**
     * The visit's length, asked by events and duration together: the yardstick of the more
     * surprising of the two on ordinary visits, which says how many tests they are (null unless both
     * alert). A long visit is long in both; counted as two tests, one departure would pay twice.
     */
    private final JointYardstick length;

    public SessionProfileDetector(SessionProfileDetectorConfig config, Duration falseAlarmWindow, Duration teachingWindow) {
        this.config = config;
        this.falseAlarmWindowMs = falseAlarmWindow.toMillis();
        this.teachingWindowMs = teachingWindow.toMillis();
        for (int i = 0; i < models.length; i++) {
            models[i] = new BlendedLogModel(config.minPopulationSessions());
        }
        for (String key : config.alertOn()) {
            alerting.add(SessionMeasure.byKey(key));
        }
        boolean lengthTogether = alerting.contains(SessionMeasure.EVENTS) && alerting.contains(SessionMeasure.DURATION);
        this.length = lengthTogether ? new JointYardstick(config.minPopulationSessions()) : null;
    }

    @Override
    public String detector() {
        return DETECTOR;
    }

    @Override
    public String stateName() {
        return STATE;
    }

    @Override
    public void advanceTo(long ts) {
        for (BlendedLogModel m : models) {
            m.advanceTo(ts);
        }
        if (length != null) {
            length.advanceTo(ts);
        }
    }

    @Override
    public Alert onVisitClosed(ClosedVisit v) {
        return onSessionClosed(v.profile(), v.events(), v.features(), v.user(), v.tenant(), v.maxEvents());
    }

    /**
     * Judges the closed session {@code f} of the user with profile {@code p} (called before the
     * profile forgets the session, after {@link #advanceTo} the closing instant), then learns it;
     * returns the alert, or null.
     */
    public Alert onSessionClosed(UserProfile p, TopEventStore top, double[] f, String user, String tenant, int maxEvents) {
        SessionHabits habits = p.habits;
        int alertingJudged = 0;
        SessionTally t = p.tally;
        for (SessionMeasure m : SessionMeasure.values()) {
            logs[m.ordinal()] = Double.NaN;
            double value = m.value(f, t);
            values[m.ordinal()] = value;
            if (!Double.isNaN(value)) {
                logs[m.ordinal()] = m == SessionMeasure.PACE ? -t.sumLogGap / t.gaps : m.log(value);
                alertingJudged += alerting.contains(m) ? 1 : 0;
            }
        }
        // Events and duration together are between one test and two (JointYardstick.effectiveTests): the bar is at least that of one.
        boolean lengthTogether = length != null;
        double fewestTests = alertingJudged - (lengthTogether ? 1 : 0);
        double lowestBar = MultipleTests.bar(config.thresholdBits(), fewestTests * p.sessionsInWindow);
        SessionMeasure worst = null;
        double worstBits = 0;
        for (SessionMeasure m : SessionMeasure.values()) {
            int i = m.ordinal();
            judged[i] = null;
            if (Double.isNaN(logs[i])) {
                continue;
            }
            // A calibrated tail is at most MAX_RAISE times the model's bits: only an alerting measure's tail that may reach
            // the bar so is calibrated now; reasons are calibrated when an alert is made.
            double calibrateFrom = alerting.contains(m) ? lowestBar / LogPopulation.MAX_RAISE : Double.POSITIVE_INFINITY;
            judged[i] = m == SessionMeasure.PACE
                    ? models[i].judgeMean(habits.of(m), logs[i], t.gaps, gapVariance(t), calibrateFrom)
                    : models[i].judge(habits.of(m), logs[i], calibrateFrom);
            Judgement j = judged[i];
            if (alerting.contains(m) && j != null && j.calibrated() != null && j.calibrated().bits() > worstBits && farEnough(m, j)) {
                worst = m;
                worstBits = j.calibrated().bits();
            }
        }
        double tests = alertingJudged;
        if (worst != null && worstBits >= lowestBar && lengthTogether) {
            // Only a visit that may alert needs the length's tests counted (a pass over the yardsticks).
            tests = alertingJudged - 2 + length.effectiveTests(models[SessionMeasure.EVENTS.ordinal()].population(),
                    models[SessionMeasure.DURATION.ordinal()].population());
        }
        double bar = MultipleTests.bar(config.thresholdBits(), tests * p.sessionsInWindow);
        Alert alert = null;
        if (config.enabled() && worst != null && worstBits >= bar) {
            alert = alert(p, top, f, user, tenant, worst, bar, tests, maxEvents);
        }
        if (alert == null) {
            boolean ordinary = p.teachesAt(p.lastTs, teachingWindowMs);
            boolean teach = ordinary && p.mayTeachSessionMeasures(p.lastTs, teachingWindowMs, config.maxPopulationSessionsPerUser());
            Judgement events = judged[SessionMeasure.EVENTS.ordinal()];
            Judgement duration = judged[SessionMeasure.DURATION.ordinal()];
            if (ordinary && length != null && events != null && duration != null) {
                length.count(Math.max(events.modelBits(), duration.modelBits()), habits.of(SessionMeasure.EVENTS).count);
            }
            for (SessionMeasure m : SessionMeasure.values()) {
                int i = m.ordinal();
                if (Double.isNaN(logs[i])) {
                    continue;
                }
                LogMoments h = habits.of(m);
                if (m == SessionMeasure.PACE) {
                    // Per gap: the pace's logs are the gaps' logs negated.
                    if (teach) {
                        models[i].teachBatch(t.gaps, -t.sumLogGap, t.sumSquaredLogGap, -t.sumCubedLogGap, h, judged[i]);
                    } else if (ordinary) {
                        models[i].countJudgedMean(t.gaps, h, judged[i]);
                    }
                    models[i].learnBatch(h, t.gaps, -t.sumLogGap, t.sumSquaredLogGap, config.maxEvidence());
                    continue;
                }
                if (teach) {
                    models[i].teach(logs[i], h, judged[i]);
                } else if (ordinary) {
                    models[i].countJudged(h, judged[i]);
                }
                models[i].learn(h, logs[i], config.maxEvidence());
            }
        }
        return alert;
    }

    /** Whether the session's value of {@code m} is at least min-ratio times the usual. */
    private boolean farEnough(SessionMeasure m, Judgement j) {
        int i = m.ordinal();
        return m.ratio(values[i], m.valueOf(j.prediction().location())) >= config.minRatio();
    }

    /** The sample variance of the session's gaps' logs. */
    private static double gapVariance(SessionTally t) {
        if (t.gaps < 2) {
            return 0;
        }
        double mean = t.sumLogGap / t.gaps;
        return Math.max(0, t.sumSquaredLogGap - t.gaps * mean * mean) / (t.gaps - 1);
    }

    private Alert alert(UserProfile p, TopEventStore top, double[] f, String user, String tenant, SessionMeasure worst, double bar, double tests,
            int maxEvents) {
        Judgement w = judged[worst.ordinal()];
        double value = values[worst.ordinal()];
        AlertBuilder a = AlertBuilder.of(DETECTOR, p.lastTs, user, p.sessionId, maxEvents)
                .tenant(tenant)
                .bits(w.calibrated().bits(), bar)
                .summary(String.format(Locale.ROOT, "%s's %s; their usual is %s: %.1f bits, above %.1f + log2(%s x %.1f sessions in the past %s) = %.1f",
                        user, worst.observed(value), usual(worst, w.prediction()), w.calibrated().bits(), config.thresholdBits(),
                        testsText(tests), Math.max(1.0, p.sessionsInWindow), MultipleTests.windowText(Duration.ofMillis(falseAlarmWindowMs)),
                        bar));
        a.reason(worst.key, worst.text(value), detail(worst, value, w), w.calibrated().bits());
        for (SessionMeasure m : SessionMeasure.values()) {
            Judgement j = judged[m.ordinal()];
            if (m != worst && j != null && models[m.ordinal()].ready()) {
                j = new Judgement(j.prediction(), j.modelBits(), m == SessionMeasure.PACE
                        ? models[m.ordinal()].calibrateMean(j, p.tally.gaps)
                        : models[m.ordinal()].calibrate(j, p.habits.of(m)));
                a.reason(m.key, m.text(values[m.ordinal()]), detail(m, values[m.ordinal()], j) + (alerting.contains(m) ? "" : " (a reason only)"),
                        j.calibrated().bits());
            }
        }
        BehaviourScorer.addSessionEvents(a, p, top);
        return a.build();
    }

    private static String detail(SessionMeasure m, double value, Judgement j) {
        LogPopulation.Calibrated c = j.calibrated();
        return String.format(Locale.ROOT, "%s; %.1fx the median; this far or further: 1 in %s by the user's history, and %d of the population's %d ordinary sessions%s as surprising",
                usual(m, j.prediction()), m.ratio(value, m.valueOf(j.prediction().location())), AmountDetector.oneIn(j.modelBits()),
                c.atLeast(), c.of(), !c.sameEvidence() ? "" : m == SessionMeasure.PACE ? " with as many gaps" : " by users with as much history");
    }

    /** "3 tests", "2.4 tests". */
    static String testsText(double tests) {
        return tests == Math.rint(tests) ? String.format(Locale.ROOT, "%.0f %s", tests, tests == 1 ? "test" : "tests")
                : String.format(Locale.ROOT, "%.1f tests", tests);
    }

    /** "4 min to 20 min (median 9 min, from 12 sessions, blended with the population's)". */
    static String usual(SessionMeasure m, Prediction p) {
        // The upper quantile of the log is the far end of the usual; for pace that is the shorter gap.
        double low = m.valueOf(p.logAt(1 - USUAL_QUANTILE));
        double high = m.valueOf(p.logAt(USUAL_QUANTILE));
        // Pace is learned per gap between events, the other measures per session.
        String unit = m == SessionMeasure.PACE ? "gap" : "session";
        String from = p.values() == 0
                ? "as the population's, no " + unit + " of theirs yet"
                : String.format(Locale.ROOT, "from %d %s%s, blended with the population's", p.values(), unit, p.values() == 1 ? "" : "s");
        return String.format(Locale.ROOT, "%s to %s (median %s, %s)",
                m.text(Math.min(low, high)), m.text(Math.max(low, high)), m.text(m.valueOf(p.location())), from);
    }

    /** Sessions judged while a measure's population was warming up, summed over the measures. */
    @Override
    public long warmingUp() {
        long n = 0;
        for (BlendedLogModel m : models) {
            n += m.warmingUp();
        }
        return n;
    }

    /**
     * How far the user's usual events per session, their history blended with the population's, lie
     * from the population's: the log of the ratio, and the usual itself; null until the population
     * predicts. Asked before the session is learned ({@link #onSessionClosed} learns it).
     */
    public UsualEvents usualEvents(UserProfile p) {
        BlendedLogModel m = models[SessionMeasure.EVENTS.ordinal()];
        if (!m.predicts()) {
            return null;
        }
        Prediction user = m.predict(p.habits.of(SessionMeasure.EVENTS));
        Prediction population = m.predict(new LogMoments());
        return new UsualEvents(user.location() - population.location(), SessionMeasure.EVENTS.valueOf(user.location()), user.values());
    }

    public BlendedLogModel model(SessionMeasure m) {
        return models[m.ordinal()];
    }

    /**
     * Each measure's population with the current instant's sessions, for a checkpoint: one entry
     * per measure, its ordinal in front of the population tagged with the instance (see InstanceShares).
     */
    public List<byte[]> toTaggedEntries(int owner, int parallelism) {
        List<byte[]> entries = new ArrayList<>(models.length + 1);
        for (int i = 0; i < models.length; i++) {
            entries.add(entry(i, models[i].populationForCheckpoint().toTaggedBytes(owner, parallelism)));
        }
        if (length != null) {
            entries.add(entry(LENGTH_ENTRY, length.forCheckpoint().toTaggedBytes(owner, parallelism)));
        }
        return entries;
    }

    /** The entry of the length's yardstick, after the measures' (a state written without it has none). */
    static final int LENGTH_ENTRY = SessionMeasure.COUNT;

    private static byte[] entry(int index, byte[] tagged) {
        return ByteBuffer.allocate(4 + tagged.length).putInt(index).put(tagged).array();
    }

    @Override
    public int ownerOf(byte[] entry) {
        return ByteBuffer.wrap(entry).getInt(4);
    }

    @Override
    public int parallelismOf(byte[] entry) {
        return ByteBuffer.wrap(entry).getInt(8);
    }

    @Override
    public List<byte[]> snapshot(int owner, int parallelism) {
        return toTaggedEntries(owner, parallelism);
    }

    @Override
    public void restore(List<byte[]> entries, int owners, int me) {
        restore(entries, owners);
    }

    /**
     * Restores the entries InstanceShares selected, each measure's populations merged and shared
     * among {@code owners}; a state written without the length's yardstick restores it empty (events
     * and duration are two tests until it has counted min-population-sessions visits again).
     */
    public void restore(List<byte[]> entries, int owners) {
        LogPopulation[] restored = new LogPopulation[models.length + 1];
        for (int i = 0; i < restored.length; i++) {
            restored[i] = new LogPopulation();
        }
        for (byte[] e : entries) {
            int measure = ByteBuffer.wrap(e).getInt(0);
            if (measure < restored.length) {
                restored[measure].merge(LogPopulation.fromTaggedBytes(Arrays.copyOfRange(e, 4, e.length)).sharedBy(owners));
            }
        }
        for (int i = 0; i < models.length; i++) {
            models[i].restore(restored[i]);
        }
        if (length != null) {
            length.restore(restored[LENGTH_ENTRY]);
        }
    }

    /** The yardstick of the visit's length (events and duration together), or null when they do not both alert. */
    public JointYardstick length() {
        return length;
    }
}
