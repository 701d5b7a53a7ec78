package io.surprisal.job.mail;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertGroup;
import io.surprisal.config.SurprisalConfig;
import jakarta.mail.MessagingException;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mail sink's writer: the task thread only routes and queues; a sender thread renders, rate
 * limits, sends and retries. Everything not yet accepted by the server is the writer state. See
 * {@link MailSink} for the whole design.
 *
 * <p>Metrics, in group {@code mail} of the sink: {@code queued} (gauge: mails not yet accepted by
 * the server, waiting or in flight), {@code sent} (accepted by the server), {@code sendFailures}
 * (failed attempts, each retried after a backoff: a server that is down shows as a rising count
 * and a growing queue), {@code folded} (mails folded into a digest by the rate limit or a full
 * queue) and {@code rejected} (mails set aside: rejected permanently {@code mail.max-rejections}
 * times, or impossible to render; each is logged at ERROR with the server's answer).
 */
final class MailWriter implements StatefulSinkWriter<AlertGroup, PendingMail> {
    private static final Logger LOG = LoggerFactory.getLogger(MailWriter.class);

    private final SurprisalConfig.MailConfig config;
    private final MailRouter router;
    private final MailComposer composer;
    private final SmtpTransport transport;
    private final long rateWindowMillis;

    private final Object lock = new Object();
    /** Mails waiting to be sent, oldest first. Guarded by {@link #lock}. */
    private final ArrayDeque<PendingMail> queue = new ArrayDeque<>();
    /** The mail being sent (or retried), until the server accepts it. Guarded by {@link #lock}. */
    private PendingMail inFlight;
    /** When the mails accepted within the last rate window were accepted. Guarded by {@link #lock}. */
    private final ArrayDeque<Long> acceptedAt = new ArrayDeque<>();
    /** Set when the rate budget ran out; waiting mails are then folded into digests until the queue is empty. */
    private boolean rateLimited;
    private volatile boolean running = true;
    private final Thread sender;
    // Counted on the sender thread (and folds on the task thread) while reporters read them: thread safe.
    private final Counter sent = new ThreadSafeSimpleCounter();
    private final Counter sendFailures = new ThreadSafeSimpleCounter();
    private final Counter folded = new ThreadSafeSimpleCounter();
    private final Counter rejected = new ThreadSafeSimpleCounter();

    MailWriter(SurprisalConfig.MailConfig config, String password, Duration rateWindow, Collection<PendingMail> recovered,
            String threadName, MetricGroup metrics) throws IOException {
        this.config = config;
        this.router = new MailRouter(config.routes());
        this.composer = new MailComposer(config.dashboardUrl());
        this.rateWindowMillis = rateWindow.toMillis();
        try {
            this.transport = new SmtpTransport(config, password);
        } catch (MessagingException e) {
            throw new IOException("invalid mail settings: " + MailText.log(e.getMessage()), e);
        }
        queue.addAll(recovered);
        MetricGroup mail = metrics.addGroup("mail");
        mail.gauge("queued", () -> {
            synchronized (lock) {
                return pendingCount();
            }
        });
        mail.counter("sent", sent);
        mail.counter("sendFailures", sendFailures);
        mail.counter("folded", folded);
        mail.counter("rejected", rejected);
        if (!recovered.isEmpty()) {
            LOG.info("{} mails restored from the checkpoint will be sent", recovered.size());
        }
        this.sender = new Thread(this::sendLoop, threadName);
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public void write(AlertGroup group, Context context) {
        List<PendingMail> mails = router.route(group);
        if (mails.isEmpty()) {
            LOG.warn("no mail route matches the alerts of user {}", MailText.log(group.user));
            return;
        }
        synchronized (lock) {
            for (PendingMail m : mails) {
                enqueue(m);
            }
            lock.notifyAll();
        }
    }

    /** Adds a mail; a full queue folds it into the newest waiting mail to the same recipients instead. */
    private void enqueue(PendingMail m) {
        if (queue.size() >= config.queueSize()) {
            for (Iterator<PendingMail> it = queue.descendingIterator(); it.hasNext(); ) {
                PendingMail waiting = it.next();
                if (waiting.to.equals(m.to)) {
                    waiting.fold(m);
                    folded.inc();
                    return;
                }
            }
        }
        queue.addLast(m);
    }

    /** Waits for nothing, except at the end of a bounded input: then until every mail is accepted. */
    @Override
    public void flush(boolean endOfInput) throws InterruptedException {
        if (!endOfInput) {
            return;
        }
        long lastLog = System.currentTimeMillis();
        synchronized (lock) {
            while (running && (!queue.isEmpty() || inFlight != null)) {
                lock.wait(1000);
                if (System.currentTimeMillis() - lastLog > 30_000) {
                    LOG.info("end of input: waiting for {} mails to be accepted by the SMTP server", pendingCount());
                    lastLog = System.currentTimeMillis();
                }
            }
        }
    }

    @Override
    public List<PendingMail> snapshotState(long checkpointId) {
        synchronized (lock) {
            List<PendingMail> state = new ArrayList<>(pendingCount());
            if (inFlight != null) {
                state.add(inFlight.copy());
            }
            for (PendingMail m : queue) {
                state.add(m.copy());
            }
            return state;
        }
    }

    private int pendingCount() {
        return queue.size() + (inFlight == null ? 0 : 1);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        sender.interrupt();
        sender.join(10_000);
    }

    private void sendLoop() {
        try {
            while (running) {
                PendingMail mail;
                synchronized (lock) {
                    while (running && queue.isEmpty()) {
                        lock.wait();
                    }
                    if (!running) {
                        return;
                    }
                    long now = System.currentTimeMillis();
                    while (!acceptedAt.isEmpty() && acceptedAt.peekFirst() <= now - rateWindowMillis) {
                        acceptedAt.pollFirst();
                    }
                    if (acceptedAt.size() >= config.ratePerMinute()) {
                        rateLimited = true;
                        lock.wait(Math.max(1, acceptedAt.peekFirst() + rateWindowMillis - now));
                        continue;
                    }
                    mail = queue.pollFirst();
                    if (rateLimited) {
                        foldWaiting(mail);
                        rateLimited = !queue.isEmpty();
                    }
                    inFlight = mail;
                }
                String id = transport.messageId(mail);
                boolean accepted = deliver(mail, id);
                synchronized (lock) {
                    inFlight = null;
                    if (accepted) {
                        acceptedAt.addLast(System.currentTimeMillis());
                    }
                    lock.notifyAll();
                }
            }
        } catch (InterruptedException e) {
            // close(): the pending mails are in the last checkpoint.
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            // Never expected; keep the mail in state and say so rather than die silently.
            LOG.error("mail sender stopped; pending mails stay in the writer state", t);
        }
    }

    /**
     * Sends one mail until the server accepts it (true), retrying with backoff; false when it is set
     * aside instead: rejected permanently {@code max-rejections} times, or impossible to render.
     */
    private boolean deliver(PendingMail mail, String id) throws InterruptedException {
        MailComposer.Composed composed;
        try {
            composed = composer.compose(mail);
        } catch (RuntimeException e) {
            setAside(mail, id, "it could not be rendered: " + e);
            return false;
        }
        long backoff = config.retryInitialBackoff().toMillis();
        int rejections = 0;
        while (true) {
            try {
                transport.send(mail, composed);
                LOG.debug("mail {} accepted (alerts: {})", id, mail.alertCount());
                sent.inc();
                return true;
            } catch (MessagingException | RuntimeException e) {
                sendFailures.inc();
                SmtpRefusal refusal = SmtpRefusal.of(e);
                if (refusal.permanent() && ++rejections >= config.maxRejections()) {
                    setAside(mail, id, "rejected permanently " + rejections + " times (mail.max-rejections), last with: " + refusal.answer());
                    return false;
                }
                LOG.warn("mail {} (alerts: {}) not accepted by {}:{}{}, retrying in {} ms: {}", id, mail.alertCount(),
                        MailText.log(config.host()), config.port(),
                        refusal.permanent() ? " (permanent rejection " + rejections + " of " + config.maxRejections() + ")" : "",
                        backoff, MailText.log(refusal.answer()));
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, config.retryMaxBackoff().toMillis());
            }
        }
    }

    /**
     * A mail that will never be accepted leaves the queue so the mails behind it can go: logged with
     * its alerts (which the alert outputs still hold) and counted in {@code rejected}.
     */
    private void setAside(PendingMail mail, String id, String why) {
        rejected.inc();
        List<String> alerts = new ArrayList<>();
        for (AlertGroup g : mail.groups) {
            for (Alert a : g.alerts) {
                alerts.add(a.alertId + " (" + a.detector + ", user " + a.user + ")");
            }
        }
        String shown = String.join("; ", alerts.subList(0, Math.min(20, alerts.size()))) + (alerts.size() > 20 ? "; ..." : "");
        LOG.error("mail {} to {} set aside, not sent: {}; its {} alerts stay in the alert outputs: {}", id,
                MailText.log(String.join(", ", mail.to)), MailText.log(why), mail.alertCount(), MailText.log(shown));
    }

    /** Once the rate budget ran out: everything waiting for the same recipients goes in one digest. */
    private void foldWaiting(PendingMail head) {
        for (Iterator<PendingMail> it = queue.iterator(); it.hasNext(); ) {
            PendingMail m = it.next();
            if (m.to.equals(head.to)) {
                head.fold(m);
                folded.inc();
                it.remove();
            }
        }
    }
}
