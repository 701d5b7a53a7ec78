package io.surprisal.usual;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.special.Beta;

/**
 * How far a value lies above a user's usual, judged on the log scale against the user's own history
 * blended with the population's, and calibrated on the population's ordinary values. Plain Java;
 * the detectors built on it ({@code amount}, {@code session-profile}) say what the value is, when it
 * is judged, and what an alert says. The reasoning is in docs/detectors.md ({@code amount}).
 *
 * <p>The logs of a user's values are normal with an unknown mean and variance, under the conjugate
 * (normal-inverse-gamma) prior the population gives: its mean at the population's, worth {@link
 * LogPopulation#priorPurchases} values; its variance at the population's within-user variance,
 * worth twice {@link LogPopulation#varianceShape} values. The next value's log follows a Student t
 * whose degrees of freedom grow with the user's values, and its upper tail is the model's
 * surprisal, calibrated against the population's ordinary values ({@link LogPopulation#calibratedBits}).
 *
 * <p>Population learning waits until event time moves past the instant of the value
 * ({@link #advanceTo}): every value is judged against what the population learned strictly before
 * it, whatever order users' values of the same instant come in.
 */
public final class BlendedLogModel {
    /**
     * The least shape alpha0 of the prior of a user's variance (worth 2 alpha0 = 4 values: a new
     * user's t has 4 degrees of freedom), used until the population shows how alike users' spreads
     * are ({@link LogPopulation#varianceShape}).
     */
    static final double PRIOR_SHAPE = 2.0;
    /** The most the prior of a user's variance weighs: 2 x 25 = 50 values. */
    static final double MAX_PRIOR_SHAPE = 25.0;
    /** A value teaches its user at most this many of the prediction's scales from its centre (winsorized). */
    static final double LEARN_CLIP_SCALES = 3.0;

    private final long minPopulation;
    private LogPopulation population = new LogPopulation();
    /** Values of the instant {@link #pendingTs}, not yet in the population. */
    private final List<Lesson> pending = new ArrayList<>();
    private long pendingTs = Long.MIN_VALUE;
    private long warmingUp;

    /**
     * Values waiting to teach the population: {@code n} logs (their sum, sum of squares and of
     * cubes, NaN when not known), their user's moments before them, the model's bits for them; or,
     * with no user, only the bits of an ordinary value judged with {@code evidence}, for the
     * yardstick ({@link #countJudged}).
     */
    private record Lesson(int n, double sum, double sumSquares, double sumCubes, LogMoments user, double bits, int evidence) {
        void teach(LogPopulation population) {
            if (user == null) {
                population.countJudged(bits, evidence);
            } else if (n == 1) {
                population.learn(sum, user, bits);
            } else {
                population.learnBatch(n, sum, sumSquares, sumCubes, user, bits, evidence);
            }
        }
    }

    /** @param minPopulation values the population must learn, and judge, before a tail is calibrated */
    public BlendedLogModel(long minPopulation) {
        this.minPopulation = minPopulation;
    }

    /** The prediction of a user's next value's log: a Student t. */
    public record Prediction(double location, double scale, double dof, int values) {
        /** Probability that the next log is at least {@code x}. */
        public double upperTail(double x) {
            double t = (x - location) / scale;
            // The lower tail at -t: accurate far out, where 1 - cdf(t) would round to 0.
            return studentLowerTail(-t, dof);
        }

        /**
         * Student t's cdf at {@code x} with {@code dof} degrees of freedom, as {@code
         * TDistribution.cumulativeProbability} computes it, without building the distribution (whose
         * constructor's log-gamma, for the density, cost a third of a judgement).
         */
        static double studentLowerTail(double x, double dof) {
            if (x == 0) {
                return 0.5;
            }
            double b = Beta.regularizedBeta(dof / (dof + x * x), 0.5 * dof, 0.5);
            return x < 0 ? 0.5 * b : 1 - 0.5 * b;
        }

        /** The log at the prediction's quantile {@code q}. */
        public double logAt(double q) {
            return location + scale * new TDistribution(null, dof).inverseCumulativeProbability(q);
        }

        /** The value (exp of the log) at the prediction's quantile {@code q}. */
        public double valueAt(double q) {
            return Math.exp(logAt(q));
        }

