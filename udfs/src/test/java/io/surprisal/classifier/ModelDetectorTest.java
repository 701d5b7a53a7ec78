package io.surprisal.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.surprisal.alert.Alert;
import io.surprisal.alert.Reason;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.session.SessionFeatures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Detector model with the committed ONNX models (src-test-data/models), scored by ONNX Runtime. */
class ModelDetectorTest {
    static final Path LOGISTIC = Path.of("../src-test-data/models/quickstart-logistic");
    static final Path FM = Path.of("../src-test-data/models/quickstart-fm");

    static SurprisalConfig config(double minProbability) {
        return ConfigLoader.load(null, List.of("detectors.model.path=" + LOGISTIC, "detectors.model.min-probability=" + minProbability));
    }

    /** A bot's session: many events, seconds apart, all browsing, no purchase. */
    static double[] botSession() {
        double[] v = new double[SessionFeatures.COUNT];
        v[SessionFeatures.EVENTS] = 400;
        v[SessionFeatures.DURATION_S] = 400;
        v[SessionFeatures.MEAN_GAP_S] = 1;
        v[SessionFeatures.ACTIONS + 1] = 398; // browse
        v[SessionFeatures.BITS] = 2500;
        v[SessionFeatures.EXCESS_BITS] = 900;
        v[SessionFeatures.HOUR] = 3;
        v[SessionFeatures.VISIT_GAP_S] = Double.NaN;
        return v;
    }

    /** A buyer's session: a login, a few views, a purchase, a logout. */
    static double[] buyerSession() {
        double[] v = new double[SessionFeatures.COUNT];
        v[SessionFeatures.EVENTS] = 8;
        v[SessionFeatures.DURATION_S] = 300;
        v[SessionFeatures.MEAN_GAP_S] = 300 / 7.0;
        v[SessionFeatures.ACTIONS] = 1; // login
        v[SessionFeatures.ACTIONS + 1] = 5; // browse
        v[SessionFeatures.ACTIONS + 2] = 1; // buy
        v[SessionFeatures.BITS] = 14;
        v[SessionFeatures.EXCESS_BITS] = 1;
        v[SessionFeatures.AMOUNT] = 40;
        v[SessionFeatures.HOUR] = 19;
        v[SessionFeatures.VISIT_GAP_S] = 86_400;
        return v;
    }

    @Test
    void aBotsSessionAlertsWithTheFeaturesThatWeighedMost() {
        SurprisalConfig c = config(0.9);
        try (ModelDetector d = new ModelDetector(c.detectors().model(), SessionFeatures.NAMES, SessionFeatures.COUNT)) {
            d.use(d.load(ModelFiles.read(LOGISTIC)));
            double p = d.model().probability(botSession());
            assertThat(p).isGreaterThan(0.9);
            Alert a = d.onSessionClosed(botSession(), 1_000L, "bot1", null, "s1", "logout", 5);
            assertThat(a).isNotNull();
            assertThat(a.detector).isEqualTo("model");
            assertThat(a.score).isCloseTo(ModelDetector.benignSurprisal(p), within(1e-9));
            assertThat(a.threshold).isCloseTo(-Math.log(0.1) / Math.log(2), within(1e-9));
            Reason first = a.reasons.get(0);
            assertThat(first.feature).isEqualTo("model_probability");
            List<Reason> weights = a.reasons.subList(1, a.reasons.size());
            assertThat(weights).hasSizeBetween(1, 3);
            for (int i = 1; i < weights.size(); i++) {
                assertThat(weights.get(i).bits).isLessThanOrEqualTo(weights.get(i - 1).bits);
            }
            // So sure of it (p rounds to 1 in float) that no single feature at its mean moves it: each
            // feature's weight is then the bits it gains alone over the training means.
            Reason top = weights.get(0);
            ModelCard card = d.model().card();
            int input = card.features().indexOf(top.feature);
            float[] row = d.model().row(botSession());
            float[] base = new float[row.length];
            for (int i = 0; i < base.length; i++) {
                base[i] = (float) card.baseline()[i];
            }
            double alone = d.model().aloneEach(row)[input];
            assertThat(top.bits).isCloseTo(ModelDetector.benignSurprisal(alone) - ModelDetector.benignSurprisal(d.model().probabilityOfRow(base)),
                    within(1e-9)).isPositive();
            assertThat(top.expected).contains("this alone");
        }
    }

