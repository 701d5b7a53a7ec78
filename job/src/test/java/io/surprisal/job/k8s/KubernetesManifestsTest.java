package io.surprisal.job.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.job.LocalClusterConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Kubernetes manifests in k8s/: valid against the operator's CRD, carrying a job configuration that parses. */
class KubernetesManifestsTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path K8S = Path.of("../k8s");

    private static JsonNode crdSchema() throws Exception {
        JsonNode crd = YAML.readTree(Files.readString(K8S.resolve("crds/flinkdeployments.flink.apache.org-v1.yml")));
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (v.path("name").asText().equals("v1beta1")) {
                return v.path("schema").path("openAPIV3Schema");
            }
        }
        throw new AssertionError("the CRD has no v1beta1");
    }

    private static JsonNode deployment() throws Exception {
        return YAML.readTree(Files.readString(K8S.resolve("flinkdeployment.yaml")));
    }

    @Test
    void theFlinkDeploymentIsValidAgainstTheOperatorsCrd() throws Exception {
        JsonNode d = deployment();
        assertThat(d.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(d.path("kind").asText()).isEqualTo("FlinkDeployment");
        List<String> errors = StructuralSchema.validate(d, crdSchema());
        assertThat(errors).isEmpty();
    }

    @Test
    void theValidatorCatchesWhatStrictValidationWould() throws Exception {
        JsonNode bad = YAML.readTree("""
                apiVersion: flink.apache.org/v1beta1
                kind: FlinkDeployment
                metadata: {name: x}
                spec:
                  flinkVersion: v9_9
                  jobManager: {resource: {memory: 2048m, cpu: "one"}}
                  job: {jarURI: local:///x.jar, upgradeMode: sometimes, parallelizm: 2}
                """);
        List<String> errors = StructuralSchema.validate(bad, crdSchema());
        assertThat(errors).anyMatch(e -> e.contains(".spec.flinkVersion") && e.contains("v9_9"));
        assertThat(errors).anyMatch(e -> e.contains(".spec.jobManager.resource.cpu: must be a number"));
        assertThat(errors).anyMatch(e -> e.contains(".spec.job.upgradeMode"));
        assertThat(errors).anyMatch(e -> e.contains(".spec.job.parallelizm: unknown field"));
    }

    @Test
    void theDeploymentIsWhatTheIssueAsksFor() throws Exception {
        JsonNode spec = deployment().path("spec");
        assertThat(spec.path("job").path("jarURI").asText()).isEqualTo("local:///opt/flink/usrlib/surprisal-job.jar");
        assertThat(spec.path("job").path("entryClass").asText()).isEqualTo("io.surprisal.job.SurprisalJob");
        assertThat(spec.path("job").path("upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(spec.path("flinkVersion").asText()).isEqualTo("v2_2");
        JsonNode conf = spec.path("flinkConfiguration");
        assertThat(conf.path("high-availability.type").asText()).isEqualTo("kubernetes");
        assertThat(conf.path("state.backend.type").asText()).isEqualTo("rocksdb");
        assertThat(conf.path("execution.checkpointing.incremental").asText()).isEqualTo("true");
        assertThat(conf.path("execution.checkpointing.dir").asText()).startsWith("s3://");
        // Credentials only from Secrets, never inline.
        String text = Files.readString(K8S.resolve("flinkdeployment.yaml"));
        assertThat(text).contains("secretKeyRef").doesNotContainPattern("(?i)password:\\s*\\S");
        assertThat(Files.readString(K8S.resolve("Dockerfile"))).contains("FROM flink:2.2").contains("/opt/flink/usrlib/surprisal-job.jar");
    }

    /**
     * The job runs on Kubernetes as on the standalone cluster and in local runs: every runtime setting
     * of conf/flink/config.yaml has the same value in the FlinkDeployment, but where checkpoints go
     * (S3 there) and the parallelism (the deployment's job.parallelism, which the operator applies).
     */
    @Test
    void theDeploymentCarriesTheRuntimeSettingsOfConfFlink() throws Exception {
        JsonNode spec = deployment().path("spec");
        JsonNode conf = spec.path("flinkConfiguration");
        Map<String, String> runtime = LocalClusterConfiguration.runtimeSettings(Path.of("../conf/flink")).toMap();
        Set<String> placeDependent = Set.of("execution.checkpointing.dir", "execution.checkpointing.savepoint-dir", "parallelism.default");
        assertThat(runtime).containsKeys("state.backend.type", "state.backend.rocksdb.options-factory",
                "execution.checkpointing.interval", "execution.buffer-timeout.interval", "pipeline.auto-watermark-interval");
        runtime.forEach((key, value) -> {
            if (!placeDependent.contains(key)) {
                assertThat(conf.path(key).asText()).as(key).isEqualTo(value);
            }
        });
        assertThat(spec.path("job").path("parallelism").asText()).isEqualTo(runtime.get("parallelism.default"));
    }

    @Test
    void theJobConfigurationItCarriesParses() throws Exception {
        JsonNode cm = YAML.readTree(Files.readString(K8S.resolve("configmap.yaml")));
        String yaml = cm.path("data").path("surprisal.yaml").asText();
        SurprisalConfig c = ConfigLoader.fromYaml(yaml);
        assertThat(c.source().type()).isEqualTo(SurprisalConfig.SourceType.KAFKA);
        assertThat(c.sinks().type()).isEqualTo(SurprisalConfig.SinkType.KAFKA);
        // The deployment passes that file with --config, at the path the ConfigMap is mounted on.
        List<String> args = new ArrayList<>();
        deployment().path("spec").path("job").path("args").forEach(a -> args.add(a.asText()));
        assertThat(args).containsExactly("--config", "/opt/flink/surprisal/surprisal.yaml");
    }

    @Test
    void theKafkaTopicsAreStrimziResources() throws Exception {
        var parser = YAML.getFactory().createParser(Files.readString(K8S.resolve("kafka-topics.yaml")));
        List<String> topics = new ArrayList<>();
        for (JsonNode t : YAML.readValues(parser, JsonNode.class).readAll()) {
            assertThat(t.path("apiVersion").asText()).isEqualTo("kafka.strimzi.io/v1beta2");
            assertThat(t.path("kind").asText()).isEqualTo("KafkaTopic");
            topics.add(t.path("spec").path("topicName").asText());
        }
        SurprisalConfig c = ConfigLoader.fromYaml(YAML.readTree(Files.readString(K8S.resolve("configmap.yaml"))).path("data").path("surprisal.yaml").asText());
        assertThat(topics).contains(c.source().kafka().topic(), c.sinks().kafka().alertsTopic(), c.sinks().kafka().deadLettersTopic(),
                c.feedback().updates().topic());
    }

    /**
     * Mail is on, and its password reaches the TaskManagers only from a Secret: the variable the job
     * reads is set from a secretKeyRef in the pod template, and no manifest carries a password.
     */
    @Test
    void mailIsEnabledWithItsPasswordFromASecret() throws Exception {
        String configMap = Files.readString(K8S.resolve("configmap.yaml"));
        SurprisalConfig c = ConfigLoader.fromYaml(YAML.readTree(configMap).path("data").path("surprisal.yaml").asText());
        assertThat(c.mail().enabled()).isTrue();
        assertThat(c.mail().username()).isNotBlank();
        assertThat(c.mail().security()).isNotEqualTo(SurprisalConfig.MailSecurity.NONE);
        assertThat(c.mail().dashboardUrl()).contains("{alert_id}");
        JsonNode password = null;
        for (JsonNode container : deployment().path("spec").path("podTemplate").path("spec").path("containers")) {
            for (JsonNode env : container.path("env")) {
                if (env.path("name").asText().equals(c.mail().passwordEnv())) {
                    password = env;
                }
            }
        }
        assertThat(password).as("env " + c.mail().passwordEnv() + " in the pod template").isNotNull();
        assertThat(password.has("value")).isFalse();
        assertThat(password.path("valueFrom").path("secretKeyRef").path("name").asText()).isEqualTo("surprisal-smtp");
        assertThat(configMap).doesNotContainPattern("(?i)password:\\s*\\S");
        // Feedback from the dashboard, on its own topic.
        assertThat(c.feedback().updates().type()).isEqualTo(SurprisalConfig.UpdatesSourceType.KAFKA);
    }
}
