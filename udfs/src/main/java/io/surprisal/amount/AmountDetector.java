package io.surprisal.amount;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertBuilder;
import io.surprisal.config.SurprisalConfig.AmountDetectorConfig;
import io.surprisal.event.Event;
import io.surprisal.model.MultipleTests;
import io.surprisal.model.UserProfile;
import io.surprisal.usual.BlendedLogModel;
import io.surprisal.usual.BlendedLogModel.Judgement;
import io.surprisal.usual.BlendedLogModel.Prediction;
import io.surprisal.usual.LogPopulation;
import java.time.Duration;
import java.util.Locale;

/**
 * Detector {@code amount}: a purchase far above what its buyer usually spends. Plain Java; the
 * reasoning is in docs/detectors.md.
 *
 * <p>The amount's log is judged by a {@link BlendedLogModel}: the buyer's purchases blended with
 * the population's, a Student t tail calibrated against the population's ordinary purchases. It
 * alerts at {@code threshold-bits} plus log2 of the user's purchases in about the last false-alarm
 * window, when the amount is also at least {@code min-ratio} times the user's usual (the
 * prediction's median).
 *
 * <p>A purchase that alerts teaches nothing; others teach the user (winsorized), and the population
 * at most {@code max-population-purchases-per-user} a teaching window, once the user has succeeded
 * at something (see {@link UserProfile#hasSucceeded}).
 */
public final class AmountDetector {
    public static final String DETECTOR = "amount";
    /** The upper 10% point of the prediction bounds the user's "usual" range in an alert, with the lower 10%. */
    static final double USUAL_QUANTILE = 0.9;

    private final AmountDetectorConfig config;
    private final long falseAlarmWindowMs;
    private final long teachingWindowMs;
    private final BlendedLogModel model;

    public AmountDetector(AmountDetectorConfig config, Duration falseAlarmWindow, Duration teachingWindow) {
        this.config = config;
        this.falseAlarmWindowMs = falseAlarmWindow.toMillis();
        this.teachingWindowMs = teachingWindow.toMillis();
        this.model = new BlendedLogModel(config.minPopulationPurchases());
    }

    /** A purchase: a successful event with a positive amount. */
    public static boolean isPurchase(Event e) {
        return !e.fail && e.amount != null && e.amount > 0;
    }

    /** The prediction for {@code h}'s next purchase, blended with the population. */
    public Prediction predict(SpendHistory h) {
        return model.predict(h);
    }

    /** Whether the population has judged enough ordinary purchases to calibrate a tail by. */
    public boolean ready() {
        return model.ready();
    }

    /** Moves to event time {@code ts}: the purchases before it join the population. */
    public void advanceTo(long ts) {
        model.advanceTo(ts);
    }

    /**
     * Judges {@code e} of the user with profile {@code p} (events in event-time order) if it is a
     * purchase, then learns it; returns the alert, or null. The model's tail is calibrated against
     * the population's ordinary purchases: the alert's score is the share of them the model found
     * as surprising, so a model whose tails are too light for the site's spending raises no flood.
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
        double bar = MultipleTests.bar(config.thresholdBits(), h.judgedInWindow);
        Judgement judged = model.judge(h, x, bar);
        if (judged != null && judged.calibrated() != null && config.enabled()) {
            if (judged.calibrated().bits() >= bar && e.amount >= config.minRatio() * judged.prediction().median()) {
                alert = alert(e, judged, bar, h.judgedInWindow, maxEvents);
            }
        }
        if (alert == null) {
            if (p.hasSucceeded() && p.mayTeachPurchase(e.ts, teachingWindowMs, config.maxPopulationPurchasesPerUser())) {
                model.teach(x, h, judged);
            }
            model.learn(h, x, config.maxEvidence());
        }
        return alert;
    }

    private Alert alert(Event e, Judgement judged, double bar, double judgedInWindow, int maxEvents) {
        Prediction prediction = judged.prediction();
        LogPopulation.Calibrated calibrated = judged.calibrated();
        String usual = usual(prediction);
        return AlertBuilder.of(DETECTOR, e, maxEvents)
                .bits(calibrated.bits(), bar)
                .summary(String.format(Locale.ROOT,
                        "%s bought for %s; their usual is %s: %.1f bits, above %.1f + log2(%.1f purchases in the past %s) = %.1f",
                        e.user, money(e.amount), usual, calibrated.bits(), config.thresholdBits(), Math.max(1.0, judgedInWindow),
                        MultipleTests.windowText(Duration.ofMillis(falseAlarmWindowMs)), bar))
                .reason("amount", money(e.amount),
                        String.format(Locale.ROOT,
                                "%s; %.0fx the median; this large or larger: 1 in %s by the buyer's history, and %d of the population's %d ordinary purchases%s as surprising",
                                usual, e.amount / prediction.median(), oneIn(judged.modelBits()), calibrated.atLeast(), calibrated.of(),
                                calibrated.sameEvidence() ? " by buyers with as much history" : ""),
                        calibrated.bits())
                .event(e.copy())
                .build();
    }

    /** "35.00 to 120.00 (median 64.00, from 12 purchases)" or, for a new buyer, the population's. */
    String usual(Prediction p) {
        String from = p.values() == 0
                ? "as the population's, no purchase of theirs yet"
                : String.format(Locale.ROOT, "from %d purchase%s, blended with the population's", p.values(), p.values() == 1 ? "" : "s");
        return String.format(Locale.ROOT, "%s to %s (median %s, %s)",
                money(p.valueAt(1 - USUAL_QUANTILE)), money(p.valueAt(USUAL_QUANTILE)), money(p.median()), from);
    }

    static String money(double amount) {
        return String.format(Locale.ROOT, "%,.2f", amount);
    }

    /** "1 in 2,048", or "1 in 3.4e+07" past a million. */
    public static String oneIn(double bits) {
        double n = Math.pow(2, bits);
        return n < 1e6 ? String.format(Locale.ROOT, "%,.0f", n) : String.format(Locale.ROOT, "%.2g", n);
    }

    /** Purchases judged while the population was warming up (no alert possible). */
    public long purchasesWarmingUp() {
        return model.warmingUp();
    }

    public LogPopulation population() {
        return model.population();
    }

    /** The population with the current instant's purchases, without applying them (a checkpoint must not change scores). */
    public LogPopulation populationForCheckpoint() {
        return model.populationForCheckpoint();
    }

    public void restore(LogPopulation restored) {
        model.restore(restored);
    }
}
