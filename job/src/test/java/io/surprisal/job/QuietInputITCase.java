package io.surprisal.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A quiet input: the job reads a Kafka topic that stays empty for longer than {@code
 * source.idleness} (a quiet night, or a job started before its producers), so its event time goes
 * idle; then the events come. Every alert of the same events run from a file must come out, CEP
 * patterns and velocity included: an idle main input must not let any other input of an
 * operator (such as an allowlist-updates side, which has no event time) carry the watermark to the
 * end of time, which would make every later event late.
 */
class QuietInputITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Path SAMPLE = Path.of("../src-test-data/samples/quickstart.jsonl.gz");
    private static final String EVENTS = "quiet-events";
    private static final String ALERTS = "quiet-alerts";
    private static KafkaClusterTestKit kafka;
    private static List<String> expected;

    @TempDir
    static Path work;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = KafkaTestBroker.start(new NewTopic(EVENTS, 1, (short) 1), new NewTopic(ALERTS, 2, (short) 1),
                new NewTopic("quiet-dead-letters", 1, (short) 1));
        // The reference: the same events from the file (before the MiniCluster is the test's context).
        expected = new ArrayList<>(LocalRunner.run(
                ConfigLoader.load(null, List.of("source.file.path=" + SAMPLE.toAbsolutePath())), SAMPLE.toAbsolutePath(), work).alerts());
        expected.sort(null);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void eventsAfterAQuietStartGiveEveryAlertOfTheFileRun() throws Exception {
        SurprisalConfig config = ConfigLoader.load(null, KafkaTestBroker.jobSettings(kafka, EVENTS, ALERTS, "quiet-dead-letters", "quiet"));
        assertThat(expected).as("the file run has CEP and velocity alerts").anyMatch(a -> a.contains("\"detector\":\"cep:"));

        JobClient job = RecoveryITCase.deployed(config, RecoveryITCase.flink(work, new Configuration()))
                .executeAsync("quiet input");
        try {
            // Longer than source.idleness: the job's event time goes idle before the first event.
            Thread.sleep(4_000);
            KafkaTestBroker.produceLines(kafka, EVENTS, SAMPLE);
            List<String> got = KafkaTestBroker.readCommitted(kafka, ALERTS, expected.size(), Duration.ofSeconds(90));
            got.sort(null);
            assertThat(got).isEqualTo(expected);
        } finally {
            job.cancel().get();
        }
    }
}