    @Test
    void aBuyersSessionDoesNotAlert() {
        SurprisalConfig c = config(0.9);
        try (ModelDetector d = new ModelDetector(c.detectors().model(), SessionFeatures.NAMES, SessionFeatures.COUNT)) {
            d.use(d.load(ModelFiles.read(LOGISTIC)));
            assertThat(d.model().probability(buyerSession())).isLessThan(0.5);
            assertThat(d.onSessionClosed(buyerSession(), 1_000L, "jane", null, "s2", "logout", 5)).isNull();
        }
    }

    @Test
    void twoModelsScoreTheSameSessionDifferently() {
        SurprisalConfig c = config(0.9);
        try (ModelDetector d = new ModelDetector(c.detectors().model(), SessionFeatures.NAMES, SessionFeatures.COUNT)) {
            LoadedModel logistic = d.load(ModelFiles.read(LOGISTIC));
            LoadedModel fm = d.load(ModelFiles.read(FM));
            double[] middle = buyerSession();
            middle[SessionFeatures.EVENTS] = 60;
            middle[SessionFeatures.MEAN_GAP_S] = 4;
            middle[SessionFeatures.ACTIONS + 1] = 55;
            middle[SessionFeatures.BITS] = 200;
            double difference = 0;
            for (double[] v : List.of(buyerSession(), middle, botSession())) {
                difference = Math.max(difference, Math.abs(logistic.probability(v) - fm.probability(v)));
            }
            assertThat(difference).isGreaterThan(0.01);
            logistic.close();
            fm.close();
        }
    }

    @Test
    void refusesAModelThatTakesAFeatureTheJobDoesNotProduce() {
        ModelFiles files = ModelFiles.read(LOGISTIC);
        String card = files.card().replace("\"visit_gap_s\"", "\"typing_speed\"");
        SurprisalConfig c = config(0.9);
        try (ModelDetector d = new ModelDetector(c.detectors().model(), SessionFeatures.NAMES, SessionFeatures.COUNT)) {
            assertThatThrownBy(() -> d.load(new ModelFiles(card, files.onnx())))
                    .isInstanceOf(ModelException.class)
                    .hasMessageContaining("takes features the job does not produce: [typing_speed]")
                    .hasMessageContaining("visit_gap_s");
        }
    }

    @Test
    void anUpdateLineCarriesAPathOrTheModelItself() {
        ModelFiles byPath = ModelFiles.parseUpdate(LOGISTIC.toString() + "\n");
        ModelFiles inline = ModelFiles.parseUpdate(byPath.toUpdateLine());
        assertThat(inline.onnx()).isEqualTo(byPath.onnx());
        assertThat(ModelCard.parse(inline.card())).usingRecursiveComparison().isEqualTo(ModelCard.parse(byPath.card()));
        assertThatThrownBy(() -> ModelFiles.parseUpdate("{\"card\": 1}")).isInstanceOf(ModelException.class);
        assertThatThrownBy(() -> ModelFiles.parseUpdate("/nowhere/model")).isInstanceOf(ModelException.class).hasMessageContaining("/nowhere/model");
    }

    @Test
    void aMissingFeatureTakesTheCardsValueBeforeTheTransform() {
        ModelCard card = ModelCard.parse(ModelFiles.read(LOGISTIC).card());
        LoadedModel m = LoadedModel.of(card, new Classifier() {
            @Override
            public double probability(float[] row) {
                return 0;
            }

            @Override
            public double[] probabilities(float[][] rows) {
                return new double[rows.length];
            }

            @Override
            public void close() {}
        }, SessionFeatures.NAMES, SessionFeatures.COUNT);
        float[] row = m.row(botSession());
        int gap = card.features().indexOf("visit_gap_s");
        int events = card.features().indexOf("events");
        assertThat(row[gap]).isEqualTo((float) card.transform(card.missing()[gap]));
        assertThat(row[events]).isCloseTo((float) Math.log1p(400), within(1e-6f));
    }

    @Test
    void itsConfigurationIsChecked() {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("detectors.model.min-probability=1")))
                .hasMessageContaining("detectors.model.min-probability must be in (0, 1)");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("detectors.model.updates.type=file", "detectors.model.updates.path=")))
                .hasMessageContaining("detectors.model.updates.path");
        assertThat(ConfigLoader.defaults().detectors().model().enabled()).as("off by default").isFalse();
    }
}
