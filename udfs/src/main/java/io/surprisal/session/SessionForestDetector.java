package io.surprisal.session;

import com.amazon.randomcutforest.IVisitorFactory;
import com.amazon.randomcutforest.RandomCutForest;
import com.amazon.randomcutforest.anomalydetection.AnomalyScoreVisitor;
import com.amazon.randomcutforest.config.Precision;
import com.amazon.randomcutforest.returntypes.DiVector;
import com.amazon.randomcutforest.state.RandomCutForestMapper;
import com.amazon.randomcutforest.state.RandomCutForestState;
import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertBuilder;
import io.surprisal.config.SurprisalConfig.SessionForestDetectorConfig;
import io.surprisal.detector.ClosedVisit;
import io.surprisal.detector.ClosedVisitDetector;
import io.surprisal.model.MultipleTests;
import io.surprisal.model.BehaviourScorer;
import io.surprisal.model.TopEventStore;
import io.surprisal.model.UserProfile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Detector {@code session-forest}: a closed session whose mix of numbers is unlike the
 * population's recent sessions, by a Random Cut Forest (Guha et al., ICML 2016; Amazon's
 * randomcutforest-core) over the session vector ({@link SessionFeatures}, on log scales). The
 * forest's score is turned into a tail by counting the population's recent ordinary sessions that
 * scored at least as high ({@link RecentScores}); the tail must reach {@code threshold-bits} plus
 * log2 of the user's sessions in the false-alarm window. The alert's reasons split the tail's bits
 * among the features by the forest's attribution (its DiVector). One forest per parallel instance,
 * a sample of that instance's users' sessions; docs/detectors.md has the memory bound.
 *
 * <p>Learning waits until event time moves past the session's close, and the sessions of one
 * instant are learned in a fixed order (user key, start), so replays give identical scores. The
 * forest learns at most {@code max-lessons-per-minute} sessions a minute of event time: it keeps a
 * few hundred points a tree, so past that rate learning only costs, while every session is scored.
 */
public final class SessionForestDetector implements ClosedVisitDetector {
    public static final String DETECTOR = "session-forest";
    /** Its union list state: the forest, its recent scores and its pending sessions, per instance. */
    public static final String STATE = "population-session-forest";
    /** The forest's dimensions, by name (the hour is two: its place on the clock's circle). */
    static final String[] DIMENSIONS = {
        "events", "duration_s", "mean_gap_s", "login", "browse", "buy", "sell", "account", "social", "end", "other",
        "failures", "bits", "excess_bits", "amount", "hour", "hour"};
    /** The forest's random seed: fixed, so that the same sessions always give the same forest. */
    static final long SEED = 20_261_206L;
    /** Reasons an alert names at most, most contributing first. */
    private static final int MAX_REASONS = 6;

    private final SessionForestDetectorConfig config;
    private final long teachingWindowMs;
    private final long falseAlarmWindowMs;
    private RandomCutForest forest;
    private RecentScores scores = new RecentScores();
    /** Sessions of the instant {@link #pendingTs}, not yet learned. */
    private final List<Lesson> pending = new ArrayList<>();
    private long pendingTs = Long.MIN_VALUE;
    /** The event-time minute of the last lessons, and how many sessions the forest learned in it. */
    private long lessonMinute = Long.MIN_VALUE;
    private int lessonsThisMinute;
    private long warmingUp;
    private final double[] point = new double[DIMENSIONS.length];
    /** {@link #point} as the forest reads it (the library's own float conversion, without an array per call). */
    private final float[] floats = new float[DIMENSIONS.length];
    /** The score below which scoring may stop early, by {@link #scores} when they held {@link #cutoffCount} (-1: not yet known). */
    private double cutoff;
    private long cutoffCount = -1;
    /**
     * Scores stop early only below the lowest score whose tail reaches 2 bits less than the lowest
     * bar (a tail 4 times as common): the cutoff moves as the recent scores grow, drift and change
     * generation, and a visit stopped under one cutoff must stay below every later one.
     */
    static final double STOP_MARGIN_BITS = 2;
    /** The trees' scores of a point, as {@code RandomCutForest.getAnomalyScore} asks them. */
    static final IVisitorFactory<Double> TREE_SCORES = (tree, x) -> new AnomalyScoreVisitor(tree.projectToTree(x), tree.getMass());
    /** Whether the forest scores: once true it stays so until the forest is replaced (the library asks every tree). */
    private boolean outputReady;

