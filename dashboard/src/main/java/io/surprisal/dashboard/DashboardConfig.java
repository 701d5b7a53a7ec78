package io.surprisal.dashboard;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The dashboard's configuration, resolved once at start ({@code bin/surprisal dashboard} flags,
 * docs/dashboard.md).
 *
 * @param host address the web server binds to; anything but a loopback address needs {@code token}
 * @param port its port (0: any free port)
 * @param bootstrapServers the Kafka cluster of the job's topics
 * @param alertsTopic the job's alerts topic, read with isolation.level=read_committed
 * @param feedbackTopic where actions are written (and read back from, to rebuild their state)
 * @param storePath the embedded database's file, without H2's {@code .mv.db} suffix
 * @param retention alerts older than this (event time, behind the newest stored alert) are deleted
 * @param token the password or bearer token every request must carry; null: none (loopback only)
 * @param actor the {@code by} of the feedback records this dashboard writes
 */
public record DashboardConfig(
        String host,
        int port,
        String bootstrapServers,
        String alertsTopic,
        String feedbackTopic,
        Path storePath,
        Duration retention,
        String token,
        String actor) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8090;

    public DashboardConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(bootstrapServers, "bootstrap servers");
        Objects.requireNonNull(alertsTopic, "alerts topic");
        Objects.requireNonNull(feedbackTopic, "feedback topic");
        Objects.requireNonNull(storePath, "store path");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(actor, "actor");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive, got " + retention);
        }
        if (token != null && token.isBlank()) {
            token = null;
        }
        if (token == null && !isLoopback(host)) {
            throw new IllegalArgumentException("binding to " + host
                    + " exposes the dashboard beyond this machine: set a token (the environment variable named by --token-env)");
        }
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The token never appears in logs. */
    @Override
    public String toString() {
        return "DashboardConfig[host=" + host + ", port=" + port + ", bootstrapServers=" + bootstrapServers
                + ", alertsTopic=" + alertsTopic + ", feedbackTopic=" + feedbackTopic + ", storePath=" + storePath
                + ", retention=" + retention + ", token=" + (token == null ? "none" : "set") + ", actor=" + actor + "]";
    }
}
