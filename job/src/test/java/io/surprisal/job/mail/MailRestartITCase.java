package io.surprisal.job.mail;

import static io.surprisal.job.mail.MailFixtures.alert;
import static io.surprisal.job.mail.MailFixtures.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.surprisal.alert.AlertGroup;
import io.surprisal.alert.Severity;
import io.surprisal.config.SurprisalConfig;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The mail sink inside a job that fails after a checkpoint while the SMTP server is down: the
 * mails pending at the checkpoint come back from the writer state, the rest are replayed, and once
 * the server is up every mail arrives exactly once.
 */
class MailRestartITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final int GROUPS = 60;
    static final AtomicBoolean CHECKPOINT_DONE = new AtomicBoolean();
    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicInteger SINCE_CHECKPOINT = new AtomicInteger();

    static AlertGroup group(long i) {
        return MailFixtures.group(alert("user" + i, "transition", Severity.HIGH, 1_000_000 + i, "pay"));
    }

    /** One alert group per number; throws once, a few records after the first completed checkpoint. */
    static final class GroupsFailingOnce extends RichMapFunction<Long, AlertGroup> implements CheckpointListener {
        @Override
        public AlertGroup map(Long i) throws Exception {
            Thread.sleep(25);
            if (CHECKPOINT_DONE.get() && SINCE_CHECKPOINT.incrementAndGet() > 5 && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("planned failure after a checkpoint");
            }
            return group(i);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINT_DONE.set(true);
        }
    }

    @Test
    void pendingMailSurvivesAFailureWhileTheServerIsDownAndArrivesOnce() throws Exception {
        int port = freePort();
        SurprisalConfig config = MailFixtures.config(port, "mail.rate-per-minute=1000",
                "mail.routes=[{detectors: [], min-severity: high, to: [" + MailFixtures.SECURITY_TEAM + "]}]");
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(200, CheckpointingMode.EXACTLY_ONCE);
        env.fromSequence(0, GROUPS - 1)
                .map(new GroupsFailingOnce()).name("alert groups, failing once")
                .sinkTo(new MailSink(config.mail())).name("alerts: mail").uid("sink-alerts-mail");
        JobClient job = env.executeAsync("mail restart");

        long deadline = System.currentTimeMillis() + 60_000;
        while (!FAILED.get() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(FAILED).isTrue();
        Thread.sleep(1500); // restarted from the checkpoint, the server still down
        GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            job.getJobExecutionResult().get();
            List<String> ids = new ArrayList<>();
            for (MimeMessage m : smtp.getReceivedMessages()) {
                ids.add(m.getMessageID());
            }
            List<String> expected = new ArrayList<>();
            for (long i = 0; i < GROUPS; i++) {
                expected.add("<" + new PendingMail(List.of(MailFixtures.SECURITY_TEAM), group(i)).messageIdLocalPart() + "@example.org>");
            }
            assertThat(ids).containsExactlyInAnyOrderElementsOf(expected);
        } finally {
            smtp.stop();
        }
    }
}
