package io.surprisal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * k8s/dashboard.yaml, checked as the job's manifests are (job's KubernetesManifestsTest): the
 * Deployment's arguments resolve into a dashboard configuration (with the token its Secret injects,
 * and not without it), its Service reaches its pods, it reads the topic the job writes, writes the
 * topic the job reads, the Strimzi topics exist, and its image runs this module's main.
 */
class DashboardManifestsTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path K8S = Path.of("../k8s");

    private static Map<String, JsonNode> documents(String file) throws Exception {
        Map<String, JsonNode> out = new HashMap<>();
        var parser = YAML.getFactory().createParser(Files.readString(K8S.resolve(file)));
        for (JsonNode d : YAML.readValues(parser, JsonNode.class).readAll()) {
            out.put(d.path("kind").asText() + "/" + d.path("metadata").path("name").asText(), d);
        }
        return out;
    }

    @Test
    void theDeploymentRunsTheDashboardWithItsTokenAndTheServiceReachesIt() throws Exception {
        Map<String, JsonNode> docs = documents("dashboard.yaml");
        JsonNode deployment = docs.get("Deployment/surprisal-dashboard");
        JsonNode service = docs.get("Service/surprisal-dashboard");
        assertThat(deployment.path("apiVersion").asText()).isEqualTo("apps/v1");
        assertThat(service.path("apiVersion").asText()).isEqualTo("v1");

        JsonNode selector = deployment.path("spec").path("selector").path("matchLabels");
        JsonNode podLabels = deployment.path("spec").path("template").path("metadata").path("labels");
        selector.fields().forEachRemaining(e -> assertThat(podLabels.path(e.getKey())).isEqualTo(e.getValue()));
        service.path("spec").path("selector").fields().forEachRemaining(e -> assertThat(podLabels.path(e.getKey())).isEqualTo(e.getValue()));

        JsonNode containers = deployment.path("spec").path("template").path("spec").path("containers");
        assertThat(containers).hasSize(1);
        JsonNode c = containers.get(0);
        List<String> args = new ArrayList<>();
        c.path("args").forEach(a -> args.add(a.asText()));
        DashboardMain main = new DashboardMain();
        new CommandLine(main).parseArgs(args.toArray(String[]::new));

        // The token comes from a Secret, never inline; with it the exposed bind is accepted, without it refused.
        JsonNode tokenEnv = null;
        for (JsonNode env : c.path("env")) {
            if (env.path("name").asText().equals(main.tokenEnv)) {
                tokenEnv = env;
            }
        }
        assertThat(tokenEnv).isNotNull();
        assertThat(tokenEnv.has("value")).isFalse();
        assertThat(tokenEnv.path("valueFrom").path("secretKeyRef").path("name").asText()).isEqualTo("surprisal-dashboard");
        DashboardConfig config = main.config(name -> name.equals(main.tokenEnv) ? "from-the-secret" : null);
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.token()).isEqualTo("from-the-secret");
        assertThatThrownBy(() -> main.config(name -> null)).hasMessageContaining("token");

        // The port the server listens on is the one the Service, the probes and the container name.
        JsonNode port = c.path("ports").get(0);
        assertThat(port.path("containerPort").asInt()).isEqualTo(config.port());
        assertThat(service.path("spec").path("ports").get(0).path("targetPort").asText()).isEqualTo(port.path("name").asText());
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            assertThat(c.path(probe).path("httpGet").path("path").asText()).isEqualTo("/healthz");
            assertThat(c.path(probe).path("httpGet").path("port").asText()).isEqualTo(port.path("name").asText());
        }
        // The store lives on the pod's volume (rebuilt from the topics in a new pod).
        String mount = null;
        for (JsonNode m : c.path("volumeMounts")) {
            if (config.storePath().startsWith(m.path("mountPath").asText())) {
                mount = m.path("name").asText();
            }
        }
        assertThat(mount).as("a volume holds %s", config.storePath()).isNotNull();
        assertThat(c.path("resources").path("limits").path("memory").asText()).isNotEmpty();
    }

    @Test
    void itReadsTheTopicsTheJobWritesAndTheTopicsExist() throws Exception {
        DashboardMain main = new DashboardMain();
        List<String> args = new ArrayList<>();
        documents("dashboard.yaml").get("Deployment/surprisal-dashboard").path("spec").path("template").path("spec")
                .path("containers").get(0).path("args").forEach(a -> args.add(a.asText()));
        new CommandLine(main).parseArgs(args.toArray(String[]::new));
        DashboardConfig config = main.config(name -> "t");

        JsonNode job = YAML.readTree(YAML.readTree(Files.readString(K8S.resolve("configmap.yaml"))).path("data").path("surprisal.yaml").asText());
        JsonNode sinks = job.path("sinks").path("kafka");
        assertThat(config.alertsTopic()).isEqualTo(sinks.path("alerts-topic").asText());
        assertThat(config.bootstrapServers()).isEqualTo(sinks.path("bootstrap-servers").asText());
        JsonNode feedback = job.path("feedback").path("updates");
        assertThat(feedback.path("type").asText()).as("the job reads the dashboard's actions").isEqualTo("kafka");
        assertThat(config.feedbackTopic()).isEqualTo(feedback.path("topic").asText());
        assertThat(config.bootstrapServers()).isEqualTo(feedback.path("bootstrap-servers").asText());

        List<String> topics = new ArrayList<>();
        documents("kafka-topics.yaml").values().forEach(t -> topics.add(t.path("spec").path("topicName").asText()));
        assertThat(topics).contains(config.alertsTopic(), config.feedbackTopic());
    }

    @Test
    void theImageRunsTheDashboard() throws Exception {
        String dockerfile = Files.readString(K8S.resolve("Dockerfile.dashboard"));
        assertThat(dockerfile).contains("dashboard/target/surprisal-dashboard.jar", "dashboard/target/lib/",
                DashboardMain.class.getName(), "USER 10001");
        assertThat(documents("dashboard.yaml").get("Deployment/surprisal-dashboard").path("spec").path("template").path("spec")
                .path("securityContext").path("runAsUser").asInt()).isEqualTo(10001);
    }
}
