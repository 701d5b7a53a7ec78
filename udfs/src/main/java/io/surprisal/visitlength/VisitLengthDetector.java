package io.surprisal.visitlength;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertBuilder;
import io.surprisal.amount.AmountDetector;
import io.surprisal.config.SurprisalConfig.VisitLengthDetectorConfig;
import io.surprisal.detector.ClosedVisit;
import io.surprisal.detector.ClosedVisit.UsualEvents;
import io.surprisal.detector.ClosedVisitDetector;
import io.surprisal.flink.InstanceShares;
import io.surprisal.model.BehaviourScorer;
import io.surprisal.model.MultipleTests;
import io.surprisal.model.PopulationTransitions;
import io.surprisal.model.TopEventStore;
import io.surprisal.model.TransitionCount;
import io.surprisal.model.UserProfile;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Detector {@code visit-length}: a closed visit longer than the population's chain of steps lets
 * visits be ({@link VisitLengthLaw}), for the user's own usual length. A visit of a user whose
 * sessions are twice the population's is judged at half its events: the user's usual, their
 * history blended with the population's, comes from detector {@code session-profile} when it is on.
 * The law's bits are calibrated on the population's ordinary visits ({@link LengthTail}); the bar is
 * {@code threshold-bits} plus log2 of the user's sessions in the false-alarm window, and the visit
 * must have at least {@code min-ratio} times the user's usual events. Plain Java; the per-user
 * operator owns one per parallel instance.
 */
public final class VisitLengthDetector implements ClosedVisitDetector {
    public static final String DETECTOR = "visit-length";
    /** Its union list state: its calibration's ordinary visits, the population's leavings and the law's counts, per instance. */
    public static final String STATE = "population-visit-length";
    /** Rebuild the law once the population's steps or leavings grew by this share (or by {@link #REBUILD_STEPS}). */
    private static final double REBUILD_SHARE = 0.01;
    private static final long REBUILD_STEPS = 1_000;

    private final VisitLengthDetectorConfig config;
    private final long falseAlarmWindowMs;
    private final long teachingWindowMs;
    private final int maxStepsPerUser;
    private final double smoothing;

    private LengthTail tail = new LengthTail();
    private VisitEnds ends = new VisitEnds();
    /** What the current instant teaches, applied once event time passes it (as the population's steps). */
    private final List<double[]> pendingJudged = new ArrayList<>();
    private final List<String> pendingEnds = new ArrayList<>();
    private long pendingTs = Long.MIN_VALUE;

    /**
     * The law, and the counts it was built from: they go into checkpoints, so that a recovered job
     * judges by the same law as one that ran on (it is rebuilt only as the counts grow).
     */
    private VisitLengthLaw law;
    private List<TransitionCount> lawCounts = List.of();
    private VisitEnds lawLeavings = new VisitEnds();
    private long lawSteps = -1;
    private long lawEnds = -1;
    private long warmingUp;