        public double median() {
            return Math.exp(location);
        }
    }

    /** A value judged: the prediction, the model's tail bits, and the calibrated tail (null while warming up). */
    public record Judgement(Prediction prediction, double modelBits, LogPopulation.Calibrated calibrated) {}

    /** The prediction for {@code h}'s next value, blended with the population (normal-inverse-gamma posterior predictive). */
    public Prediction predict(LogMoments h) {
        return predict(h, population.prior());
    }

    private Prediction predict(LogMoments h, LogPopulation.Prior prior) {
        double mu0 = prior.centre();
        double kappa0 = prior.weightFor(h);
        double alpha0 = population.varianceShape(PRIOR_SHAPE, MAX_PRIOR_SHAPE);
        double beta0 = prior.within() * (alpha0 - 1);
        int n = h.count;
        double kappaN = kappa0 + n;
        double muN = (kappa0 * mu0 + n * h.mean) / kappaN;
        double alphaN = alpha0 + n / 2.0;
        double d = h.mean - mu0;
        double betaN = beta0 + h.m2 / 2 + (n == 0 ? 0 : kappa0 * n * d * d / (2 * kappaN));
        double scale = Math.sqrt(betaN * (kappaN + 1) / (alphaN * kappaN));
        return new Prediction(muN, scale, 2 * alphaN, n);
    }

    /**
     * The prediction of the mean of {@code values} next logs of {@code h}, which go together (one
     * visit's): the user's mean, plus the visit's own effect (the population's tau^2, {@link
     * LogPopulation#prior}), plus the mean of its values' noise. Their spread is the user's per
     * value or, when larger, their own ({@code ownVariance}, their sample variance); the mean's
     * variance is that over {@code values}, plus the uncertainty of the user's mean (over kappaN),
     * plus tau^2. Once the population knows the shape of a value around its visit's mean ({@link
     * LogPopulation#skewness}), its t has the user's degrees of freedom and the tail is judged with
     * that shape too ({@link #meanBits}); until then, the degrees of freedom of its own sample
     * ({@code values - 1}) when fewer than the user's: the mean of a few skewed values keeps their
     * skew. The calibration on the population's ordinary means answers for what the model still
     * does not see.
     */
    public Prediction predictMean(LogMoments h, int values, double ownVariance) {
        return meanParts(h, values, ownVariance).prediction();
    }

    /**
     * A mean's prediction, with its parts: the spread of one value (its posterior's scale) and the
     * degrees of freedom it is known with, the share of it that is the uncertainty of the user's
     * mean (1 / kappaN), tau^2, and the population's skewness of a value around its visit's mean.
     */
    private record MeanParts(Prediction prediction, double spread, double spreadDof, double centreShare, double visitEffect, double skew) {}

    private MeanParts meanParts(LogMoments h, int values, double ownVariance) {
        LogPopulation.Prior prior = population.prior();
        Prediction one = predict(h, prior);
        double kappaN = prior.weightFor(h) + h.count;
        double perValue = one.scale() * one.scale() / (1.0 + 1.0 / kappaN);
        double spread = Math.max(perValue, ownVariance);
        double scale = Math.sqrt(spread * (1.0 / values + 1.0 / kappaN) + prior.visitEffect());
        double skew = population.skewness();
        double dof = Double.isNaN(skew) ? Math.min(one.dof(), Math.max(1, values - 1)) : one.dof();
        return new MeanParts(new Prediction(one.location(), scale, dof, one.values()), spread, one.dof(), 1.0 / kappaN, prior.visitEffect(), skew);
    }

    /**
     * The model's bits for a mean {@code mean} of {@code values} values. With the population's shape
     * known, the saddlepoint tail of a mean of values of that skewness plus the normal parts
     * ({@link SkewedMeanTail}), averaged over the posterior of the user's spread (with the user's
     * degrees of freedom: a Student t where values are symmetric). Without it, the t of {@link
     * #predictMean}.
     */
    private static double meanBits(MeanParts parts, double mean, int values) {
        Prediction p = parts.prediction();
        if (Double.isNaN(parts.skew())) {
            return -Math.log(p.upperTail(mean)) / Math.log(2);
        }
        return SkewedMeanTail.bitsWithUncertainSpread(mean - p.location(), values, parts.spread(), parts.spreadDof(), parts.skew(),
                parts.centreShare(), parts.visitEffect());
    }