    /** A session waiting to be learned: its order key, its point and its score (NaN before the forest scored). */
    private record Lesson(String key, long start, double[] point, double score) {}

    public SessionForestDetector(SessionForestDetectorConfig config, Duration falseAlarmWindow, Duration teachingWindow) {
        this.config = config;
        this.falseAlarmWindowMs = falseAlarmWindow.toMillis();
        this.teachingWindowMs = teachingWindow.toMillis();
        this.forest = newForest(config);
    }

    /** The forest's dimensions (for the JMH benchmark). */
    public static int dimensions() {
        return DIMENSIONS.length;
    }

    /** A new forest of the configuration's size (public for the JMH benchmark). */
    public static RandomCutForest newForest(SessionForestDetectorConfig config) {
        return RandomCutForest.builder()
                .dimensions(DIMENSIONS.length)
                .numberOfTrees(config.trees())
                .sampleSize(config.sampleSize())
                .outputAfter(config.sampleSize())
                .precision(Precision.FLOAT_32)
                .randomSeed(SEED)
                .build();
    }

    /** The session vector {@code f} on the forest's scales, into {@code out}. */
    public static void toPoint(double[] f, double[] out) {
        out[0] = Math.log1p(f[SessionFeatures.EVENTS]);
        out[1] = Math.log1p(f[SessionFeatures.DURATION_S] / 60);
        out[2] = Math.log1p(f[SessionFeatures.MEAN_GAP_S]);
        for (int i = 0; i < ActionClass.COUNT; i++) {
            out[3 + i] = Math.log1p(f[SessionFeatures.ACTIONS + i]);
        }
        int i = 3 + ActionClass.COUNT;
        out[i++] = Math.log1p(f[SessionFeatures.FAILURES]);
        out[i++] = Math.log1p(Math.max(0, f[SessionFeatures.BITS]));
        double excess = f[SessionFeatures.EXCESS_BITS];
        out[i++] = Math.signum(excess) * Math.log1p(Math.abs(excess));
        out[i++] = Math.log1p(f[SessionFeatures.AMOUNT]);
        double angle = 2 * Math.PI * f[SessionFeatures.HOUR] / 24;
        out[i++] = Math.cos(angle);
        out[i] = Math.sin(angle);
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
        if (ts > pendingTs) {
            if (pending.size() > 1) {
                pending.sort(Comparator.comparing(Lesson::key).thenComparingLong(Lesson::start));
            }
            long minute = Math.floorDiv(pendingTs, 60_000L);
            if (minute != lessonMinute) {
                lessonMinute = minute;
                lessonsThisMinute = 0;
            }
            for (Lesson l : pending) {
                if (!Double.isNaN(l.score)) {
                    scores.add(l.score);
                }
                if (lessonsThisMinute < config.maxLessonsPerMinute()) {
                    // update(float[], long) at the forest's own next sequence number is update(point) without
                    // internal shingling; update(point) formats its checks' messages on every call.
                    forest.update(toFloats(l.point, new float[DIMENSIONS.length]), forest.getTotalUpdates());
                    lessonsThisMinute++;
                }
            }
            pending.clear();
            pendingTs = ts;
        }
    }

    /** Whether the forest scores and enough of the population's sessions were scored to count a tail by. */
    public boolean ready() {
        return outputReady() && scores.count() >= config.minPopulationSessions();
    }

    private boolean outputReady() {
        if (!outputReady) {
            outputReady = forest.isOutputReady();
        }
        return outputReady;
    }

    /**
     * The forest's score of {@code x}: every tree's, or, once the tail can alert, fewer when the
     * trees so far put it clearly below the cutoff, under the lowest score that could alert
     * ({@link ScoreUnlessBelowCutoff}, {@link #STOP_MARGIN_BITS}).
     */
    private double score(float[] x) {
        if (!config.enabled() || !ready()) {
            return forest.getAnomalyScore(x);
        }
        if (scores.count() != cutoffCount) {
            cutoff = scores.lowestScoreReaching(config.thresholdBits() - STOP_MARGIN_BITS);
            cutoffCount = scores.count();
        }
        if (cutoff == Double.POSITIVE_INFINITY) {
            // No tail can reach the cutoff's bits yet: full scores, so tails are counted among exact ones once one can.
            return forest.getAnomalyScore(x);
        }
        ScoreUnlessBelowCutoff trees = new ScoreUnlessBelowCutoff(cutoff, forest.getNumberOfTrees());
        return forest.traverseForest(x, TREE_SCORES, trees, sum -> sum / trees.getValuesAccepted());
    }

