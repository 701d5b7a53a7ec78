package io.surprisal.dashboard;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running dashboard: the store, the topic reader's thread, the feedback producer and the web server. */
public final class Dashboard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);

    private final AlertStore store;
    private final TopicReader reader;
    private final Thread readerThread;
    private final FeedbackPublisher publisher;
    private final DashboardServer server;
    private final DashboardConfig config;

    private Dashboard(DashboardConfig config) {
        this.config = config;
        this.store = new AlertStore(config.storePath());
        boolean empty = store.isEmpty();
        LiveFeed feed = new LiveFeed();
        this.reader = new TopicReader(config, store, feed);
        this.publisher = new FeedbackPublisher(config);
        this.server = new DashboardServer(config, store, feed, publisher);
        this.readerThread = new Thread(reader, "dashboard-topic-reader");
        this.readerThread.setDaemon(true);
        LOG.info("store {}: {}", config.storePath(), empty ? "empty, rebuilding from the topics' beginning" : store.alertCount() + " alerts");
    }

    /** Starts reading the topics and serving; returns once the web server listens. */
    public static Dashboard start(DashboardConfig config) {
        Dashboard d = new Dashboard(config);
        d.readerThread.start();
        d.server.start();
        return d;
    }

    public int port() {
        return server.port();
    }

    /** The address to open, e.g. {@code http://127.0.0.1:8090/}. */
    public String url() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        if (host.equals("0.0.0.0") || host.equals("[::]")) {
            host = "127.0.0.1";
        }
        return "http://" + host + ":" + port() + "/";
    }

    @Override
    public void close() throws InterruptedException {
        server.stop();
        reader.close();
        readerThread.join(5000);
        publisher.close();
        store.close();
    }
}
