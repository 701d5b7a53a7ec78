package io.surprisal.job.mail;

import io.surprisal.config.SurprisalConfig;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/**
 * One SMTP conversation per mail (Jakarta Mail with Angus): plain, STARTTLS (required, so a
 * downgrade fails instead of sending in clear) or SMTPS, with optional authentication.
 */
final class SmtpTransport {
    private final SurprisalConfig.MailConfig config;
    private final String password;
    private final String protocol;
    private final Session session;
    private final InternetAddress from;
    private final String messageIdDomain;

    SmtpTransport(SurprisalConfig.MailConfig config, String password) throws MessagingException {
        this.config = config;
        this.password = password;
        this.protocol = config.security() == SurprisalConfig.MailSecurity.SMTPS ? "smtps" : "smtp";
        Properties p = new Properties();
        String prefix = "mail." + protocol + ".";
        p.setProperty("mail.transport.protocol", protocol);
        p.setProperty(prefix + "host", config.host());
        p.setProperty(prefix + "port", String.valueOf(config.port()));
        String timeout = String.valueOf(config.timeout().toMillis());
        p.setProperty(prefix + "connectiontimeout", timeout);
        p.setProperty(prefix + "timeout", timeout);
        p.setProperty(prefix + "writetimeout", timeout);
        p.setProperty(prefix + "auth", String.valueOf(hasAuth()));
        if (config.security() == SurprisalConfig.MailSecurity.STARTTLS) {
            p.setProperty(prefix + "starttls.enable", "true");
            p.setProperty(prefix + "starttls.required", "true");
            p.setProperty(prefix + "ssl.checkserveridentity", "true");
        } else if (config.security() == SurprisalConfig.MailSecurity.SMTPS) {
            p.setProperty(prefix + "ssl.checkserveridentity", "true");
        }
        this.session = Session.getInstance(p);
        this.from = new InternetAddress(config.from(), true);
        String address = from.getAddress();
        this.messageIdDomain = address.contains("@") ? address.substring(address.indexOf('@') + 1) : "surprisal.local";
    }

    private boolean hasAuth() {
        return config.username() != null && !config.username().isBlank();
    }

    /** The Message-ID a pending mail is sent with. */
    String messageId(PendingMail mail) {
        return "<" + mail.messageIdLocalPart() + "@" + messageIdDomain + ">";
    }

    /** Returns when the server has accepted the mail; throws otherwise. */
    void send(PendingMail mail, MailComposer.Composed composed) throws MessagingException {
        MimeMessage m = new IdentifiedMessage(session, messageId(mail));
        m.setFrom(from);
        m.setRecipients(Message.RecipientType.TO, addresses(mail.to));
        // Made a safe header value by the composer (MailText.header); setSubject encodes non-ASCII (RFC 2047).
        m.setSubject(composed.subject(), "UTF-8");
        m.setSentDate(new Date());
        m.setHeader("Auto-Submitted", "auto-generated");
        m.setHeader("X-Surprisal-Alerts", String.valueOf(mail.alertCount()));
        MimeBodyPart text = new MimeBodyPart();
        text.setText(composed.text(), "UTF-8", "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(composed.html(), "UTF-8", "html");
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        m.setContent(alternative);
        m.saveChanges();
        try (Transport t = session.getTransport(protocol)) {
            if (hasAuth()) {
                t.connect(config.host(), config.port(), config.username(), password);
            } else {
                t.connect();
            }
            t.sendMessage(m, m.getAllRecipients());
        }
    }

    private static InternetAddress[] addresses(List<String> to) throws MessagingException {
        InternetAddress[] a = new InternetAddress[to.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = new InternetAddress(to.get(i), true);
        }
        return a;
    }

    /** A message whose Message-ID is ours (derived from its alert ids) rather than a random one. */
    private static final class IdentifiedMessage extends MimeMessage {
        private final String id;

        IdentifiedMessage(Session session, String id) {
            super(session);
            this.id = id;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", id);
        }
    }
}
