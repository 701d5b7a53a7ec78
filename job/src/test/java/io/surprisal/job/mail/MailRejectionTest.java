package io.surprisal.job.mail;

import static io.surprisal.job.mail.MailFixtures.IDENTITY_TEAM;
import static io.surprisal.job.mail.MailFixtures.alert;
import static io.surprisal.job.mail.MailFixtures.config;
import static io.surprisal.job.mail.MailFixtures.event;
import static io.surprisal.job.mail.MailFixtures.group;
import static io.surprisal.job.mail.MailFixtures.jane;
import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertGroup;
import io.surprisal.alert.Severity;
import io.surprisal.config.SurprisalConfig;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.metrics.testutils.MetricListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The mail writer against a server that refuses: a permanent rejection (5xx) sets the mail aside
 * after {@code mail.max-rejections} tries and the queue moves on; temporary ones (4xx, and the
 * authentication replies) keep the mail until it is accepted. Every test ends with an empty queue:
 * a writer that retried a mail forever would never get there ({@code @Timeout}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MailRejectionTest {
    private final List<AutoCloseable> closing = new ArrayList<>();
    private MetricListener metrics;

    private MailWriter writer(SurprisalConfig config) throws Exception {
        metrics = new MetricListener();
        MailWriter w = new MailWriter(config.mail(), "", Duration.ofMinutes(1), List.of(), "test-mail-sender", metrics.getMetricGroup());
        closing.add(w::close);
        return w;
    }

    private RefusingSmtpServer server(RefusingSmtpServer.Rule rule) throws Exception {
        RefusingSmtpServer s = new RefusingSmtpServer(rule);
        closing.add(0, s);
        return s;
    }

    private long count(String name) {
        return metrics.getCounter("mail", name).orElseThrow().getCount();
    }

    private int queued() {
        return metrics.<Integer>getGauge("mail", "queued").orElseThrow().getValue();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    /** A user with 50 alerts of 20 events each: a mail of a few hundred KB. */
    private static AlertGroup whale() {
        AlertGroup g = new AlertGroup("whale", 2_000_000);
        for (int i = 0; i < 50; i++) {
            Alert a = alert("whale", "transition", Severity.HIGH, 1_000_000 + i * 1000L, "pay" + i);
            for (int j = 1; j < 20; j++) {
                a.events.add(event("ev-whale-" + i + "-" + j, "whale", a.ts + j, "view", "DE", "Berlin", "198.51.100.9",
                        "Mozilla/5.0 " + "x".repeat(280)));
            }
            g.add(a.withDerivedId());
        }
        return g;
    }

    private static List<String> subjects(List<MimeMessage> messages) throws Exception {
        List<String> out = new ArrayList<>();
        for (MimeMessage m : messages) {
            out.add(m.getSubject());
        }
        return out;
    }

    @Test
    void aMailRejectedAsTooLargeIsSetAsideAfterTheConfiguredTriesAndLaterMailsAreDelivered() throws Exception {
        int limit = 100_000;
        RefusingSmtpServer smtp = server(new RefusingSmtpServer.Rule() {
            @Override
            public String atEndOfData(int mailNumber, String message) {
                return message.length() > limit ? "552 5.3.4 Message size exceeds fixed maximum message size" : null;
            }
        });
        MailWriter w = writer(config(smtp.port(), "mail.max-rejections=2"));
        w.write(whale(), null);
        w.write(group(alert("u1", "transition", Severity.HIGH, 3_000_000, "pay")), null);
        w.write(group(alert("u2", "transition", Severity.HIGH, 3_000_001, "pay")), null);
        w.flush(true);

        List<RefusingSmtpServer.Delivery> deliveries = smtp.deliveries();
        assertThat(deliveries).extracting(RefusingSmtpServer.Delivery::accepted).containsExactly(false, false, true, true);
        assertThat(deliveries.get(0).message().length()).isGreaterThan(limit);
        assertThat(subjects(smtp.accepted())).containsExactly(
                "[surprisal] HIGH transition: u1 - transition login -> pay",
                "[surprisal] HIGH transition: u2 - transition login -> pay");
        assertThat(count("rejected")).isEqualTo(1);
        assertThat(count("sent")).isEqualTo(2);
        assertThat(count("sendFailures")).isEqualTo(2);
        assertThat(queued()).isZero();
        assertThat(w.snapshotState(1)).isEmpty();
    }

    @Test
    void aRecipientRefusedPermanentlySetsItsMailAsideAndTheOthersGo() throws Exception {
        RefusingSmtpServer smtp = server(new RefusingSmtpServer.Rule() {
            @Override
            public String atRecipient(String address) {
                return address.equals(IDENTITY_TEAM) ? "550 5.1.1 <" + address + ">: Recipient address rejected: User unknown" : null;
            }
        });
        MailWriter w = writer(config(smtp.port(), "mail.max-rejections=1"));
        // Jane's login-novelty alert goes to both teams; the transition alert to the security team only.
        w.write(group(jane(1_000_000)), null);
        w.write(group(alert("u1", "transition", Severity.HIGH, 3_000_000, "pay")), null);
        w.flush(true);

        assertThat(subjects(smtp.accepted())).containsExactly("[surprisal] HIGH transition: u1 - transition login -> pay");
        assertThat(count("rejected")).isEqualTo(1);
        assertThat(count("sent")).isEqualTo(1);
        assertThat(queued()).isZero();
    }

    @Test
    void temporaryRefusalsDelayAMailButNeverSetItAside() throws Exception {
        RefusingSmtpServer smtp = server(new RefusingSmtpServer.Rule() {
            @Override
            public String atEndOfData(int mailNumber, String message) {
                return mailNumber <= 3 ? "451 4.3.0 Temporary local problem, try again later" : null;
            }

            @Override
            public String atMailFrom(int mailNumber) {
                // Authentication is the job's settings, not the mail: retried like a 4xx, however often.
                return mailNumber >= 4 && mailNumber <= 6 ? "530 5.7.0 Authentication required" : null;
            }
        });
        MailWriter w = writer(config(smtp.port(), "mail.max-rejections=1"));
        w.write(group(alert("u1", "transition", Severity.HIGH, 3_000_000, "pay")), null);
        w.flush(true);

        assertThat(smtp.deliveries()).extracting(RefusingSmtpServer.Delivery::accepted).containsExactly(false, false, false, true);
        assertThat(subjects(smtp.accepted())).containsExactly("[surprisal] HIGH transition: u1 - transition login -> pay");
        assertThat(count("rejected")).isZero();
        assertThat(count("sent")).isEqualTo(1);
        assertThat(count("sendFailures")).as("three 451 replies, three 530 replies").isEqualTo(6);
        assertThat(queued()).isZero();
    }
}
