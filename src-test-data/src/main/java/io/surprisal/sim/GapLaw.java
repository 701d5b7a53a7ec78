package io.surprisal.sim;

/**
 * How the seconds between two events of a visit are drawn, around the account's usual gap.
 *
 * <ul>
 *   <li>{@link #UNIFORM}: uniform from 1 s to the account's maximum (every preset of the matrix).
 *       The logs of such gaps are skewed towards the short ones, and no gap is longer than the maximum.
 *   <li>{@link #LOGNORMAL}: log-normal around the same median, the log's standard deviation {@link
 *       #LOGNORMAL_SIGMA}: now and then a long read, as real sites' gaps have, so that their logs are
 *       symmetric with a long tail on the slow side once the 1 s floor and the cap cut them.
 * </ul>
 */
public enum GapLaw {
  UNIFORM,
  LOGNORMAL;

  /** The standard deviation of a log-normal gap's natural log. */
  public static final double LOGNORMAL_SIGMA = 1.0;
  /** No gap within a visit is longer (the job's session gap is 30 minutes). */
  public static final int MAX_GAP_SECONDS = 600;
}
