package io.surprisal.amount;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertBuilder;
import io.surprisal.config.SurprisalConfig.AmountDetectorConfig;
import io.surprisal.event.Event;
import io.surprisal.model.MultipleTests;
import io.surprisal.model.UserProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Detector {@code amount}: a purchase far above what its buyer usually spends. Plain Java; the
 * reasoning is in docs/detectors.md.
 *
 * <p>The logs of a user's amounts are normal with an unknown mean and variance, under the conjugate
 * (normal-inverse-gamma) prior the population gives: its mean at the population's, worth {@link
 * SpendPopulation#priorPurchases} purchases; its variance at the population's within-user variance,
 * worth twice {@link SpendPopulation#varianceShape} purchases. The next amount's log follows a
 * Student t whose degrees of freedom grow with the user's purchases, and its upper tail at the
 * purchase is the model's surprisal. That is calibrated against the population's ordinary purchases
 * ({@link SpendPopulation#calibratedBits}), and alerts at {@code threshold-bits} plus log2 of the
 * user's purchases in about the last false-alarm window, when the amount is also at least {@code
 * min-ratio} times the user's usual (the prediction's median).
 *
 * <p>A purchase that alerts teaches nothing; others teach the user (winsorized), and the population
 * at most {@code max-population-purchases-per-user} a teaching window, once the user has succeeded
 * at something (see {@link UserProfile#hasSucceeded}).
 */
public final class AmountDetector {
    public static final String DETECTOR = "amount";
    /**
     * The least shape alpha0 of the prior of a user's variance (worth 2 alpha0 = 4 purchases: a new
     * buyer's t has 4 degrees of freedom), used until the population shows how alike users' spreads
     * are ({@link SpendPopulation#varianceShape}).
     */
    static final double PRIOR_SHAPE = 2.0;
    /** The most the prior of a user's variance weighs: 2 x 25 = 50 purchases. */
    static final double MAX_PRIOR_SHAPE = 25.0;
    /** A purchase teaches its buyer at most this many of the prediction's scales from its centre (winsorized). */
    static final double LEARN_CLIP_SCALES = 3.0;
    /** The upper 10% point of the prediction bounds the user's "usual" range in an alert, with the lower 10%. */
    private static final double USUAL_QUANTILE = 0.9;

    private final AmountDetectorConfig config;
    private final long falseAlarmWindowMs;
    private final long teachingWindowMs;
    private SpendPopulation population = new SpendPopulation();
    /** Purchases of the instant {@link #pendingTs}, not yet in the population: log, buyer's count and mean, model bits, buyer's m2. */
    private final List<double[]> pending = new ArrayList<>();
    private long pendingTs = Long.MIN_VALUE;
    private long purchasesWarmingUp;

    public AmountDetector(AmountDetectorConfig config, Duration falseAlarmWindow, Duration teachingWindow) {
        this.config = config;
        this.falseAlarmWindowMs = falseAlarmWindow.toMillis();
        this.teachingWindowMs = teachingWindow.toMillis();
    }

    /** A purchase: a successful event with a positive amount. */
    public static boolean isPurchase(Event e) {
        return !e.fail && e.amount != null && e.amount > 0;
    }

    /** The prediction of a user's next purchase's log amount: a Student t. */
    public record Prediction(double location, double scale, double dof, int purchases) {
        /** Probability that the next log amount is at least {@code x}. */
        public double upperTail(double x) {
            double t = (x - location) / scale;
            // The lower tail at -t: accurate far out, where 1 - cdf(t) would round to 0.
            return new TDistribution(null, dof).cumulativeProbability(-t);
        }

        /** The amount at the prediction's quantile {@code q}. */
        public double amountAt(double q) {
            return Math.exp(location + scale * new TDistribution(null, dof).inverseCumulativeProbability(q));
        }

        public double median() {
            return Math.exp(location);
        }
    }

    /** The prediction for {@code h}'s next purchase, blended with the population (normal-inverse-gamma posterior predictive). */
    public Prediction predict(SpendHistory h) {
        double mu0 = population.mean();
        double kappa0 = population.priorPurchases();
        double alpha0 = population.varianceShape(PRIOR_SHAPE, MAX_PRIOR_SHAPE);
        double beta0 = population.withinVariance() * (alpha0 - 1);
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
     * Whether the population has the moments to predict a purchase by: {@code min-population-purchases}
     * of them. Only then are the model's tails worth calibrating (judged against a younger
     * population, ordinary purchases look rarer than the model will find them).
     */
    private boolean predicts() {
        return population.count() >= config.minPopulationPurchases() && population.withinVariance() > 0;
    }

    /** Whether the population has judged enough ordinary purchases to calibrate a tail by. */
    public boolean ready() {
        return predicts() && population.judged() >= config.minPopulationPurchases();
    }

    /** Moves to event time {@code ts}: the purchases before it join the population. */
    public void advanceTo(long ts) {
        if (ts > pendingTs) {
            pending.forEach(p -> population.learn(p[0], buyer(p), p[3]));
            pending.clear();
            pendingTs = ts;
        }
    }

    private static SpendHistory buyer(double[] pendingPurchase) {
        SpendHistory buyer = new SpendHistory();
        buyer.count = (int) pendingPurchase[1];
        buyer.mean = pendingPurchase[2];
        buyer.m2 = pendingPurchase[4];
        return buyer;
    }

    /**
     * Judges {@code e} of the user with profile {@code p} (events in event-time order) if it is a
     * purchase, then learns it; returns the alert, or null. The model's tail is calibrated against
     * the population's ordinary purchases ({@link SpendPopulation#calibratedBits}): the alert's
     * score is the share of them the model found as surprising, so a model whose tails are too
     * light for the site's spending raises no flood.
     */
    public Alert onEvent(UserProfile p, Event e, int maxEvents) {
        advanceTo(e.ts);
        if (!isPurchase(e)) {
            return null;
        }
        SpendHistory h = p.spend;
        double x = Math.log(e.amount);
        p.decayTestsTo(e.ts, falseAlarmWindowMs);
        h.judgedInWindow += 1;
        Alert alert = null;
        double modelBits = Double.NaN;
        if (predicts()) {
            Prediction prediction = predict(h);
            modelBits = -Math.log(prediction.upperTail(x)) / Math.log(2);
            if (!ready()) {
                purchasesWarmingUp++;
            } else if (config.enabled()) {
                SpendPopulation.Calibrated calibrated = population.calibratedBits(modelBits, h.count);
                double bar = MultipleTests.bar(config.thresholdBits(), h.judgedInWindow);
                if (calibrated.bits() >= bar && e.amount >= config.minRatio() * prediction.median()) {
                    alert = alert(e, prediction, modelBits, calibrated, bar, h.judgedInWindow, maxEvents);
                }
            }
        } else {
            purchasesWarmingUp++;
        }
        if (alert == null) {
            if (p.hasSucceeded() && p.mayTeachPurchase(e.ts, teachingWindowMs, config.maxPopulationPurchasesPerUser())) {
                pending.add(new double[] {x, h.count, h.mean, modelBits, h.m2});
            }
            h.learn(clipped(x, h), config.maxEvidence());
        }
        return alert;
    }

    /**
     * {@code x} moved to within {@link #LEARN_CLIP_SCALES} of the prediction's scales of its centre:
     * one purchase far out (a first gift card that stayed under the bar) moves the buyer's usual
     * only so much, and the next such purchase is as surprising as the first.
     */
    private double clipped(double x, SpendHistory h) {
        if (!predicts()) {
            return x;
        }
        Prediction p = predict(h);
        double limit = LEARN_CLIP_SCALES * p.scale();
        return Math.max(p.location() - limit, Math.min(p.location() + limit, x));
    }

    private Alert alert(Event e, Prediction prediction, double modelBits, SpendPopulation.Calibrated calibrated,
            double bar, double judged, int maxEvents) {
        String usual = usual(prediction);
        return AlertBuilder.of(DETECTOR, e, maxEvents)
                .bits(calibrated.bits(), bar)
                .summary(String.format(Locale.ROOT,
                        "%s bought for %s; their usual is %s: %.1f bits, above %.1f + log2(%.1f purchases in the past %s) = %.1f",
                        e.user, money(e.amount), usual, calibrated.bits(), config.thresholdBits(), Math.max(1.0, judged),
                        MultipleTests.windowText(Duration.ofMillis(falseAlarmWindowMs)), bar))
                .reason("amount", money(e.amount),
                        String.format(Locale.ROOT,
                                "%s; %.0fx the median; this large or larger: 1 in %s by the buyer's history, and %d of the population's %d ordinary purchases%s as surprising",
                                usual, e.amount / prediction.median(), oneIn(modelBits), calibrated.atLeast(), calibrated.of(),
                                calibrated.sameEvidence() ? " by buyers with as much history" : ""),
                        calibrated.bits())
                .event(e.copy())
                .build();
    }

    /** "35.00 to 120.00 (median 64.00, from 12 purchases)" or, for a new buyer, the population's. */
    String usual(Prediction p) {
        String from = p.purchases() == 0
                ? "as the population's, no purchase of theirs yet"
                : String.format(Locale.ROOT, "from %d purchase%s, blended with the population's", p.purchases(), p.purchases() == 1 ? "" : "s");
        return String.format(Locale.ROOT, "%s to %s (median %s, %s)",
                money(p.amountAt(1 - USUAL_QUANTILE)), money(p.amountAt(USUAL_QUANTILE)), money(p.median()), from);
    }

    static String money(double amount) {
        return String.format(Locale.ROOT, "%,.2f", amount);
    }

    private static String oneIn(double bits) {
        double n = Math.pow(2, bits);
        return n < 1e6 ? String.format(Locale.ROOT, "%,.0f", n) : String.format(Locale.ROOT, "%.2g", n);
    }

    /** Purchases judged while the population was warming up (no alert possible). */
    public long purchasesWarmingUp() {
        return purchasesWarmingUp;
    }

    public SpendPopulation population() {
        return population;
    }

    /** The population with the current instant's purchases, without applying them (a checkpoint must not change scores). */
    public SpendPopulation populationForCheckpoint() {
        SpendPopulation copy = population.copy();
        pending.forEach(p -> copy.learn(p[0], buyer(p), p[3]));
        return copy;
    }

    public void restore(SpendPopulation restored) {
        population = restored;
        pending.clear();
        pendingTs = Long.MIN_VALUE;
    }
}
