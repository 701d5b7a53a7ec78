package io.surprisal.classifier;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertBuilder;
import io.surprisal.config.SurprisalConfig.ModelDetectorConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Detector {@code model}: a trained classifier's probability that a closed session, or a login, is
 * malicious (docs/detectors.md#model; one detector per vector, {@link ModelFiles#SESSION} or
 * {@link ModelFiles#LOGIN}, each with its own model). The score in bits is the surprisal of the session being benign,
 * -log2(1 - p); it alerts at {@code min-probability}'s, and names the features that weighed most:
 * each input set alone to its training mean, the bits the probability loses are that feature's
 * weight (leave one feature out, to the mean; any model, linear or not; see {@link #weights}). Plain Java; the per-user
 * operator calls it once per closed session, login novelty's once per login, never per other
 * event, and each swaps its model when an update arrives ({@link #use}).
 */
public final class ModelDetector implements AutoCloseable {
    public static final String DETECTOR = "model";

    private final ModelDetectorConfig config;
    private final String vector;
    private final String[] vectorNames;
    private final int vectorVersion;
    private LoadedModel model;

    /** The detector of closed sessions: {@code vectorNames}, {@code vectorVersion} the session vector's. */
    public ModelDetector(ModelDetectorConfig config, String[] vectorNames, int vectorVersion) {
        this(config, ModelFiles.SESSION, vectorNames, vectorVersion);
    }

    /**
     * @param vector the vector it scores, {@link ModelFiles#SESSION} or {@link ModelFiles#LOGIN}
     * @param vectorNames the job's vector's feature names, in its order
     * @param vectorVersion that vector's version
     */
    public ModelDetector(ModelDetectorConfig config, String vector, String[] vectorNames, int vectorVersion) {
        this.config = config;
        this.vector = vector;
        this.vectorNames = vectorNames.clone();
        this.vectorVersion = vectorVersion;
    }

    /** The vector this detector scores. */
    public String vector() {
        return vector;
    }

    /**
     * Loads {@code files} for this job's vector; throws {@link ModelException} when it cannot be
     * used, a model of the other vector included.
     */
    public LoadedModel load(ModelFiles files) {
        String scores = ModelCard.parse(files.card()).featureVector();
        if (!vector.equals(scores)) {
            throw new ModelException("a model of the " + scores + " vector cannot score the " + vector + " vector");
        }
        return LoadedModel.load(files, vectorNames, vectorVersion);
    }

    /** Scores with {@code next} from now on (null: none, the detector is idle); closes the model it replaces. */
    public void use(LoadedModel next) {
        LoadedModel previous = model;
        model = next;
        if (previous != null && previous != next) {
            previous.close();
        }
    }

    /** The model in use, or null. */
    public LoadedModel model() {
        return model;
    }

    /**
     * Judges one closed session: its vector {@code v} (in the job's order), last event at {@code ts}.
     *
     * @return the alert, or null below the bar or without a model
     */
    public Alert onSessionClosed(double[] v, long ts, String user, String tenant, String session, String why, int maxEvents) {
        return onSessionClosed(v, ts, user, tenant, session, why, maxEvents, a -> { });
    }

    /** {@link #onSessionClosed(double[], long, String, String, String, String, int)}, the alert's events added by {@code events}. */
    public Alert onSessionClosed(double[] v, long ts, String user, String tenant, String session, String why, int maxEvents,
            java.util.function.Consumer<AlertBuilder> events) {
        if (model == null) {
            return null;
        }
        return judge(v, AlertBuilder.of(DETECTOR, ts, user, session, maxEvents).tenant(tenant),
                String.format(Locale.ROOT, "session %s of %s ended (%s)", session == null ? "-" : session, user, why), events);
    }

    /**
     * Judges one login: its vector {@code v} (in the job's login vector order); the alert carries
     * the login event {@code e}.
     *
     * @return the alert, or null below the bar or without a model
     */
    public Alert onLogin(double[] v, io.surprisal.event.Event e, int maxEvents) {
        if (model == null) {
            return null;
        }
        return judge(v, AlertBuilder.of(DETECTOR, e, maxEvents),
                String.format(Locale.ROOT, "%s login of %s", e.fail ? "failed" : "successful", e.user), a -> a.event(e.copy()));
    }

    private Alert judge(double[] v, AlertBuilder a, String what, java.util.function.Consumer<AlertBuilder> events) {
        float[] row = model.row(v);
        double p = model.probability(v);
        if (!(p >= config.minProbability())) {
            return null;
        }
        double bits = benignSurprisal(p);
        double bar = benignSurprisal(config.minProbability());
        ModelCard card = model.card();
        a.bits(bits, bar)
                .summary(String.format(Locale.ROOT,
                        "%s; model %s (version %s) gives it a %.3f probability of being malicious: "
                                + "%.1f bits, above -log2(1 - %.3f) = %.1f",
                        what, card.name(), card.version(), p, bits, config.minProbability(), bar))
                .reason("model_probability", String.format(Locale.ROOT, "%.4f", p),
                        String.format(Locale.ROOT, "< %.3f", config.minProbability()), bits);
        for (Weight w : weights(row, v, bits)) {
            a.reason(w.feature, w.observed, w.expected, w.bits);
        }
        events.accept(a);
        return a.build();
    }

    /** -log2(1 - p): how surprising it would be that the session is benign; finite at p = 1. */
    static double benignSurprisal(double p) {
        return -Math.log(Math.max(1.0 - p, 1e-12)) / Math.log(2);
    }

    private record Weight(String feature, String observed, String expected, double bits) {}

    /**
     * The {@code reasons} inputs that weighed most, largest first; only those that raise the bits.
     * Each input set alone to its training mean: the bits the probability loses. When the
     * probability is so close to 1 that no single input moves it (float precision), each input alone
     * at its value with the others at their means: the bits it gains over the means.
     */
    private List<Weight> weights(float[] row, double[] v, double bits) {
        ModelCard card = model.card();
        double[] without = model.withoutEach(row);
        double[] weight = new double[row.length];
        boolean any = false;
        for (int i = 0; i < row.length; i++) {
            weight[i] = bits - benignSurprisal(without[i]);
            any |= weight[i] > 0;
        }
        String measure = "at it: p %.4f";
        double[] compared = without;
        if (!any) {
            float[] base = new float[row.length];
            for (int i = 0; i < row.length; i++) {
                base[i] = (float) card.baselineAt(i);
            }
            double baseBits = benignSurprisal(model.probabilityOfRow(base));
            compared = model.aloneEach(row);
            for (int i = 0; i < row.length; i++) {
                weight[i] = benignSurprisal(compared[i]) - baseBits;
            }
            measure = "this alone, the rest at theirs: p %.4f";
        }
        List<Weight> all = new ArrayList<>(row.length);
        for (int i = 0; i < row.length; i++) {
            if (weight[i] > 0) {
                double x = v[model.sourceOf(i)];
                double mean = untransform(card, card.baselineAt(i));
                all.add(new Weight(card.features().get(i),
                        Double.isNaN(x) ? "missing" : String.format(Locale.ROOT, "%.3f", x),
                        String.format(Locale.ROOT, "%.3f (training mean); " + measure, mean, compared[i]),
                        weight[i]));
            }
        }
        all.sort((x, y) -> Double.compare(y.bits, x.bits));
        return all.subList(0, Math.min(config.reasons(), all.size()));
    }

    private static double untransform(ModelCard card, double y) {
        return ModelCard.SIGNED_LOG1P.equals(card.transform()) ? Math.signum(y) * Math.expm1(Math.abs(y)) : y;
    }

    @Override
    public void close() {
        use(null);
    }
}
