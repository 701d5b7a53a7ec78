package io.surprisal.job.mail;

import static io.surprisal.job.mail.MailFixtures.alert;
import static io.surprisal.job.mail.MailFixtures.freePort;
import static io.surprisal.job.mail.MailFixtures.jane;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.surprisal.alert.Alert;
import io.surprisal.alert.Severity;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.job.Connectors;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The mail wiring of {@link Connectors#attachMail} on a MiniCluster: severity filter, per-user
 * grouping with event-time timers, the stateful mail sink, to a real SMTP server.
 */
class MailPipelineITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void alertsAreFilteredGroupedPerUserAndMailed() throws Exception {
        int port = freePort();
        GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            SurprisalConfig config = MailFixtures.config(port,
                    "mail.routes=[{detectors: [], min-severity: high, to: [" + MailFixtures.SECURITY_TEAM + "]}]");
            long t0 = 1_762_164_131_000L;
            List<Alert> alerts = List.of(
                    jane(t0),
                    alert("joe", "transition", Severity.HIGH, t0 + 60_000, "pay"),
                    alert("jane", "transition", Severity.CRITICAL, t0 + 120_000, "export"),
                    alert("jane", "transition", Severity.MEDIUM, t0 + 180_000, "view"), // below mail.min-severity
                    alert("jane", "session", Severity.HIGH, t0 + 1_200_000, "logout")); // after jane's 10-minute window

            Configuration conf = new Configuration();
            conf.set(PipelineOptions.GENERIC_TYPES, false);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(2);
            var stream = env.fromData(Alert.class, alerts.toArray(new Alert[0]))
                    .assignTimestampsAndWatermarks(WatermarkStrategy.<Alert>forMonotonousTimestamps().withTimestampAssigner((a, t) -> a.ts));
            Connectors.attachMail(stream, config);
            env.execute("mail pipeline");

            List<String> subjects = new ArrayList<>();
            for (MimeMessage m : smtp.getReceivedMessages()) {
                subjects.add(m.getSubject());
            }
            assertThat(subjects).containsExactlyInAnyOrder(
                    "[surprisal] CRITICAL transition: jane - transition login -> export (+1 more)",
                    "[surprisal] HIGH transition: joe - transition login -> pay",
                    "[surprisal] HIGH session: jane - transition login -> logout");
        } finally {
            smtp.stop();
        }
    }
}