    /**
     * Whether the population has the moments to predict by: {@code minPopulation} values. Only then
     * are the model's tails worth calibrating (judged against a younger population, ordinary values
     * look rarer than the model will find them).
     */
    public boolean predicts() {
        return population.count() >= minPopulation && population.withinVariance() > 0;
    }

    /** Whether the population has judged enough ordinary values to calibrate a tail by. */
    public boolean ready() {
        return predicts() && population.judged() >= minPopulation;
    }

    /** Moves to event time {@code ts}: the values before it join the population. */
    public void advanceTo(long ts) {
        if (ts > pendingTs) {
            pending.forEach(l -> l.teach(population));
            pending.clear();
            pendingTs = ts;
        }
    }

    /**
     * Judges the log {@code x} of a user with history {@code h}: the model's tail, and, once the
     * population is {@link #ready}, its calibration. Null when the population cannot predict yet.
     * A value judged before the model is ready counts as warming up.
     */
    public Judgement judge(LogMoments h, double x) {
        return judge(h, x, 0);
    }

    /**
     * {@link #judge(LogMoments, double)}, calibrating only a tail of at least {@code
     * calibrateFrom} model bits: a calibrated tail is at most {@link LogPopulation#MAX_RAISE} times
     * the model's bits, so one below a bar over that cannot reach the bar calibrated, and the
     * calibration (a pass over the population's histograms) is spared. Below it, the judgement's
     * calibrated tail is null.
     */
    public Judgement judge(LogMoments h, double x, double calibrateFrom) {
        if (!predicts()) {
            warmingUp++;
            return null;
        }
        Prediction prediction = predict(h);
        double modelBits = -Math.log(prediction.upperTail(x)) / Math.log(2);
        if (!ready()) {
            warmingUp++;
            return new Judgement(prediction, modelBits, null);
        }
        return new Judgement(prediction, modelBits, modelBits >= calibrateFrom ? population.calibratedBits(modelBits, h.count) : null);
    }

    /**
     * Judges the mean {@code mean} of {@code values} logs (of sample variance {@code ownVariance}) of
     * a user with history {@code h} ({@link #predictMean}), as {@link #judge(LogMoments, double, double)} judges one, but calibrated
     * against the population's means of as many values ({@link #meanEvidence}): how far the model
     * is off depends most on how many values a mean has (a mean of few keeps the skew of one), and,
     * for a user without history, on how far the population's users differ from its centre.
     */
    public Judgement judgeMean(LogMoments h, double mean, int values, double ownVariance, double calibrateFrom) {
        if (!predicts()) {
            warmingUp++;
            return null;
        }
        MeanParts parts = meanParts(h, values, ownVariance);
        Prediction prediction = parts.prediction();
        double modelBits = meanBits(parts, mean, values);
        if (!ready()) {
            warmingUp++;
            return new Judgement(prediction, modelBits, null);
        }
        return new Judgement(prediction, modelBits,
                modelBits >= calibrateFrom ? population.calibratedBits(modelBits, meanEvidence(values, h.count), true) : null);
    }

    /**
     * The evidence a mean of {@code values} values of a user with {@code history} values is
     * calibrated by: the population's buckets of means of 2 to 4, 5 to 16, 17 or more values of
     * users with history, and one of users without, who are judged by the population's centre
     * alone (a bot's first visit among people's is far from it, and must not make the tail of
     * means judged against their own users' history look heavy).
     */
    public static int meanEvidence(int values, int history) {
        return history == 0 ? 0 : values - 1;
    }

    /** The calibrated tail of a mean judged without one ({@link #judgeMean}). */
    public LogPopulation.Calibrated calibrateMean(Judgement j, int values) {
        return j.calibrated() != null ? j.calibrated() : population.calibratedBits(j.modelBits(), meanEvidence(values, j.prediction().values()), true);
    }

    /** The calibrated tail of a judgement made without one ({@link #judge(LogMoments, double, double)}). */
    public LogPopulation.Calibrated calibrate(Judgement j, LogMoments h) {
        return j.calibrated() != null ? j.calibrated() : population.calibratedBits(j.modelBits(), h.count);
    }

