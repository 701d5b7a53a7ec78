package io.surprisal.alert;

import java.util.ArrayList;
import java.util.List;

/**
 * One user's alerts within a mail group window: what becomes one mail. A Flink POJO (it is keyed
 * state while the window is open, and the mail sink's pending state afterwards).
 */
public class AlertGroup {
    /** At most this many alerts travel in a group; the rest are counted in {@link #more}. */
    public static final int MAX_ALERTS = 50;

    public String user;
    /** Event time at which the group closes, epoch milliseconds. */
    public long windowEnd;
    public List<Alert> alerts = new ArrayList<>();
    /** Alerts of this group beyond {@link #MAX_ALERTS}, counted only. */
    public int more;

    public AlertGroup() {}

    public AlertGroup(String user, long windowEnd) {
        this.user = user;
        this.windowEnd = windowEnd;
    }

    public void add(Alert a) {
        if (alerts.size() < MAX_ALERTS) {
            alerts.add(a);
        } else {
            more++;
        }
    }

    /** All alerts this group stands for, including counted-only ones and suppression repeats. */
    public int alertCount() {
        int n = more;
        for (Alert a : alerts) {
            n += Math.max(1, a.repeats);
        }
        return n;
    }

    /** The most severe alert (the earliest of equals). */
    public Alert lead() {
        Alert best = null;
        for (Alert a : alerts) {
            if (best == null || a.severity.compareTo(best.severity) > 0) {
                best = a;
            }
        }
        return best;
    }
}
