package io.surprisal.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.surprisal.alert.AlertJson;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.state.rocksdb.RocksDBNativeMetricOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics a person watches (web UI) and Prometheus scrapes, read from a metric reporter of a
 * MiniCluster after the whole job ran over the quickstart sample with RocksDB and mail to a real
 * SMTP server (GreenMail), and checked against what the job actually did: alerts by detector and
 * severity against the alerts it wrote, mails sent against the mails the server received, users
 * against the sample's users.
 */
class MetricsITCase {
    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setConfiguration(clusterConfiguration())
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    private static final Path SAMPLE = Path.of("../src-test-data/samples/quickstart.jsonl.gz");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    private static GreenMail smtp;
    private static JobID job;
    private static List<String> alerts;

    /** As conf/flink/config.yaml: the reporter, and RocksDB's estimate of keys per state. */
    private static Configuration clusterConfiguration() {
        Configuration c = REPORTER.addToConfiguration(new Configuration());
        c.set(RocksDBNativeMetricOptions.ESTIMATE_NUM_KEYS, true);
        c.set(RocksDBNativeMetricOptions.COLUMN_FAMILY_AS_VARIABLE, true);
        return c;
    }

    /**
     * Once, before the first test: the extension gives the environment its MiniCluster (the one with
     * the reporter) per test, not in {@code @BeforeAll}.
     */
    @BeforeEach
    void runTheJobOnce() throws Exception {
        if (job == null) {
            runTheJob();
        }
    }

    private static void runTheJob() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        SurprisalConfig config = ConfigLoader.load(null, List.of(
                "source.file.path=" + SAMPLE.toAbsolutePath(),
                "mail.enabled=true", "mail.host=127.0.0.1", "mail.port=" + port, "mail.security=none",
                "mail.from=surprisal@example.org", "mail.min-severity=high",
                "mail.routes=[{detectors: [], min-severity: high, to: [security@example.org]}]"));
        Configuration flink = LocalClusterConfiguration.forRunIn(work, Configuration.fromMap(Map.of(
                "parallelism.default", "2", "state.backend.type", "rocksdb", "execution.checkpointing.interval", "1s")));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        JobSettings.apply(env, config);
        SurprisalPipeline.Streams streams = SurprisalPipeline.build(config, Connectors.source(env, config));
        streams.alerts().map(AlertJson::toJson).name("alerts as JSON").uid("alerts-json")
                .sinkTo(new LocalLinesSink(work.resolve("alerts"))).name("alerts: local file").uid("sink-alerts-local");
        streams.deadLetters().sinkTo(new DiscardingSink<>()).name("dead letters: discard").uid("sink-dead-letters-discard");
        Connectors.attachMail(streams.alerts(), config);
        job = env.execute("metrics").getJobID();

        alerts = new ArrayList<>();
        try (var files = Files.list(work)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.getFileName().toString().startsWith("alerts-"))::iterator) {
                alerts.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
            }
        }
    }

    @AfterAll
    static void stopSmtp() {
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Test
    void alertsByDetectorAndSeverityAreTheAlertsTheSinksGot() throws Exception {
        Map<String, Long> expected = new TreeMap<>();
        for (String line : alerts) {
            JsonNode a = JSON.readTree(line);
            expected.merge(a.get("detector").asText() + "/" + a.get("severity").asText(), 1L, Long::sum);
        }
        Map<String, Long> counted = new TreeMap<>();
        forEachMetric((vars, name, metric) -> {
            if (name.equals("alerts") && vars.containsKey("<detector>") && vars.containsKey("<severity>")) {
                counted.merge(vars.get("<detector>") + "/" + vars.get("<severity>"), ((Counter) metric).getCount(), Long::sum);
            }
        });
        assertThat(alerts).as("the sample raises alerts").isNotEmpty();
        assertThat(counted).isEqualTo(expected);
    }

    @Test
    void mailMetricsSayWhatTheServerReceived() {
        Map<String, Number> mail = new TreeMap<>();
        forEachMetric((vars, name, metric, group) -> {
            List<String> scope = List.of(group.getScopeComponents());
            if (scope.get(scope.size() - 1).equals("mail")) {
                mail.put(name, metric instanceof Counter c ? (Number) c.getCount() : (Number) ((Gauge<?>) metric).getValue());
            }
        });
        int received = smtp.getReceivedMessages().length;
        assertThat(received).as("high alerts were mailed").isPositive();
        assertThat(mail).containsEntry("sent", (long) received).containsEntry("sendFailures", 0L)
                .containsEntry("queued", 0).containsKey("folded");
    }

    @Test
    void usersInStateAreTheSamplesUsers() throws Exception {
        Set<String> users = new HashSet<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(SAMPLE)), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                users.add(JSON.readTree(line).get("user").asText());
            }
        }
        long[] usersNew = {0};
        long[] estimatedProfiles = {0};
        int[] estimates = {0};
        forEachMetric((vars, name, metric) -> {
            if (name.equals("usersNew")) {
                usersNew[0] += ((Counter) metric).getCount();
            }
            if (name.endsWith("estimate-num-keys") && "user-profile".equals(vars.get("<column_family>"))) {
                estimates[0]++;
                estimatedProfiles[0] += ((Number) ((Gauge<?>) metric).getValue()).longValue();
            }
        });
        assertThat(usersNew[0]).as("each user entered the state once").isEqualTo(users.size());
        assertThat(estimates[0]).as("RocksDB's estimate of profiles, one per parallel instance").isEqualTo(2);
        // Its value is RocksDB's, sampled by Flink every few seconds and 0 once the backend of the
        // finished job is closed, so here only its presence is checked; CI reads it from the running
        // cluster's Prometheus endpoint.
        assertThat(estimatedProfiles[0]).isNotNegative();
    }

    /** What a metric visitor sees: the group's variables (such as {@code <detector>}), the name, the metric. */
    interface MetricVisitor {
        void visit(Map<String, String> vars, String name, Metric metric, MetricGroup group);
    }

    interface SimpleMetricVisitor {
        void visit(Map<String, String> vars, String name, Metric metric);
    }

    private static void forEachMetric(SimpleMetricVisitor v) {
        forEachMetric((vars, name, metric, group) -> v.visit(vars, name, metric));
    }

    /** Every metric the job registered (retained after it finished). */
    private static void forEachMetric(MetricVisitor v) {
        for (Map.Entry<MetricGroup, Map<String, Metric>> g : REPORTER.getMetricsByGroup().entrySet()) {
            Map<String, String> vars = g.getKey().getAllVariables();
            if (job.toString().equals(vars.get("<job_id>"))) {
                g.getValue().forEach((name, metric) -> v.visit(vars, name, metric, g.getKey()));
            }
        }
    }
}
