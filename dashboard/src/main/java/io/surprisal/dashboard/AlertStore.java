package io.surprisal.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * What the dashboard shows, in an embedded H2 database file: the alerts as read from the alerts
 * topic, the actions as read back from the feedback topic, and the next offset of every partition
 * of both, written in the same transaction as the records they follow. So a restart resumes where
 * the store stopped, and an empty (new or deleted) store is rebuilt from the topics' beginning.
 */
final class AlertStore implements AutoCloseable {
    private final JdbcConnectionPool pool;

    AlertStore(Path file) {
        this.pool = JdbcConnectionPool.create("jdbc:h2:file:" + file.toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "");
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE IF NOT EXISTS alerts (
                      alert_id VARCHAR PRIMARY KEY,
                      ts BIGINT NOT NULL,
                      user_name VARCHAR NOT NULL,
                      tenant VARCHAR,
                      detector VARCHAR NOT NULL,
                      severity VARCHAR NOT NULL,
                      severity_rank INT NOT NULL,
                      score DOUBLE PRECISION,
                      summary VARCHAR,
                      repeats INT NOT NULL,
                      repeat_key VARCHAR,
                      status VARCHAR NOT NULL,
                      json CHARACTER LARGE OBJECT NOT NULL)""");
            s.execute("CREATE INDEX IF NOT EXISTS alerts_ts ON alerts (ts)");
            s.execute("CREATE INDEX IF NOT EXISTS alerts_user ON alerts (user_name, ts)");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS actions (
                      id BIGINT AUTO_INCREMENT PRIMARY KEY,
                      at BIGINT NOT NULL,
                      action VARCHAR NOT NULL,
                      actor VARCHAR,
                      alert_id VARCHAR,
                      user_name VARCHAR,
                      tenant VARCHAR,
                      detector VARCHAR,
                      network VARCHAR,
                      until_ts BIGINT,
                      note VARCHAR)""");
            s.execute("CREATE INDEX IF NOT EXISTS actions_alert ON actions (alert_id)");
            s.execute("CREATE INDEX IF NOT EXISTS actions_user ON actions (user_name)");
            s.execute("CREATE TABLE IF NOT EXISTS offsets (topic VARCHAR, part INT, next_offset BIGINT NOT NULL, PRIMARY KEY (topic, part))");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the dashboard's store " + file, e);
        }
    }

    /** True when the store holds no alert and no position: it is rebuilt from the topics' beginning. */
    boolean isEmpty() {
        return count("SELECT COUNT(*) FROM offsets") == 0 && count("SELECT COUNT(*) FROM alerts") == 0;
    }

    int alertCount() {
        return (int) count("SELECT COUNT(*) FROM alerts");
    }

    /** The next offset to read of each stored partition of {@code topic}. */
    Map<Integer, Long> offsets(String topic) {
        Map<Integer, Long> out = new HashMap<>();
        try (Connection c = pool.getConnection(); PreparedStatement p = c.prepareStatement("SELECT part, next_offset FROM offsets WHERE topic = ?")) {
            p.setString(1, topic);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.put(r.getInt(1), r.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /**
     * Stores an alert read at {@code offset}, and the partition's next offset, in one transaction.
     * An alert id already stored (a replay yields the same ids) keeps its row and its status.
     * Returns the row when it is new.
     */
    Optional<AlertRow> putAlert(AlertRecord a, String topic, int partition, long offset) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            boolean inserted;
            try (PreparedStatement p = c.prepareStatement("""
                    INSERT INTO alerts (alert_id, ts, user_name, tenant, detector, severity, severity_rank, score, summary, repeats, repeat_key, status, json)
                    SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ? WHERE NOT EXISTS (SELECT 1 FROM alerts WHERE alert_id = ?)""")) {
                p.setString(1, a.alertId());
                p.setLong(2, a.ts());
                p.setString(3, a.user());
                p.setString(4, a.tenant());
                p.setString(5, a.detector());
                p.setString(6, a.severity());
                p.setInt(7, Severity.rank(a.severity()));
                p.setDouble(8, a.score());
                p.setString(9, a.summary());
                p.setInt(10, a.repeats());
                p.setString(11, a.repeatKey());
                p.setString(12, a.json());
                p.setString(13, a.alertId());
                inserted = p.executeUpdate() == 1;
            }
            putOffset(c, topic, partition, offset + 1);
            c.commit();
            return inserted ? Optional.of(new AlertRow(a.alertId(), a.ts(), a.user(), a.tenant(), a.detector(), a.severity(),
                    a.score(), a.summary(), a.repeats(), "open")) : Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Moves a partition's position past a record that is not stored (unreadable). */
    void skip(String topic, int partition, long offset) {
        try (Connection c = pool.getConnection()) {
            putOffset(c, topic, partition, offset + 1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stores an action read back from the feedback topic, and what it changes about its alert. */
    void putAction(Feedback f, String topic, int partition, long offset) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("""
                    INSERT INTO actions (at, action, actor, alert_id, user_name, tenant, detector, network, until_ts, note)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                p.setLong(1, f.at().toEpochMilli());
                p.setString(2, f.action().wire());
                p.setString(3, f.by());
                p.setString(4, f.alertId());
                p.setString(5, f.user());
                p.setString(6, f.tenant());
                p.setString(7, f.detector());
                p.setString(8, f.network());
                if (f.until() == null) {
                    p.setNull(9, Types.BIGINT);
                } else {
                    p.setLong(9, f.until().toEpochMilli());
                }
                p.setString(10, f.note());
                p.executeUpdate();
            }
            String status = switch (f.action()) {
                case ACKNOWLEDGE -> "acknowledged";
                case FALSE_POSITIVE -> "false_positive";
                default -> null;
            };
            if (status != null && f.alertId() != null) {
                try (PreparedStatement p = c.prepareStatement(
                        "UPDATE alerts SET status = ? WHERE alert_id = ? AND (status = 'open' OR ? = 'false_positive')")) {
                    p.setString(1, status);
                    p.setString(2, f.alertId());
                    p.setString(3, status);
                    p.executeUpdate();
                }
            }
            putOffset(c, topic, partition, offset + 1);
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putOffset(Connection c, String topic, int partition, long next) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("MERGE INTO offsets (topic, part, next_offset) KEY (topic, part) VALUES (?, ?, ?)")) {
            p.setString(1, topic);
            p.setInt(2, partition);
            p.setLong(3, next);
            p.executeUpdate();
        }
    }

    /** The newest alerts that pass the filter, newest first. */
    List<AlertRow> list(AlertFilter f) {
        StringBuilder sql = new StringBuilder(
                "SELECT alert_id, ts, user_name, tenant, detector, severity, score, summary, repeats, status FROM alerts WHERE 1 = 1");
        List<Object> args = where(f, sql);
        sql.append(" ORDER BY ts DESC, alert_id DESC LIMIT ").append(f.limit());
        List<AlertRow> out = new ArrayList<>();
        try (Connection c = pool.getConnection(); PreparedStatement p = c.prepareStatement(sql.toString())) {
            bind(p, args);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new AlertRow(r.getString(1), r.getLong(2), r.getString(3), r.getString(4), r.getString(5),
                            r.getString(6), r.getDouble(7), r.getString(8), r.getInt(9), r.getString(10)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Counts per time bucket (start, epoch ms) and {@code column} (detector or severity) of the alerts that pass the filter. */
    List<Count> counts(AlertFilter f, String column, long bucketMillis) {
        if (!column.equals("detector") && !column.equals("severity")) {
            throw new IllegalArgumentException(column);
        }
        StringBuilder sql = new StringBuilder("SELECT (ts / " + bucketMillis + ") * " + bucketMillis + " AS bucket, " + column
                + ", COUNT(*) FROM alerts WHERE 1 = 1");
        List<Object> args = where(f, sql);
        sql.append(" GROUP BY bucket, ").append(column).append(" ORDER BY bucket");
        List<Count> out = new ArrayList<>();
        try (Connection c = pool.getConnection(); PreparedStatement p = c.prepareStatement(sql.toString())) {
            bind(p, args);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new Count(r.getLong(1), r.getString(2), r.getLong(3)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    record Count(long bucket, String key, long count) {}

    /** Event-time range [min, max] of the alerts that pass the filter, or null when none does. */
    long[] range(AlertFilter f) {
        StringBuilder sql = new StringBuilder("SELECT MIN(ts), MAX(ts), COUNT(*) FROM alerts WHERE 1 = 1");
        List<Object> args = where(f, sql);
        try (Connection c = pool.getConnection(); PreparedStatement p = c.prepareStatement(sql.toString())) {
            bind(p, args);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getLong(3) == 0 ? null : new long[] {r.getLong(1), r.getLong(2)};
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The distinct detectors stored, for the filter's choices. */
    List<String> detectors() {
        List<String> out = new ArrayList<>();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT DISTINCT detector FROM alerts ORDER BY detector")) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** An alert's JSON as the job wrote it, and its status. */
    Optional<StoredAlert> alert(String alertId) {
        try (Connection c = pool.getConnection(); PreparedStatement p = c.prepareStatement("SELECT json, status FROM alerts WHERE alert_id = ?")) {
            p.setString(1, alertId);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(new StoredAlert(r.getString(1), r.getString(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    record StoredAlert(String json, String status) {}

    /** The stored JSON of a user's newest alerts (tenant null: users without a tenant). */
    List<StoredAlert> userAlerts(String user, String tenant, int limit) {
        String sql = "SELECT json, status FROM alerts WHERE user_name = ? AND " + (tenant == null ? "tenant IS NULL" : "tenant = ?")
                + " ORDER BY ts DESC, alert_id DESC LIMIT " + Math.max(1, Math.min(limit, AlertFilter.MAX_LIMIT));
        List<StoredAlert> out = new ArrayList<>();
        try (Connection c = pool.getConnection(); PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, user);
            if (tenant != null) {
                p.setString(2, tenant);
            }
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new StoredAlert(r.getString(1), r.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Actions about an alert, or about a user (their mutes and their alerts' actions), oldest first. */
    List<Action> actions(String alertId, String user) {
        String sql = alertId != null
                ? "SELECT at, action, actor, alert_id, user_name, tenant, detector, network, until_ts, note FROM actions WHERE alert_id = ? ORDER BY id"
                : "SELECT at, action, actor, alert_id, user_name, tenant, detector, network, until_ts, note FROM actions WHERE user_name = ? ORDER BY id";
        List<Action> out = new ArrayList<>();
        try (Connection c = pool.getConnection(); PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, alertId != null ? alertId : user);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    long untilMillis = r.getLong(9);
                    Long until = r.wasNull() ? null : untilMillis;
                    out.add(new Action(r.getLong(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5), r.getString(6),
                            r.getString(7), r.getString(8), until, r.getString(10)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    record Action(long at, String action, String by, String alertId, String user, String tenant, String detector,
            String network, Long until, String note) {}

    /**
     * Retention: deletes alerts more than {@code retention} of event time older than the newest
     * stored alert (event time, since a replay's alerts carry their events' old time), and actions
     * that are older than {@code retention} by the clock and no longer in force. Returns how many alerts went.
     */
    int applyRetention(Duration retention, long nowMillis) {
        try (Connection c = pool.getConnection()) {
            int deleted;
            try (PreparedStatement p = c.prepareStatement("DELETE FROM alerts WHERE ts < (SELECT MAX(ts) FROM alerts) - ?")) {
                p.setLong(1, retention.toMillis());
                deleted = p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("DELETE FROM actions WHERE at < ? AND (until_ts IS NULL OR until_ts < ?)")) {
                p.setLong(1, nowMillis - retention.toMillis());
                p.setLong(2, nowMillis);
                p.executeUpdate();
            }
            return deleted;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Object> where(AlertFilter f, StringBuilder sql) {
        List<Object> args = new ArrayList<>();
        if (f.detector() != null) {
            sql.append(" AND detector = ?");
            args.add(f.detector());
        }
        if (f.minSeverity() != null) {
            sql.append(" AND severity_rank >= ?");
            args.add(Math.max(0, Severity.rank(f.minSeverity())));
        }
        if (f.user() != null) {
            sql.append(" AND user_name = ?");
            args.add(f.user());
        }
        if (f.from() != null) {
            sql.append(" AND ts >= ?");
            args.add(f.from());
        }
        if (f.to() != null) {
            sql.append(" AND ts < ?");
            args.add(f.to());
        }
        return args;
    }

    private static void bind(PreparedStatement p, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            p.setObject(i + 1, args.get(i));
        }
    }

    private long count(String sql) {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        pool.dispose();
    }

    /** Reads a text field of a JSON object, null when absent or not text. */
    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }
}