    /** {@code p} as floats into {@code out}, as the library converts points (zero of either sign to 0f). */
    private static float[] toFloats(double[] p, float[] out) {
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i] == 0 ? 0f : (float) p[i];
        }
        return out;
    }

    @Override
    public Alert onVisitClosed(ClosedVisit v) {
        return onSessionClosed(v.profile(), v.events(), v.features(), v.key(), v.user(), v.tenant(), v.maxEvents());
    }

    /**
     * Judges the closed session {@code f} of the user with profile {@code p} (key {@code key}),
     * after {@link #advanceTo} the closing instant, then learns it; returns the alert, or null.
     */
    public Alert onSessionClosed(UserProfile p, TopEventStore top, double[] f, String key, String user, String tenant, int maxEvents) {
        toPoint(f, point);
        double score = outputReady() ? score(toFloats(point, floats)) : Double.NaN;
        Alert alert = null;
        if (!ready()) {
            warmingUp++;
        } else if (config.enabled()) {
            long n = scores.count();
            long atLeast = scores.atLeast(score);
            double bits = MultipleTests.tailBits(atLeast, n);
            double bar = MultipleTests.bar(config.thresholdBits(), p.sessionsInWindow);
            if (bits >= bar) {
                alert = alert(p, top, f, user, tenant, score, bits, bar, atLeast, n, maxEvents);
            }
        }
        if (alert == null && p.teachesAt(p.lastTs, teachingWindowMs) && p.mayTeachSessionForest(p.lastTs, teachingWindowMs, config.maxPopulationSessionsPerUser())) {
            pending.add(new Lesson(key, p.sessionStart, point.clone(), score));
        }
        return alert;
    }

    private Alert alert(UserProfile p, TopEventStore top, double[] f, String user, String tenant, double score, double bits, double bar,
            long atLeast, long n, int maxEvents) {
        DiVector attribution = forest.getAnomalyAttribution(point);
        // Per named feature (the hour's two dimensions together): its share of the score, and whether it is high.
        List<String> names = new ArrayList<>();
        List<double[]> shares = new ArrayList<>();
        double total = attribution.getHighLowSum();
        for (int i = 0; i < DIMENSIONS.length; i++) {
            int at = names.indexOf(DIMENSIONS[i]);
            if (at < 0) {
                names.add(DIMENSIONS[i]);
                shares.add(new double[2]);
                at = names.size() - 1;
            }
            shares.get(at)[0] += attribution.high[i];
            shares.get(at)[1] += attribution.low[i];
        }
        Integer[] order = new Integer[names.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -(shares.get(i)[0] + shares.get(i)[1])).thenComparing(i -> i));
        StringBuilder most = new StringBuilder();
        AlertBuilder a = AlertBuilder.of(DETECTOR, p.lastTs, user, p.sessionId, maxEvents).tenant(tenant).bits(bits, bar);
        int reasons = 0;
        for (int i : order) {
            double[] s = shares.get(i);
            double share = total > 0 ? (s[0] + s[1]) / total : 0;
            if (reasons >= MAX_REASONS || share < 0.05) {
                break;
            }
            String name = names.get(i);
            String direction = s[0] >= s[1] ? "higher" : "lower";
            a.reason(name, observed(name, f),
                    String.format(Locale.ROOT, "%.0f%% of the forest's score: %s than the population's sessions", 100 * share, direction),
                    share * bits);
            most.append(reasons == 0 ? "" : ", ").append(name).append(" (").append(direction).append(")");
            reasons++;
        }
        a.summary(String.format(Locale.ROOT,
                "%s's session %s of %d events over %s is unlike the population's: forest score %.2f, reached by %d of its %d recent sessions: %.1f bits, above %.1f + log2(%.1f sessions in the past %s) = %.1f; most of all %s",
                user, p.sessionId == null ? "-" : p.sessionId, p.sessionEvents, SessionMeasure.duration(f[SessionFeatures.DURATION_S]),
                score, atLeast, n, bits, config.thresholdBits(), Math.max(1.0, p.sessionsInWindow),
                MultipleTests.windowText(Duration.ofMillis(falseAlarmWindowMs)), bar, most.length() == 0 ? "no one feature" : most));
        BehaviourScorer.addSessionEvents(a, p, top);
        return a.build();
    }

    private static String observed(String name, double[] f) {
        for (int i = 0; i < SessionFeatures.COUNT; i++) {
            if (SessionFeatures.NAMES[i].equals(name)) {
                double v = f[i];
                return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
            }
        }
        return "";
    }

    /** Sessions closed while the forest was warming up. */
    @Override
    public long warmingUp() {
        return warmingUp;
    }

    /** Sessions the forest has learned. */
    public long learned() {
        return forest.getTotalUpdates();
    }

    /**
     * The forest (its samplers and point store, compressed; trees are rebuilt from them), the recent
     * scores and the sessions of the current instant not yet learned, with the writing instance and
     * parallelism in front (see InstanceShares).
     */
    public byte[] toTaggedBytes(int owner, int parallelism) {
        byte[] forestBytes = forestBytes(forest);
        int size = 8 + scores.bytes() + 4 + forestBytes.length + 4 + 12 + 8;
        for (Lesson l : pending) {
            size += 4 + 2 * l.key.length() + 8 + 8 + 8 * l.point.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).putInt(owner).putInt(parallelism);
        scores.write(b);
        b.putInt(forestBytes.length).put(forestBytes);
        b.putInt(pending.size());
        for (Lesson l : pending) {
            b.putInt(l.key.length());
            for (int i = 0; i < l.key.length(); i++) {
                b.putChar(l.key.charAt(i));
            }
            b.putLong(l.start).putDouble(l.score);
            for (double v : l.point) {
                b.putDouble(v);
            }
        }
        // Last, so that state written before the cap existed still reads; then the pending sessions'
        // instant, so that they are learned in their own minute, and with their instant's later sessions.
        b.putLong(lessonMinute).putInt(lessonsThisMinute).putLong(pendingTs);
        return b.array();
    }

    static byte[] forestBytes(RandomCutForest forest) {
        RandomCutForestMapper mapper = new RandomCutForestMapper();
        mapper.setSaveExecutorContextEnabled(true);
        mapper.setSaveSamplerStateEnabled(true);
        mapper.setSaveTreeStateEnabled(true);
        mapper.setCompressionEnabled(true);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(new GZIPOutputStream(bytes))) {
            out.writeObject(mapper.toState(forest));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static RandomCutForest forestFrom(byte[] bytes) {
        try (ObjectInputStream in = new ObjectInputStream(new GZIPInputStream(new ByteArrayInputStream(bytes)))) {
            return new RandomCutForestMapper().toModel((RandomCutForestState) in.readObject(), SEED);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<byte[]> snapshot(int owner, int parallelism) {
        return List.of(toTaggedBytes(owner, parallelism));
    }

    /**
     * Restores from the entries {@code InstanceShares} selected: the recent scores of all of them,
     * shared among {@code owners}; the forest and the pending sessions of the one written by old
     * instance {@code me mod owners} (forests cannot be merged: after a rescale each instance
     * continues one old instance's forest, and learns its own users' sessions from there).
     */
    @Override
    public void restore(List<byte[]> entries, int owners, int me) {
        scores = new RecentScores();
        cutoffCount = -1;
        outputReady = false;
        pending.clear();
        pendingTs = Long.MIN_VALUE;
        lessonMinute = Long.MIN_VALUE;
        lessonsThisMinute = 0;
        byte[] chosen = null;
        int wanted = Math.floorMod(me, Math.max(1, owners));
        for (byte[] e : entries) {
            ByteBuffer b = ByteBuffer.wrap(e, 8, e.length - 8);
            scores.merge(owners > 1 ? RecentScores.read(b).sharedBy(owners) : RecentScores.read(b));
            if (chosen == null || ownerOf(e) == wanted) {
                chosen = e;
            }
        }
        if (chosen == null) {
            forest = newForest(config);
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(chosen, 8, chosen.length - 8);
        RecentScores.read(b);
        byte[] forestBytes = new byte[b.getInt()];
        b.get(forestBytes);
        forest = forestFrom(forestBytes);
        int lessons = b.getInt();
        for (int i = 0; i < lessons; i++) {
            char[] key = new char[b.getInt()];
            for (int c = 0; c < key.length; c++) {
                key[c] = b.getChar();
            }
            long start = b.getLong();
            double score = b.getDouble();
            double[] pt = new double[DIMENSIONS.length];
            for (int d = 0; d < pt.length; d++) {
                pt[d] = b.getDouble();
            }
            pending.add(new Lesson(new String(key), start, pt, score));
        }
        if (b.remaining() >= 12) {
            lessonMinute = b.getLong();
            lessonsThisMinute = b.getInt();
        }
        if (b.remaining() >= 8) {
            pendingTs = b.getLong();
        }
    }
}