    public VisitLengthDetector(VisitLengthDetectorConfig config, Duration falseAlarmWindow, Duration teachingWindow,
            int maxPopulationStepsPerUser, double smoothing) {
        this.config = config;
        this.falseAlarmWindowMs = falseAlarmWindow.toMillis();
        this.teachingWindowMs = teachingWindow.toMillis();
        this.maxStepsPerUser = maxPopulationStepsPerUser;
        this.smoothing = smoothing;
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
    public boolean usesUsualEvents() {
        return true;
    }

    /** Moves to event time {@code ts}: what was taught before it joins the population. */
    @Override
    public void advanceTo(long ts) {
        if (ts > pendingTs) {
            for (double[] j : pendingJudged) {
                tail.count(j[0], (int) j[1]);
            }
            for (String s : pendingEnds) {
                ends.add(s, 1);
            }
            pendingJudged.clear();
            pendingEnds.clear();
            pendingTs = ts;
        }
    }

    @Override
    public Alert onVisitClosed(ClosedVisit v) {
        return judge(v.profile(), v.events(), v.steps(), v.usual(), v.closedBy(), v.user(), v.tenant(), v.maxEvents());
    }

    /**
     * Judges the closed visit of {@code p} (called before the profile forgets it, after {@link
     * #advanceTo} the closing instant), closed for {@code why}, against the population's {@code steps};
     * {@code usual} is the user's usual events (null without session-profile). Returns the alert, or null.
     */
    private Alert judge(UserProfile p, TopEventStore top, PopulationTransitions steps, UsualEvents usual, String why,
            String user, String tenant, int maxEvents) {
        learnLeaving(p, why);
        int events = p.sessionEvents;
        // Sessions begun before this one; session-profile's count of visits when it has one (sessions of a logout's trailing end are not visits).
        int visitsBefore = usual != null ? usual.sessions() : (int) Math.max(0, Math.min(Integer.MAX_VALUE, p.fromTotal(0) - 1));
        if (tail.judged() < config.minPopulationVisits() || steps.events() == 0) {
            warmingUp++;
            countIfOrdinary(p, law(steps, ends).tailBits(judgedEvents(events, usual)), visitsBefore);
            return null;
        }
        double judged = judgedEvents(events, usual);
        double bits = law(steps, ends).tailBits(judged);
        double bar = MultipleTests.bar(config.thresholdBits(), p.sessionsInWindow);
        boolean farEnough = usual == null || events >= config.minRatio() * usual.usual();
        Alert alert = null;
        if (config.enabled() && farEnough && bits * LengthTail.MAX_RAISE >= bar) {
            LengthTail.Calibrated c = tail.calibrated(bits, visitsBefore);
            if (c.bits() >= bar) {
                alert = alert(p, top, user, tenant, events, judged, usual, bits, c, bar, maxEvents);
            }
        }
        if (alert == null) {
            countIfOrdinary(p, bits, visitsBefore);
        }
        return alert;
    }

    /** The events the law judges: the visit's, over the user's usual as a share of the population's. */
    private static double judgedEvents(int events, UsualEvents usual) {
        return usual == null ? events : events * Math.exp(-usual.logRatio());
    }

    private void countIfOrdinary(UserProfile p, double bits, int visitsBefore) {
        if (p.teachesAt(p.lastTs, teachingWindowMs)) {
            pendingJudged.add(new double[] {bits, visitsBefore});
        }
    }

    /**
     * A visit closed by inactivity or a new session id left after its last state: a step out of it,
     * taught within the same per-user caps as the population's steps. A logout or end says it itself.
     */
    private void learnLeaving(UserProfile p, String why) {
        String last = p.lastStateName;
        boolean left = "inactivity".equals(why) || "a new session began".equals(why);
        if (left && !VisitLengthLaw.endsVisit(last) && !UserProfile.START.equals(last) && p.teachesAt(p.lastTs, teachingWindowMs)
                && p.mayTeach(p.lastState, p.lastTs, teachingWindowMs, maxStepsPerUser)) {
            pendingEnds.add(last);
        }
    }

    private VisitLengthLaw law(PopulationTransitions steps, VisitEnds leavings) {
        long s = steps.events();
        long e = leavings.total();
        if (law == null || grew(s, lawSteps) || grew(e, lawEnds)) {
            lawCounts = steps.entries();
            lawLeavings = new VisitEnds();
            lawLeavings.merge(leavings);
            law = VisitLengthLaw.of(lawCounts, lawLeavings, smoothing);
            lawSteps = s;
            lawEnds = e;
        }
        return law;
    }

    private static boolean grew(long now, long then) {
        return now - then >= Math.min(REBUILD_STEPS, Math.max(1, (long) (REBUILD_SHARE * then)));
    }

    private Alert alert(UserProfile p, TopEventStore top, String user, String tenant, int events, double judged, UsualEvents usual,
            double bits, LengthTail.Calibrated c, double bar, int maxEvents) {
        String usualText = usual == null
                ? "the population's"
                : String.format(Locale.ROOT, "%.0f events (%s)", usual.usual(), usual.sessions() == 0
                        ? "the population's, no session of theirs yet"
                        : String.format(Locale.ROOT, "from %d session%s, blended with the population's", usual.sessions(), usual.sessions() == 1 ? "" : "s"));
        AlertBuilder a = AlertBuilder.of(DETECTOR, p.lastTs, user, p.sessionId, maxEvents)
                .tenant(tenant)
                .bits(c.bits(), bar)
                .summary(String.format(Locale.ROOT, "%s's visit had %d events; their usual is %s: %.1f bits, above %.1f + log2(%.1f sessions in the past %s) = %.1f",
                        user, events, usualText, c.bits(), config.thresholdBits(), Math.max(1.0, p.sessionsInWindow),
                        MultipleTests.windowText(Duration.ofMillis(falseAlarmWindowMs)), bar));
        a.reason("events", events + " events", detail(events, judged, bits, c), c.bits());
        BehaviourScorer.addSessionEvents(a, p, top);
        return a.build();
    }

    private static String detail(int events, double judged, double bits, LengthTail.Calibrated c) {
        String scaled = Math.abs(judged - events) < 0.5 ? "" : String.format(Locale.ROOT, " (as %.0f at the population's usual)", judged);
        String fitted = Double.isNaN(c.frailty()) ? ""
                : String.format(Locale.ROOT, "; beyond the top 5%%, a frailty of %.3f", c.frailty());
        return String.format(Locale.ROOT, "a visit of at least %d events%s: 1 in %s by the population's steps and leavings; %d of the population's %d ordinary visits as surprising%s",
                events, scaled, AmountDetector.oneIn(bits), c.atLeast(), c.of(), fitted);
    }

    /** Visits closed while the population was still warming up. */
    @Override
    public long warmingUp() {
        return warmingUp;
    }

    /** The calibration's ordinary visits. */
    public LengthTail tail() {
        return tail;
    }

    /** The population's leavings, the current instant's included (for tests). */
    public VisitEnds ends() {
        return ends;
    }

    /** The calibration and the leavings, the current instant's included, with the writing instance in front (see InstanceShares). */
    public byte[] toTaggedBytes(int owner, int parallelism) {
        LengthTail t = new LengthTail();
        t.merge(tail);
        for (double[] j : pendingJudged) {
            t.count(j[0], (int) j[1]);
        }
        VisitEnds e = new VisitEnds();
        e.merge(ends);
        for (String s : pendingEnds) {
            e.add(s, 1);
        }
        byte[] leavings = leavingBytes(e);
        byte[] built = law == null ? new byte[0] : lawBytes();
        ByteBuffer b = ByteBuffer.allocate(8 + t.writtenSize() + leavings.length + 4 + built.length).putInt(owner).putInt(parallelism);
        t.write(b);
        b.put(leavings).putInt(built.length).put(built);
        return b.array();
    }

    private static byte[] leavingBytes(VisitEnds e) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeInt(e.states().size());
            for (String s : e.states()) {
                out.writeUTF(s);
                out.writeLong(e.count(s));
            }
        } catch (java.io.IOException x) {
            throw new java.io.UncheckedIOException(x);
        }
        return bytes.toByteArray();
    }

    private static VisitEnds readLeavings(java.io.DataInputStream in, int owners) throws java.io.IOException {
        VisitEnds e = new VisitEnds();
        int states = in.readInt();
        for (int i = 0; i < states; i++) {
            String s = in.readUTF();
            long count = in.readLong();
            e.add(s, InstanceShares.share(count, owners));
        }
        return e;
    }

    /** The counts the law was built from, and the totals it was built at. */
    private byte[] lawBytes() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeLong(lawSteps);
            out.writeLong(lawEnds);
            out.writeInt(lawCounts.size());
            for (TransitionCount c : lawCounts) {
                out.writeUTF(c.from);
                out.writeUTF(c.to);
                out.writeLong(c.count);
            }
            out.write(leavingBytes(lawLeavings));
        } catch (java.io.IOException x) {
            throw new java.io.UncheckedIOException(x);
        }
        return bytes.toByteArray();
    }

    @Override
    public List<byte[]> snapshot(int owner, int parallelism) {
        return List.of(toTaggedBytes(owner, parallelism));
    }

    /** Restores the entries InstanceShares selected, their counts shared among {@code owners}. */
    @Override
    public void restore(List<byte[]> entries, int owners, int me) {
        tail = new LengthTail();
        ends = new VisitEnds();
        law = null;
        for (byte[] entry : entries) {
            ByteBuffer b = ByteBuffer.wrap(entry, 8, entry.length - 8);
            tail.merge(LengthTail.read(b).sharedBy(owners));
            try {
                java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(entry, b.position(), b.remaining()));
                ends.merge(readLeavings(in, owners));
                int built = in.readInt();
                // The law an instance judged by comes back to it; after a rescale, a law is built afresh from the restored counts.
                if (built > 0 && owners == 1) {
                    lawSteps = in.readLong();
                    lawEnds = in.readLong();
                    List<TransitionCount> counts = new ArrayList<>();
                    int n = in.readInt();
                    for (int i = 0; i < n; i++) {
                        counts.add(new TransitionCount(in.readUTF(), in.readUTF(), in.readLong()));
                    }
                    lawCounts = counts;
                    lawLeavings = readLeavings(in, 1);
                    law = VisitLengthLaw.of(lawCounts, lawLeavings, smoothing);
                }
            } catch (java.io.IOException x) {
                throw new java.io.UncheckedIOException(x);
            }
        }
        pendingJudged.clear();
        pendingEnds.clear();
    }
}
