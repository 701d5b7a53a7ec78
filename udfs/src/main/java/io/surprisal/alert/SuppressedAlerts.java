package io.surprisal.alert;

/**
 * Suppression state of one (user, detector, main reason): when the window that the first alert
 * opened closes, and what was held back since. A Flink POJO.
 */
public class SuppressedAlerts {
    /** Event time at which the window closes, epoch milliseconds. */
    public long windowEnd;
    /** Alerts held back in this window. */
    public int held;
    /** The latest held-back alert (null while none was held back). */
    public Alert latest;
    /** The highest severity among the held-back alerts. */
    public Severity maxSeverity;
    /**
     * The highest severity this window has let through (its first alert, then escalations); null in
     * a window restored from a savepoint taken before this field existed, which lets none through.
     */
    public Severity passed;

    public SuppressedAlerts() {}

    public SuppressedAlerts(long windowEnd) {
        this.windowEnd = windowEnd;
    }
}
