package io.surprisal.cep;

/**
 * Detector {@code cep:brute-force}, per user: the current run of failed logins (failures less than
 * the window apart; cleared when the window passes without one). The failures themselves sit in a
 * bounded ring beside it, by sequence number. A Flink POJO.
 */
public class FailedLoginRun {
    /** Failed logins of the run so far: the sequence number of the last one (the first is 1). */
    public long failures;
    /** Event time of the run's last failed login. */
    public long lastFailure = Long.MIN_VALUE;
    /**
     * Sequence number of the failure that raised the run's alert, 0 before it: from then on the
     * run's failures only count, for the one alert that states its total when it ends.
     */
    public long alertedAt;
    /** Event time of the first failure of the alerted window (where the run's total starts). */
    public long alertedFrom = Long.MIN_VALUE;
    /** Bits of the failures counted since the alerted window's first. */
    public double alertedBits;
    /** Failures up to this sequence number are behind the last successful-login alert. */
    public long usedBySuccess;
    /** Event time of the first failure after {@link #usedBySuccess}. */
    public long sinceSuccessFrom = Long.MIN_VALUE;
    /** The event-time timer that ends the run; {@link Long#MIN_VALUE} if none. */
    public long cleanupTimer = Long.MIN_VALUE;

    public FailedLoginRun() {}
}
