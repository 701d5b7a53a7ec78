package io.surprisal.job.mail;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertGroup;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * A mail the SMTP server has not accepted yet: its recipients and the alert groups it carries (one
 * group: a user's mail; several: a digest). It is rendered only when sent, so the writer state
 * holds alerts, not text. A Flink POJO.
 */
public class PendingMail {
    public List<String> to = new ArrayList<>();
    public List<AlertGroup> groups = new ArrayList<>();

    public PendingMail() {}

    public PendingMail(List<String> to, AlertGroup group) {
        this.to = new ArrayList<>(to);
        this.groups.add(group);
    }

    /** This mail becomes a digest that also carries the other's groups. */
    public void fold(PendingMail other) {
        groups.addAll(other.groups);
    }

    public boolean isDigest() {
        return groups.size() > 1;
    }

    /** All alerts this mail stands for (repeats and counted-only alerts included). */
    public int alertCount() {
        int n = 0;
        for (AlertGroup g : groups) {
            n += g.alertCount();
        }
        return n;
    }

    /**
     * Derived from the alert ids alone (sorted), so the same alerts always give the same id and a
     * resend after a restart is recognisable as the same mail.
     */
    public String messageIdLocalPart() {
        TreeSet<String> ids = new TreeSet<>();
        for (AlertGroup g : groups) {
            for (Alert a : g.alerts) {
                ids.add(a.alertId);
            }
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String id : ids) {
                sha.update(id.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return "surprisal." + HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A copy whose lists can change without changing this one's (for snapshots). */
    public PendingMail copy() {
        PendingMail m = new PendingMail();
        m.to = new ArrayList<>(to);
        m.groups = new ArrayList<>(groups);
        return m;
    }
}
