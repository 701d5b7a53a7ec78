package io.surprisal.job.mail;

import static io.surprisal.job.mail.MailFixtures.IDENTITY_TEAM;
import static io.surprisal.job.mail.MailFixtures.SECURITY_TEAM;
import static io.surprisal.job.mail.MailFixtures.alert;
import static io.surprisal.job.mail.MailFixtures.config;
import static io.surprisal.job.mail.MailFixtures.freePort;
import static io.surprisal.job.mail.MailFixtures.group;
import static io.surprisal.job.mail.MailFixtures.jane;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertGroup;
import io.surprisal.alert.Severity;
import io.surprisal.config.SurprisalConfig;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.metrics.testutils.MetricListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The mail writer against a real SMTP server (GreenMail): content, escaping, digests, outages, restarts. */
class MailSinkGreenMailTest {
    private final List<GreenMail> servers = new ArrayList<>();
    private final List<MailWriter> writers = new ArrayList<>();

    private GreenMail server(int port) {
        GreenMail g = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("surprisal", "s3cret"));
        g.start();
        servers.add(g);
        return g;
    }

    private final Map<MailWriter, MetricListener> metrics = new HashMap<>();

    private MailWriter writer(SurprisalConfig config, Duration rateWindow, List<PendingMail> recovered) throws Exception {
        MetricListener listener = new MetricListener();
        MailWriter w = new MailWriter(config.mail(), "s3cret", rateWindow, recovered, "test-mail-sender", listener.getMetricGroup());
        writers.add(w);
        metrics.put(w, listener);
        return w;
    }

    /** A counter of the writer's {@code mail} metric group. */
    private long count(MailWriter w, String name) {
        return metrics.get(w).getCounter("mail", name).orElseThrow().getCount();
    }

    /** The writer's {@code mail.queued} gauge. */
    private int queued(MailWriter w) {
        return metrics.get(w).<Integer>getGauge("mail", "queued").orElseThrow().getValue();
    }

    @AfterEach
    void stop() throws Exception {
        for (MailWriter w : writers) {
            w.close();
        }
        servers.forEach(GreenMail::stop);
    }

    static String textPart(MimeMessage m) throws Exception {
        return (String) ((MimeMultipart) m.getContent()).getBodyPart(0).getContent();
    }

    static String htmlPart(MimeMessage m) throws Exception {
        return (String) ((MimeMultipart) m.getContent()).getBodyPart(1).getContent();
    }

    static String headers(MimeMessage m) throws Exception {
        return Collections.list(m.getAllHeaderLines()).stream().collect(Collectors.joining("\n"));
    }

    @Test
    void janesMailCanBeTriagedFromTheSubjectAndExplainsItselfInBits() throws Exception {
        int port = freePort();
        GreenMail smtp = server(port);
        MailWriter w = writer(config(port, "mail.username=surprisal"), Duration.ofMinutes(1), List.of());
        Alert jane = jane(1_762_164_131_000L);
        w.write(group(jane), null);
        w.flush(true);

        MimeMessage[] received = smtp.getReceivedMessages();
        // One mail, two recipients (both routes match a HIGH login-novelty alert): GreenMail keeps a copy per recipient.
        assertThat(received).hasSize(2);
        MimeMessage m = received[0];
        assertThat(m.getSubject()).isEqualTo("[surprisal] HIGH login-novelty: jane - new country UA, new browser Firefox");
        assertThat(m.getRecipients(Message.RecipientType.TO)).extracting(Object::toString)
                .containsExactly(IDENTITY_TEAM, SECURITY_TEAM);
        assertThat(m.getFrom()[0].toString()).isEqualTo("surprisal@example.org");
        PendingMail expected = new PendingMail(List.of(SECURITY_TEAM), group(jane));
        assertThat(m.getMessageID()).isEqualTo("<" + expected.messageIdLocalPart() + "@example.org>");
        assertThat(m.getHeader("Auto-Submitted")[0]).isEqualTo("auto-generated");

        String text = textPart(m);
        assertThat(text).contains("HIGH login-novelty at 2025-11-03T10:02:11Z")
                .contains(jane.summary)
                .containsPattern("14\\.20\\s+country\\s+UA\\s+never seen")
                .containsPattern("9\\.60\\s+browser\\s+Firefox\\s+never seen")
                .contains("login success, ip 193.0.2.17, country UA, city Kyiv")
                .contains("Dashboard: https://dash.example.org/alerts/" + jane.alertId + "?user=jane");
        assertThat(text.indexOf("country  ")).isLessThan(text.indexOf("browser  "));
        String html = htmlPart(m);
        assertThat(html).contains("<td align=\"right\">14.20</td><td>country</td><td>UA</td>")
                .contains("<a href=\"https://dash.example.org/alerts/" + jane.alertId + "?user=jane\">");

        String shown = "---- headers ----\n" + headers(m) + "\n---- text/plain part ----\n" + text;
        System.out.println(shown);
        Files.writeString(Path.of("target/jane-mail.txt"), shown + "\n---- raw ----\n" + GreenMailUtil.getWholeMessage(m), StandardCharsets.UTF_8);
    }

    @Test
    void attackerTextCannotAddHeadersOrRecipientsAndIsEscapedInHtml() throws Exception {
        int port = freePort();
        GreenMail smtp = server(port);
        MailWriter w = writer(config(port), Duration.ofMinutes(1), List.of());
        Alert a = alert("mallory\r\nBcc: someone@example.com", "transition", Severity.CRITICAL, 1_000_000, "pay\r\nBcc: someone@example.com");
        a.events.get(0).userAgent = "<script>alert(1)</script>\r\nBcc: someone@example.com\r\n\r\n<b>body</b>";
        a.summary = "<img src=x onerror=alert(1)>\nBcc: someone@example.com";
        w.write(group(a), null);
        w.flush(true);

        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(1);
        MimeMessage m = received[0];
        assertThat(m.getAllRecipients()).extracting(Object::toString).containsExactly(SECURITY_TEAM);
        assertThat(m.getHeader("Bcc")).isNull();
        assertThat(headers(m)).doesNotContainPattern("(?m)^Bcc:");
        // The attacker's text is folded into the Subject header's value, never a header of its own.
        List<String> names = new ArrayList<>();
        for (var h : Collections.list(m.getAllHeaders())) {
            names.add(h.getName());
        }
        assertThat(names).containsExactlyInAnyOrder("Return-Path", "Received", "Date", "From", "To", "Message-ID", "Subject",
                "MIME-Version", "Content-Type", "Auto-Submitted", "X-Surprisal-Alerts");
        assertThat(smtp.getReceivedMessagesForDomain("example.com")).isEmpty();
        assertThat(m.getSubject()).doesNotContain("\r").doesNotContain("\n")
                .startsWith("[surprisal] CRITICAL transition: mallory  Bcc: someone@example.com - transition login -> pay  Bcc");
        String html = htmlPart(m);
        assertThat(html).doesNotContain("<script>").doesNotContain("<img").doesNotContain("<b>body")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;").contains("&lt;img src=x onerror=alert(1)&gt;");
        assertThat(textPart(m)).doesNotContainPattern("(?m)^Bcc:");
    }

    @Test
    void anEncodedWordInAUserNameIsShownAsTextNotDecodedIntoHeaders() throws Exception {
        int port = freePort();
        GreenMail smtp = server(port);
        MailWriter w = writer(config(port), Duration.ofMinutes(1), List.of());
        String hidden = "mallory\r\nBcc: someone@example.com\r\nX-Evil: 1";
        String word = "=?UTF-8?B?" + Base64.getEncoder().encodeToString(hidden.getBytes(StandardCharsets.UTF_8)) + "?=";
        w.write(group(alert(word, "transition", Severity.CRITICAL, 1_000_000, "pay")), null);
        w.flush(true);

        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(1);
        // getSubject decodes encoded words as a reader's client does: it must show the text, not what it hides.
        String subject = received[0].getSubject();
        assertThat(subject).doesNotContain("\r").doesNotContain("\n").doesNotContain("Bcc:").doesNotContain("mallory")
                .isEqualTo("[surprisal] CRITICAL transition: " + word.replace("=?", "= ?") + " - transition login -> pay");
        assertThat(received[0].getAllRecipients()).extracting(Object::toString).containsExactly(SECURITY_TEAM);
    }

    @Test
    void bidirectionalOverridesAndZeroWidthCharactersAreShownNotObeyed() throws Exception {
        int port = freePort();
        GreenMail smtp = server(port);
        MailWriter w = writer(config(port), Duration.ofMinutes(1), List.of());
        // Shown raw, "admin<RLO>gpj.exe" reads "adminexe.jpg"; a zero-width space makes two names look alike.
        Alert a = alert("admin\u202Egpj.exe\u200B", "transition", Severity.HIGH, 1_000_000, "pay");
        a.events.get(0).userAgent = "curl\u2066/8.0\u2069\uFEFF";
        w.write(group(a), null);
        w.flush(true);

        MimeMessage m = smtp.getReceivedMessages()[0];
        assertThat(m.getSubject()).startsWith("[surprisal] HIGH transition: admin[U+202E]gpj.exe[U+200B] - ");
        String html = htmlPart(m);
        assertThat(html).contains("admin[U+202E]gpj.exe[U+200B]").contains("curl[U+2066]/8.0[U+2069][U+FEFF]");
        assertThat(html + textPart(m) + m.getSubject()).doesNotContain("\u202E").doesNotContain("\u200B")
                .doesNotContain("\u2066").doesNotContain("\uFEFF");
    }

    @Test
    void overTheRateLimitTheWaitingMailsGoOutAsOneDigest() throws Exception {
        int port = freePort();
        GreenMail smtp = server(port);
        MailWriter w = writer(config(port, "mail.rate-per-minute=3"), Duration.ofSeconds(2), List.of());
        for (int i = 0; i < 10; i++) {
            w.write(group(alert("user" + i, "transition", Severity.HIGH, 1_000_000 + i, "pay")), null);
        }
        w.flush(true);
        MimeMessage[] received = smtp.getReceivedMessages();
        List<String> subjects = new ArrayList<>();
        for (MimeMessage m : received) {
            subjects.add(m.getSubject());
        }
        assertThat(subjects).hasSize(4);
        assertThat(subjects.subList(0, 3)).allSatisfy(s -> assertThat(s).startsWith("[surprisal] HIGH transition: user"));
        assertThat(subjects.get(3)).isEqualTo("[surprisal] digest: 7 alerts for 7 users, highest HIGH");
        String digest = textPart(received[3]);
        for (int i = 3; i < 10; i++) {
            assertThat(digest).contains("user" + i);
        }
        assertThat(received[3].getHeader("X-Surprisal-Alerts")[0]).isEqualTo("7");
        assertThat(count(w, "sent")).isEqualTo(4);
        assertThat(count(w, "folded")).as("the digest's 7 mails are one").isEqualTo(6);
        assertThat(count(w, "sendFailures")).isZero();
        assertThat(queued(w)).isZero();
    }

    @Test
    void aUsersAlertsInOneGroupAreOneMail() throws Exception {
        int port = freePort();
        GreenMail smtp = server(port);
        MailWriter w = writer(config(port), Duration.ofMinutes(1), List.of());
        Alert first = alert("joe", "transition", Severity.HIGH, 1_000_000, "pay");
        Alert second = alert("joe", "session", Severity.CRITICAL, 1_060_000, "export");
        second.repeats = 4;
        w.write(group(first, second), null);
        w.flush(true);
        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(1);
        assertThat(received[0].getSubject()).isEqualTo("[surprisal] CRITICAL session: joe - transition login -> export (x4) (+1 more)");
        assertThat(textPart(received[0])).contains("5 alerts for user joe").contains("stands for 4 alerts with the same reason")
                .contains(first.alertId).contains(second.alertId);
    }

    @Test
    void anUnreachableServerDelaysMailAndPendingMailSurvivesARestartSentOnce() throws Exception {
        int port = freePort();
        SurprisalConfig config = config(port);
        MailWriter before = writer(config, Duration.ofMinutes(1), List.of());
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            alerts.add(alert("u" + i, "transition", Severity.HIGH, 1_000_000 + i, "pay"));
            before.write(group(alerts.get(i)), null);
        }
        Thread.sleep(700); // several failed attempts against the closed port
        List<PendingMail> state = before.snapshotState(1);
        assertThat(state).hasSize(3);
        assertThat(queued(before)).isEqualTo(3);
        assertThat(count(before, "sendFailures")).as("failed attempts, retried").isPositive();
        assertThat(count(before, "sent")).isZero();
        before.close();

        // The checkpoint round trip the writer state takes.
        PendingMailSerializer serializer = new PendingMailSerializer();
        List<PendingMail> restored = new ArrayList<>();
        for (PendingMail p : state) {
            restored.add(serializer.deserialize(serializer.getVersion(), serializer.serialize(p)));
        }
        MailWriter after = writer(config, Duration.ofMinutes(1), restored);
        for (int i = 3; i < 5; i++) {
            alerts.add(alert("u" + i, "transition", Severity.HIGH, 1_000_000 + i, "pay"));
            after.write(group(alerts.get(i)), null);
        }
        Thread.sleep(700); // still down: the writer keeps retrying and the task thread is never blocked
        assertThat(after.snapshotState(2)).hasSize(5);
        assertThat(queued(after)).isEqualTo(5);

        GreenMail smtp = server(port);
        after.flush(true);
        assertThat(after.snapshotState(3)).isEmpty();
        assertThat(queued(after)).isZero();
        assertThat(count(after, "sent")).isEqualTo(5);
        MimeMessage[] received = smtp.getReceivedMessages();
        List<String> ids = new ArrayList<>();
        for (MimeMessage m : received) {
            ids.add(m.getMessageID());
        }
        List<String> expected = new ArrayList<>();
        for (Alert a : alerts) {
            expected.add("<" + new PendingMail(List.of(SECURITY_TEAM), group(a)).messageIdLocalPart() + "@example.org>");
        }
        assertThat(ids).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(Arrays.stream(received).map(r -> {
            try {
                return r.getSubject();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        })).allSatisfy(s -> assertThat(s).startsWith("[surprisal] HIGH transition: u"));
    }

    @Test
    void aFullQueueFoldsNewMailIntoAWaitingDigest() throws Exception {
        int port = freePort();
        MailWriter w = writer(config(port, "mail.queue-size=2"), Duration.ofMinutes(1), List.of());
        for (int i = 0; i < 6; i++) {
            w.write(group(alert("q" + i, "transition", Severity.HIGH, 1_000_000 + i, "pay")), null);
        }
        List<PendingMail> state = w.snapshotState(1);
        assertThat(state.size()).isLessThanOrEqualTo(3);
        assertThat(state.stream().mapToInt(PendingMail::alertCount).sum()).isEqualTo(6);
        GreenMail smtp = server(port);
        w.flush(true);
        int alertsMailed = 0;
        for (MimeMessage m : smtp.getReceivedMessages()) {
            alertsMailed += Integer.parseInt(m.getHeader("X-Surprisal-Alerts")[0]);
        }
        assertThat(alertsMailed).isEqualTo(6);
        assertThat(count(w, "sent") + count(w, "folded")).as("each of the 6 mails sent or folded into one").isEqualTo(6);
        assertThat(count(w, "sent")).isEqualTo(smtp.getReceivedMessages().length);
    }

    @Test
    void routesSplitAGroupByRecipients() {
        SurprisalConfig config = config(25);
        AlertGroup g = group(jane(1000), alert("jane", "transition", Severity.HIGH, 2000, "pay"));
        List<PendingMail> mails = new MailRouter(config.mail().routes()).route(g);
        assertThat(mails).extracting(p -> p.to).containsExactly(List.of(IDENTITY_TEAM, SECURITY_TEAM), List.of(SECURITY_TEAM));
        assertThat(mails.get(0).groups.get(0).alerts).extracting(a -> a.detector).containsExactly("login-novelty");
        assertThat(mails.get(1).groups.get(0).alerts).extracting(a -> a.detector).containsExactly("transition");
    }
}
