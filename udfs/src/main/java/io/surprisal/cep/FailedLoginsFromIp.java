package io.surprisal.cep;

/**
 * Detector {@code cep:credential-stuffing}, per IP: the current run of failed logins from it
 * (failures less than the window apart; cleared when the window passes without one). Before the
 * run's alert, the last distinct users who failed (at most min-users, the least recent makes room)
 * with their latest failure; after it, only counts. The users' failures sit in slots beside it. A
 * Flink POJO.
 */
public class FailedLoginsFromIp {
    /** The most recent distinct users who failed, by slot (at most min-users). */
    public String[] users = new String[0];
    /** Event time of each slot's user's latest failure. */
    public long[] latest = new long[0];
    /** Event time of the IP's last failed login. */
    public long lastFailure = Long.MIN_VALUE;
    /** Whether the run has raised its alert; from then on its failures only count. */
    public boolean alerted;
    /** Event time of the first failure of the alerted window (where the run's totals start). */
    public long alertedFrom = Long.MIN_VALUE;
    /** Failures counted since the alerted window's first, and their bits. */
    public long failuresSinceAlert;
    public double bitsSinceAlert;
    /** Distinct users counted since the alerted window's first (counting stops at a bound). */
    public int usersSinceAlert;
    /** The event-time timer that ends the run; {@link Long#MIN_VALUE} if none. */
    public long cleanupTimer = Long.MIN_VALUE;

    public FailedLoginsFromIp() {}
}
