package io.surprisal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @Test
    void defaultsComeFromConfSurprisalYaml() {
        SurprisalConfig c = ConfigLoader.defaults();
        assertThat(c.source().type()).isEqualTo(SurprisalConfig.SourceType.FILE);
        assertThat(c.source().outOfOrderness()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.state().ttl()).isEqualTo(Duration.ofDays(90));
        assertThat(c.model().session().inactivityGap()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.detectors().transition().enabled()).isTrue();
    }

    @Test
    void aFileOverridesSomeKeysAndSetOverridesTheFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("my.yaml");
        Files.writeString(f, "source:\n  type: kafka\n  out-of-orderness: 2s\ndetectors:\n  transition:\n    threshold-bits: 10\n");
        SurprisalConfig c = ConfigLoader.load(f, List.of("detectors.transition.threshold-bits=16.5", "state.ttl=30d"));
        assertThat(c.source().type()).isEqualTo(SurprisalConfig.SourceType.KAFKA);
        assertThat(c.source().outOfOrderness()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.detectors().transition().thresholdBits()).isEqualTo(16.5);
        assertThat(c.state().ttl()).isEqualTo(Duration.ofDays(30));
        // Untouched keys keep their defaults.
        assertThat(c.source().kafka().topic()).isEqualTo("surprisal-events");
    }

    @Test
    void theLoginModelNeedsLoginNovelty() {
        assertThat(ConfigLoader.defaults().detectors().model().scoresLogins()).as("off by default").isFalse();
        assertThat(ConfigLoader.load(null, List.of("detectors.model.logins=true")).detectors().model().scoresLogins())
                .as("no model given").isFalse();
        assertThat(ConfigLoader.load(null, List.of("detectors.model.logins=true", "detectors.model.path=/m")).detectors().model().scoresLogins())
                .isTrue();
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("detectors.model.logins=true", "detectors.model.path=/m", "novelty.enabled=false")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("needs novelty.enabled");
    }

    @Test
    void unknownKeysAndBadValuesAreErrorsThatNameTheKey(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("detectors.transition.treshold-bits=3")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("detectors.transition.treshold-bits");
        Path f = dir.resolve("typo.yaml");
        Files.writeString(f, "model:\n  transition:\n    prior-strenght: 3\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, List.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("model.transition.prior-strenght");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("model.session.max-population-sessions-per-user=0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("model.session.max-population-sessions-per-user");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("detectors.false-alarm-window=0s")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("detectors.false-alarm-window");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("source.idleness=soon")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("no-equals-sign")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key.path=value");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("source.file.max-events-per-second=-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("source.file.max-events-per-second");
    }

    /**
     * Parallelism, state backend and checkpoints are Flink's settings: given to the job, from a file
     * or with --set, they are errors that name the Flink key to set instead.
     */
    @Test
    void flinkRuntimeSettingsGivenToTheJobSayWhereTheyLive(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("state.backend=hashmap")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'state.backend' is a Flink runtime setting")
                .hasMessageContaining("state.backend.type in Flink's configuration (conf/flink/config.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("job.parallelism=1")))
                .hasMessageContaining("set parallelism.default in Flink's configuration");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("state.incremental=false")))
                .hasMessageContaining("set execution.checkpointing.incremental");
        Path f = dir.resolve("old.yaml");
        Files.writeString(f, "state:\n  ttl: 30d\n  checkpoint-interval: 2s\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, List.of()))
                .hasMessageContaining("'state.checkpoint-interval' is a Flink runtime setting")
                .hasMessageContaining("-Dexecution.checkpointing.interval=...");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("state:\n  checkpoint-dir: s3://b/c\n"))
                .hasMessageContaining("set execution.checkpointing.dir");
        // Only those: any other unknown key is what it is.
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("state.backends=hashmap")))
                .hasMessage("unknown configuration key 'state.backends'");
    }

    @Test
    void theFileSourceIsNotPacedUnlessAsked() {
        assertThat(ConfigLoader.defaults().source().file().maxEventsPerSecond()).isZero();
        assertThat(ConfigLoader.load(null, List.of("source.file.max-events-per-second=250")).source().file().maxEventsPerSecond())
                .isEqualTo(250.0);
    }

    @Test
    void cepPatternsHaveDocumentedDefaultsAndRangeChecks() {
        SurprisalConfig.CepConfig cep = ConfigLoader.defaults().cep();
        assertThat(cep.failedLoginThenBuy().within()).isEqualTo(Duration.ofMinutes(30));
        assertThat(cep.bruteForce().minFailures()).isEqualTo(5);
        assertThat(cep.bruteForce().within()).isEqualTo(Duration.ofMinutes(10));
        assertThat(cep.accountTakeover().within()).isEqualTo(Duration.ofHours(1));
        assertThat(cep.credentialStuffing().minUsers()).isEqualTo(5);
        assertThat(ConfigLoader.load(null, List.of("cep.credential-stuffing.enabled=false")).cep().credentialStuffing().enabled())
                .isFalse();
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("cep.brute-force.min-failures=40")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cep.brute-force.min-failures");
    }

    @Test
    void velocityHasDocumentedDefaultsAndRangeChecks() {
        SurprisalConfig.VelocityDetectorConfig velocity = ConfigLoader.defaults().detectors().velocity();
        assertThat(velocity.enabled()).isTrue();
        assertThat(velocity.maxEventsPerMinute()).isEqualTo(15);
        assertThat(velocity.sustainedMinutes()).isEqualTo(5);
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("detectors.velocity.max-gap-cv=1.5")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("detectors.velocity.max-gap-cv");
    }

    @Test
    void aKeyOfTheFormerVelocitySectionNamesItsPlace(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("cep.bot-velocity.enabled=false")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown configuration key 'cep.bot-velocity.enabled': it is 'detectors.velocity.enabled'");
        Path file = Files.writeString(dir.resolve("old.yaml"), "cep:\n  bot-velocity:\n    max-events-per-minute: 30\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("it is 'detectors.velocity");
    }

    @Test
    void floodBoundsHaveDocumentedDefaultsAndRangeChecks() {
        assertThat(ConfigLoader.defaults().cep().maxOpeners()).isEqualTo(4);
        assertThat(ConfigLoader.defaults().suppression().maxAlerts()).isEqualTo(10);
        assertThat(ConfigLoader.load(null, List.of("suppression.max-alerts=0")).suppression().maxAlerts()).isZero();
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("cep.max-openers=0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cep.max-openers");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("suppression.max-alerts=-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("suppression.max-alerts");
    }

    @Test
    void durations() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("90d")).isEqualTo(Duration.ofDays(90));
        assertThat(Durations.parse("PT5S")).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void mailAndSuppressionSectionsParseAndAreChecked() {
        SurprisalConfig c = ConfigLoader.fromYaml("""
                mail:
                  enabled: true
                  security: smtps
                  min-severity: critical
                  routes:
                    - {detectors: [login-novelty], min-severity: high, to: [a@example.org, b@example.org]}
                suppression: {window: 2h, detectors: {session: 0s}}
                """);
        var m = c.mail();
        assertThat(m.security()).isEqualTo(SurprisalConfig.MailSecurity.SMTPS);
        assertThat(m.minSeverity()).isEqualTo(io.surprisal.alert.Severity.CRITICAL);
        assertThat(m.groupWindow()).isEqualTo(Duration.ofMinutes(10));
        assertThat(m.ratePerMinute()).isEqualTo(30);
        assertThat(m.passwordEnv()).isEqualTo("SURPRISAL_SMTP_PASSWORD");
        assertThat(m.routes()).singleElement().satisfies(r -> {
            assertThat(r.to()).containsExactly("a@example.org", "b@example.org");
            assertThat(r.matches("login-novelty", io.surprisal.alert.Severity.HIGH)).isTrue();
            assertThat(r.matches("login-novelty", io.surprisal.alert.Severity.MEDIUM)).isFalse();
            assertThat(r.matches("session", io.surprisal.alert.Severity.CRITICAL)).isFalse();
        });
        assertThat(c.suppression().windowFor("transition")).isEqualTo(Duration.ofHours(2));
        assertThat(c.suppression().windowFor("session")).isZero();

        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("mail.enabled=true", "mail.routes=[]")))
                .hasMessageContaining("mail.routes");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("mail.rate-per-minute=0")))
                .hasMessageContaining("mail.rate-per-minute");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("sinks.type=kafka", "sinks.kafka.transaction-timeout=0s")))
                .hasMessageContaining("sinks.kafka.transaction-timeout");
    }
}
