package io.surprisal.sim.eval;

/**
 * What a detector that knew one of the simulator's laws would catch of an attack at a per-user
 * budget ({@link LengthLawOracle}, {@link PaceLawOracle}).
 *
 * @param barBits the bar a visit's tail must reach
 * @param flaggedShare the share of normal users with a scored visit the bar flags, by the law (a
 *     user is flagged when one of their scored visits is)
 * @param normalUsers those users
 * @param normalFlagged those of them the bar flags in this sample
 * @param caught attack visits whose tail reaches the bar
 * @param attackVisits attack visits in the scored days
 */
public record LawBound(double barBits, double flaggedShare, int normalUsers, int normalFlagged, int caught,
    int attackVisits) {

  /**
   * The budget the matrix holds the oracles to unless told otherwise ({@code eval --matrix
   * --law-budget}): the detectors' default {@code threshold-bits}, 2^-11 per normal user over the
   * scored days (one day in every preset world).
   */
  public static final double DEFAULT_BUDGET_BITS = 11;

  /**
   * The largest budget the matrix accepts: the oracles search bars up to {@link
   * LawVisits#MOST_BITS}, and a world's bar is its budget plus log2 of a user's visits.
   */
  public static final double MOST_BUDGET_BITS = 40;
}