    /** The log {@code x} of a user with history {@code h} (before it) teaches the population once event time moves on. */
    public void teach(double x, LogMoments h, Judgement judged) {
        pending.add(new Lesson(1, x, x * x, x * x * x, h.snapshot(), bitsOf(judged), h.count));
    }

    /**
     * An ordinary value judged ({@code judged}, of a user with history {@code h} before it) that
     * does not teach the population's moments joins the yardstick its tails are calibrated by
     * ({@link LogPopulation#calibratedBits}) once event time moves on. The moments weigh each user
     * alike, so that users with dozens of visits a day do not make the population's usual theirs;
     * the yardstick is the chance of an ordinary value's bits, which the bar spends per value, so
     * every ordinary value counts once.
     */
    public void countJudged(LogMoments h, Judgement judged) {
        if (judged != null) {
            pending.add(new Lesson(0, 0, 0, 0, null, judged.modelBits(), h.count));
        }
    }

    /** {@link #countJudged(LogMoments, Judgement)} for a mean of {@code values} values ({@link #judgeMean}). */
    public void countJudgedMean(int values, LogMoments h, Judgement judged) {
        if (judged != null) {
            pending.add(new Lesson(0, 0, 0, 0, null, judged.modelBits(), meanEvidence(values, h.count)));
        }
    }

    private static double bitsOf(Judgement judged) {
        return judged == null ? Double.NaN : judged.modelBits();
    }

    /**
     * {@code n} logs of a user with history {@code h} (before them), judged together ({@link
     * #judgeMean}), teach the population; their sum of cubes (NaN when not known) teaches their shape.
     */
    public void teachBatch(int n, double sum, double sumSquares, double sumCubes, LogMoments h, Judgement judged) {
        pending.add(new Lesson(n, sum, sumSquares, sumCubes, h.snapshot(), bitsOf(judged), meanEvidence(n, h.count)));
    }

    /**
     * The user learns {@code x}, moved to within {@link #LEARN_CLIP_SCALES} of the prediction's
     * scales of its centre (winsorized): one value far out that stayed under the bar moves the
     * user's usual only so much, and the next such value is as surprising as the first.
     */
    public void learn(LogMoments h, double x, int maxEvidence) {
        h.learn(clipped(x, h), maxEvidence);
    }

    /**
     * The user learns {@code n} logs ({@link LogMoments#learnBatch}), shifted so that their mean is
     * within {@link #LEARN_CLIP_SCALES} of the scales of one value's prediction (winsorized): a
     * visit far out moves the user's usual only so much, but a mean of many values is not held to
     * the narrow scale of such a mean, which would let a user whose every visit goes at a pace of
     * its own (a bot's thousands of clicks) creep towards it over dozens of visits, each one far out.
     */
    public void learnBatch(LogMoments h, int n, double sum, double sumSquares, int maxEvidence) {
        if (n <= 0) {
            return;
        }
        if (predicts()) {
            double mean = sum / n;
            Prediction p = predict(h);
            double limit = LEARN_CLIP_SCALES * p.scale();
            double shift = Math.max(p.location() - limit, Math.min(p.location() + limit, mean)) - mean;
            // Shifting every log by the same amount keeps their spread.
            sumSquares += 2 * shift * sum + n * shift * shift;
            sum += n * shift;
        }
        h.learnBatch(n, sum, sumSquares, maxEvidence);
    }

    private double clipped(double x, LogMoments h) {
        if (!predicts()) {
            return x;
        }
        Prediction p = predict(h);
        double limit = LEARN_CLIP_SCALES * p.scale();
        return Math.max(p.location() - limit, Math.min(p.location() + limit, x));
    }

    /** Values judged while the population was warming up (no alert possible). */
    public long warmingUp() {
        return warmingUp;
    }

    public LogPopulation population() {
        return population;
    }

    /** The population with the current instant's values, without applying them (a checkpoint must not change scores). */
    public LogPopulation populationForCheckpoint() {
        LogPopulation copy = population.copy();
        pending.forEach(l -> l.teach(copy));
        return copy;
    }

    public void restore(LogPopulation restored) {
        population = restored;
        pending.clear();
        pendingTs = Long.MIN_VALUE;
    }
}
