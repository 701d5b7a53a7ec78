package io.surprisal.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.surprisal.alert.Alert;
import io.surprisal.alert.Reason;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.Event;
import io.surprisal.novelty.Feature;
import io.surprisal.novelty.LoginFeatures;
import io.surprisal.session.SessionFeatures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Detector model on logins, with the committed login models (src-test-data/models, trained by
 * {@code surprisal train --vectors login} on the quickstart sample), scored by ONNX Runtime; and how
 * a model directory tells a session model from a login model.
 */
class LoginModelDetectorTest {
    static final Path LOGIN_LOGISTIC = Path.of("../src-test-data/models/quickstart-login-logistic");
    static final Path LOGIN_FM = Path.of("../src-test-data/models/quickstart-login-fm");

    static SurprisalConfig config() {
        return ConfigLoader.load(null, List.of("detectors.model.path=" + LOGIN_LOGISTIC, "detectors.model.logins=true"));
    }

    static ModelDetector detector(SurprisalConfig c) {
        return new ModelDetector(c.detectors().model(), ModelFiles.LOGIN, LoginFeatures.NAMES, LoginFeatures.COUNT);
    }

    /** A returning user's usual login: nothing new, a day after the last. */
    static double[] usualLogin() {
        double[] v = new double[LoginFeatures.COUNT];
        v[LoginFeatures.HOURS_SINCE_LAST_LOGIN] = 24;
        v[LoginFeatures.DISTANCE_KM] = 3;
        v[LoginFeatures.SPEED_KMH] = 0.1;
        v[LoginFeatures.HOUR] = 19;
        v[LoginFeatures.USER_LOGINS] = 12;
        return v;
    }

    /** A takeover's login: a new country, network and client, far away, after failed attempts. */
    static double[] takeoverLogin() {
        double[] v = usualLogin();
        for (Feature f : new Feature[] {Feature.COUNTRY, Feature.REGION, Feature.CITY, Feature.ASN, Feature.PREFIX, Feature.DEVICE,
                Feature.OS, Feature.BROWSER, Feature.BROWSER_VERSION}) {
            v[LoginFeatures.newIndex(f)] = 1;
        }
        v[LoginFeatures.newIndex(Feature.COUNTRY) + 1] = 8;
        v[LoginFeatures.newIndex(Feature.COUNTRY) + 2] = 6;
        v[LoginFeatures.newIndex(Feature.DEVICE) + 1] = 6;
        v[LoginFeatures.TRAVEL_BITS] = 11;
        v[LoginFeatures.NOVELTY_BITS] = 31;
        v[LoginFeatures.FAILURES_BEFORE] = 6;
        v[LoginFeatures.HOURS_SINCE_LAST_LOGIN] = 2;
        v[LoginFeatures.DISTANCE_KM] = 7500;
        v[LoginFeatures.SPEED_KMH] = 3750;
        v[LoginFeatures.HOUR] = 3;
        return v;
    }

    static Event login(String user) {
        Event e = new Event();
        e.ts = 1_000L;
        e.eventId = user + "-1";
        e.user = user;
        e.session = "s-" + user;
        e.action = "login";
        return e;
    }

    @Test
    void aTakeoversLoginAlertsWithItsProbabilityAndTheFeaturesThatWeighedMost() {
        try (ModelDetector d = detector(config())) {
            d.use(d.load(ModelFiles.read(LOGIN_LOGISTIC, ModelFiles.LOGIN)));
            double p = d.model().probability(takeoverLogin());
            assertThat(p).isGreaterThan(0.9);
            Alert a = d.onLogin(takeoverLogin(), login("mallory"), 5);
            assertThat(a).isNotNull();
            assertThat(a.detector).isEqualTo("model");
            assertThat(a.user).isEqualTo("mallory");
            assertThat(a.summary).startsWith("successful login of mallory; model logistic-regression");
            assertThat(a.score).isCloseTo(ModelDetector.benignSurprisal(p), within(1e-9));
            Reason first = a.reasons.get(0);
            assertThat(first.feature).isEqualTo("model_probability");
            assertThat(first.observed).isEqualTo(String.format(java.util.Locale.ROOT, "%.4f", p));
            List<Reason> weights = a.reasons.subList(1, a.reasons.size());
            assertThat(weights).hasSizeBetween(1, 3).allSatisfy(r -> {
                assertThat(r.bits).isPositive();
                assertThat(List.of(LoginFeatures.NAMES)).contains(r.feature);
            });
            assertThat(a.events).singleElement().satisfies(e -> assertThat(e.eventId).isEqualTo("mallory-1"));
        }
    }

