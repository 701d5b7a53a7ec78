package io.surprisal.alert;

/**
 * Suppression state of one (user, detector, main reason), or of one (user, detector) under the
 * budget: when the window that the first alert opened closes, what it let through, and what was
 * held back since. A Flink POJO (fields may be added: older savepoints restore them as defaults).
 */
public class SuppressedAlerts {
    /** Event time at which the window closes, epoch milliseconds. */
    public long windowEnd;
    /** Alerts held back in this window (a held-back roll-up counts for all it stands for). */
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
    /**
     * Alerts this window has let through (its first, then escalations and what a budget allows);
     * 0 in a window restored from a savepoint taken before this field existed, which let one through.
     */
    public int sent;

    public SuppressedAlerts() {}

    public SuppressedAlerts(long windowEnd) {
        this.windowEnd = windowEnd;
    }
}
