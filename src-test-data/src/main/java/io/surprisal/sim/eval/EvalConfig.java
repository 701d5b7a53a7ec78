package io.surprisal.sim.eval;

import java.time.Instant;

/**
 * How to split the data for scoring.
 *
 * @param learnDays number of leading days used for learning only; days {@code >= learnDays} are
 *     scored
 * @param start midnight (UTC) of the first day
 */
public record EvalConfig(int learnDays, Instant start) {

  public EvalConfig {
    if (learnDays < 0) {
      throw new IllegalArgumentException("learnDays must be >= 0: " + learnDays);
    }
    if (start == null) {
      throw new IllegalArgumentException("start is required");
    }
  }

  /** The first instant of the scored days. */
  public Instant scoredStart() {
    return start.plusSeconds(86_400L * learnDays);
  }
}