    @Test
    void aUsualLoginDoesNotAlert() {
        try (ModelDetector d = detector(config())) {
            d.use(d.load(ModelFiles.read(LOGIN_LOGISTIC, ModelFiles.LOGIN)));
            assertThat(d.model().probability(usualLogin())).isLessThan(0.5);
            assertThat(d.onLogin(usualLogin(), login("jane"), 5)).isNull();
        }
    }

    @Test
    void twoLoginModelsScoreTheSameLoginDifferently() {
        try (ModelDetector d = detector(config());
                LoadedModel logistic = d.load(ModelFiles.read(LOGIN_LOGISTIC, ModelFiles.LOGIN));
                LoadedModel fm = d.load(ModelFiles.read(LOGIN_FM, ModelFiles.LOGIN))) {
            // Between the two: a new country and network, near enough, no failures.
            double[] middle = usualLogin();
            middle[LoginFeatures.newIndex(Feature.COUNTRY)] = 1;
            middle[LoginFeatures.newIndex(Feature.COUNTRY) + 1] = 4;
            middle[LoginFeatures.newIndex(Feature.ASN)] = 1;
            middle[LoginFeatures.newIndex(Feature.PREFIX)] = 1;
            middle[LoginFeatures.NOVELTY_BITS] = 4;
            middle[LoginFeatures.DISTANCE_KM] = 400;
            double difference = 0;
            for (double[] v : List.of(usualLogin(), middle, takeoverLogin())) {
                difference = Math.max(difference, Math.abs(logistic.probability(v) - fm.probability(v)));
            }
            assertThat(difference).isGreaterThan(0.001);
        }
    }

    @Test
    void eachDetectorTakesOnlyItsVectorsModel() {
        SurprisalConfig c = config();
        try (ModelDetector logins = detector(c);
                ModelDetector sessions = new ModelDetector(c.detectors().model(), SessionFeatures.NAMES, SessionFeatures.COUNT)) {
            assertThatThrownBy(() -> logins.load(ModelFiles.read(ModelDetectorTest.LOGISTIC)))
                    .isInstanceOf(ModelException.class).hasMessageContaining("session vector cannot score the login vector");
            assertThatThrownBy(() -> sessions.load(ModelFiles.read(LOGIN_LOGISTIC, ModelFiles.LOGIN)))
                    .isInstanceOf(ModelException.class).hasMessageContaining("login vector cannot score the session vector");
        }
    }

    @Test
    void aModelDirectoryHoldsASessionModelALoginModelOrBoth(@TempDir Path both) throws Exception {
        // A login model only: no session model, and a session reader says so.
        assertThat(ModelFiles.read(LOGIN_LOGISTIC, ModelFiles.SESSION)).isNull();
        assertThat(ModelFiles.read(ModelDetectorTest.LOGISTIC, ModelFiles.LOGIN)).isNull();
        assertThatThrownBy(() -> ModelFiles.read(LOGIN_LOGISTIC)).isInstanceOf(ModelException.class).hasMessageContaining("no session model");
        assertThatThrownBy(() -> ModelFiles.read(both, ModelFiles.LOGIN)).isInstanceOf(ModelException.class)
                .hasMessageContaining("neither model.json nor login-model.json");
        for (Path dir : List.of(ModelDetectorTest.LOGISTIC, LOGIN_LOGISTIC)) {
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.copy(f, both.resolve(f.getFileName()));
                }
            }
        }
        ModelFiles session = ModelFiles.read(both, ModelFiles.SESSION);
        ModelFiles login = ModelFiles.read(both, ModelFiles.LOGIN);
        assertThat(ModelCard.parse(session.card()).featureVector()).isEqualTo(ModelFiles.SESSION);
        assertThat(ModelCard.parse(login.card()).featureVector()).isEqualTo(ModelFiles.LOGIN);
        // An update line with the model itself is for the vector its card names, and only that one.
        String inline = login.toUpdateLine();
        assertThat(ModelFiles.parseUpdate(inline, ModelFiles.SESSION)).isNull();
        assertThat(ModelFiles.parseUpdate(inline, ModelFiles.LOGIN).onnx()).isEqualTo(login.onnx());
        assertThat(ModelFiles.parseUpdate(both.toString(), ModelFiles.LOGIN).onnx()).isEqualTo(login.onnx());
        assertThat(ModelFiles.parseUpdate(both.toString(), ModelFiles.SESSION).onnx()).isEqualTo(session.onnx());
    }
}
