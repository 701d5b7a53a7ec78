package io.surprisal.job.mail;

import io.surprisal.alert.AlertGroup;
import io.surprisal.config.ConfigException;
import io.surprisal.config.SurprisalConfig;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.util.function.SerializableSupplier;

/**
 * Sends alert groups by e-mail. The design, end to end:
 * <ol>
 *   <li>Upstream, {@link io.surprisal.alert.MailGroupingFunction} (keyed by user, event-time timers)
 *       turns a user's alerts within the group window into one {@link AlertGroup}.</li>
 *   <li>This sink (run with parallelism 1, so the rate limit is global) routes each group to its
 *       recipients ({@link MailRouter}) and queues one {@link PendingMail} per recipient list; the
 *       task thread never touches the network.</li>
 *   <li>A sender thread per writer ({@link MailWriter}) takes mails from the queue, renders them
 *       ({@link MailComposer}), and sends them ({@link SmtpTransport}); a mail leaves the queue
 *       only once the server has accepted it. Failures are retried with exponential backoff,
 *       forever: a failing server delays mail, never fails the job, never drops mail. The one
 *       exception: a mail the server rejects permanently (5xx) {@code max-rejections} times is
 *       set aside (logged, counted in {@code mail.rejected}) so the mails behind it can go.</li>
 *   <li>Pending mails (queued and in flight) are the writer state ({@link SupportsWriterState}):
 *       each checkpoint copies them and waits for nothing; after a restart the restored writer sends
 *       them. A mail that was sent after the last checkpoint is sent again after a restore, with the
 *       same Message-ID (derived from its alert ids), so a resend is recognisable.</li>
 *   <li>No floods: at most {@code rate-per-minute} mails in any minute; once the budget is used,
 *       the mails that wait go out, when it frees, as one digest per recipient list. A queue at
 *       {@code queue-size} folds new mail into the last waiting mail to the same recipients.</li>
 * </ol>
 * At the end of a bounded input the writer waits until its queue is sent (otherwise the mail
 * would be gone with the finished job).
 */
public class MailSink implements Sink<AlertGroup>, SupportsWriterState<AlertGroup, PendingMail> {
    private final SurprisalConfig.MailConfig config;
    private final SerializableSupplier<String> password;
    private final Duration rateWindow;

    public MailSink(SurprisalConfig.MailConfig config) {
        this(config, new EnvironmentPassword(config.passwordEnv()), Duration.ofMinutes(1));
    }

    /** With a password source and a rate window other than one minute: for tests. */
    MailSink(SurprisalConfig.MailConfig config, SerializableSupplier<String> password, Duration rateWindow) {
        checkAddresses(config);
        this.config = config;
        this.password = password;
        this.rateWindow = rateWindow;
    }

    /** A malformed address would fail every attempt forever: refuse it when the job is built. */
    private static void checkAddresses(SurprisalConfig.MailConfig config) {
        List<String> all = new ArrayList<>();
        all.add(config.from());
        config.routes().forEach(r -> all.addAll(r.to()));
        for (String a : all) {
            try {
                new InternetAddress(a, true).validate();
            } catch (AddressException e) {
                throw new ConfigException("mail: '" + MailText.log(a) + "' is not an e-mail address: " + e.getMessage());
            }
        }
    }

    @Override
    public StatefulSinkWriter<AlertGroup, PendingMail> createWriter(WriterInitContext context) throws IOException {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSinkWriter<AlertGroup, PendingMail> restoreWriter(WriterInitContext context, Collection<PendingMail> recovered)
            throws IOException {
        return new MailWriter(config, password.get(), rateWindow, recovered,
                "surprisal-mail-sender-" + context.getTaskInfo().getIndexOfThisSubtask(), context.metricGroup());
    }

    @Override
    public SimpleVersionedSerializer<PendingMail> getWriterStateSerializer() {
        return new PendingMailSerializer();
    }

    /** Reads the SMTP password from an environment variable of the TaskManager, when the writer starts. */
    public static final class EnvironmentPassword implements SerializableSupplier<String> {
        private final String variable;

        public EnvironmentPassword(String variable) {
            this.variable = variable;
        }

        @Override
        public String get() {
            String v = variable == null || variable.isBlank() ? null : System.getenv(variable);
            return v == null ? "" : v;
        }

        @Override
        public String toString() {
            return "password from $" + variable;
        }
    }
}
