package io.surprisal.novelty;

import io.surprisal.flink.Descriptors;
import io.surprisal.flink.ModelHarness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.surprisal.alert.Alert;
import io.surprisal.classifier.ModelFiles;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.Event;
import io.surprisal.event.UserKey;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Detector model's login model in login novelty's operator with model updates, in a harness: each
 * login is scored by the login model of the last usable update, exactly as that model scores the
 * login's vector (the operator's own side output); a session model is not for it; an unusable update
 * is a dead letter; the model and the users' profiles survive the replacement and a restore.
 */
class LoginModelUpdatesTest {
    static final Path LOGIN_LOGISTIC = Path.of("../src-test-data/models/quickstart-login-logistic");
    static final Path LOGIN_FM = Path.of("../src-test-data/models/quickstart-login-fm");
    static final Path SESSION_LOGISTIC = Path.of("../src-test-data/models/quickstart-logistic");
    static final long T0 = 1_800_000_000_000L;
    static final long HOUR = 3_600_000L;
    static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    /** Every login alerts, so each alert shows the probability its model gave. */
    static final SurprisalConfig CONFIG = ConfigLoader.load(null, List.of("detectors.model.logins=true",
            "detectors.model.min-probability=0.000001", "detectors.model.updates.type=kafka", "novelty.emit-vectors=true"));

    static KeyedBroadcastOperatorTestHarness<String, Event, LoginNoveltyUpdate, Event> harness() throws Exception {
        return new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(new LoginNoveltyWithUpdatesFunction(CONFIG.novelty(), CONFIG.cep(), CONFIG.detectors().model(),
                        CONFIG.state(), CONFIG.alerts().maxEvents()), List.of(Descriptors.ALLOWLIST, Descriptors.LOGIN_MODEL)),
                new UserKey(), Types.STRING, 1, 1, 0);
    }

    static void login(KeyedBroadcastOperatorTestHarness<String, Event, LoginNoveltyUpdate, Event> h, String user, long ts) throws Exception {
        Event e = new Event();
        e.user = user;
        e.action = "login";
        e.ts = ts;
        e.eventId = user + "@" + ts;
        e.session = user + "-" + ts / HOUR;
        e.country = "US";
        e.region = "New York";
        e.city = "New York";
        e.asn = 7922L;
        e.ip = "73.12.7.9";
        e.userAgent = CHROME;
        h.processElement(new StreamRecord<>(e, e.ts));
    }

    static void update(KeyedBroadcastOperatorTestHarness<String, Event, LoginNoveltyUpdate, Event> h, String line) throws Exception {
        h.processBroadcastElement(new StreamRecord<>(LoginNoveltyUpdate.model(line)));
    }

    static List<Alert> modelAlerts(KeyedBroadcastOperatorTestHarness<String, Event, LoginNoveltyUpdate, Event> h) {
        return ModelHarness.modelAlerts(h);
    }

    static LoginVector lastLogin(KeyedBroadcastOperatorTestHarness<String, Event, LoginNoveltyUpdate, Event> h) {
        return ModelHarness.last(h, Descriptors.LOGIN_VECTORS);
    }

    /** The bits the login model of {@code dir} gives {@code v}. */
    static double bitsOf(Path dir, LoginVector v) {
        return ModelHarness.bitsOf(dir, ModelFiles.LOGIN, LoginFeatures.NAMES, LoginFeatures.COUNT, v.features);
    }

    @Test
    void eachLoginIsScoredByTheLastUsableLoginModelAndARestoreKeepsIt() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            login(h, "u1", T0);
            assertThat(lastLogin(h).user).isEqualTo("u1");
            assertThat(modelAlerts(h)).as("no model yet").isEmpty();

            update(h, LOGIN_LOGISTIC.toString());
            login(h, "u2", T0 + HOUR);
            assertThat(modelAlerts(h)).singleElement().satisfies(a -> {
                assertThat(a.user).isEqualTo("u2");
                assertThat(a.score).isCloseTo(bitsOf(LOGIN_LOGISTIC, lastLogin(h)), within(1e-9));
            });

            update(h, "{\"card\": {\"feature_vector\": \"login\", \"features\": [\"typing_speed\"]}, \"onnx\": \"AAAA\"}");
            update(h, SESSION_LOGISTIC.toString()); // a session model: the other operator's
            assertThat(h.getSideOutput(Descriptors.DEAD_LETTERS)).extracting(r -> r.getValue().reason)
                    .containsExactly("unusable_model");
            login(h, "u3", T0 + 2 * HOUR);
            assertThat(modelAlerts(h).get(1).score).as("the model in use goes on").isCloseTo(bitsOf(LOGIN_LOGISTIC, lastLogin(h)), within(1e-9));

            update(h, ModelFiles.read(LOGIN_FM, ModelFiles.LOGIN).toUpdateLine());
            login(h, "u1", T0 + 3 * HOUR);
            LoginVector again = lastLogin(h);
            assertThat(modelAlerts(h).get(2).score).isCloseTo(bitsOf(LOGIN_FM, again), within(1e-9));
            assertThat(bitsOf(LOGIN_FM, again)).isNotCloseTo(bitsOf(LOGIN_LOGISTIC, again), within(1e-5));
            // u1's profile went through the replacement: its earlier login is known.
            assertThat(again.features[LoginFeatures.USER_LOGINS]).isEqualTo(1.0);
            assertThat(again.features[LoginFeatures.HOURS_SINCE_LAST_LOGIN]).isEqualTo(3.0);
            snapshot = h.snapshot(1, T0 + 3 * HOUR);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            login(h, "u2", T0 + 4 * HOUR);
            LoginVector restored = lastLogin(h);
            assertThat(restored.features[LoginFeatures.USER_LOGINS]).as("u2's profile came back").isEqualTo(1.0);
            assertThat(modelAlerts(h)).singleElement().satisfies(a ->
                    assertThat(a.score).as("the restored model is the last update's").isCloseTo(bitsOf(LOGIN_FM, restored), within(1e-9)));
        }
    }

    @Test
    void withoutLoginsOnTheOperatorScoresNoLogin() throws Exception {
        SurprisalConfig off = ConfigLoader.load(null, List.of("detectors.model.path=" + LOGIN_LOGISTIC, "detectors.model.min-probability=0.000001"));
        try (var h = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(new LoginNoveltyWithUpdatesFunction(off.novelty(), off.cep(), off.detectors().model(),
                        off.state(), off.alerts().maxEvents()), List.of(Descriptors.ALLOWLIST, Descriptors.LOGIN_MODEL)),
                new UserKey(), Types.STRING, 1, 1, 0)) {
            h.open();
            update(h, LOGIN_LOGISTIC.toString());
            login(h, "u1", T0);
            login(h, "u1", T0 + HOUR);
            assertThat(modelAlerts(h)).isEmpty();
            assertThat(h.getSideOutput(Descriptors.LOGIN_VECTORS)).as("novelty.emit-vectors is off").isNull();
        }
    }
}
