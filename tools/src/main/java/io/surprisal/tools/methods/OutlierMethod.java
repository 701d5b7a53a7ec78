package io.surprisal.tools.methods;

/**
 * One of the seeds' outlier methods: fitted on the training sessions, it scores new ones. Higher
 * scores are more anomalous; the scale is the method's own and only its order matters, since the
 * comparison calibrates each method's threshold on its own scores.
 */
public interface OutlierMethod {

  /** The method's short name, a column of the table. */
  String name();

  /** Fits on {@code training} (one row per session, every row the same length). */
  Fitted fit(double[][] training);

  /** A fitted method. */
  @FunctionalInterface
  interface Fitted {
    /** The anomaly score of {@code session}; higher is more anomalous. */
    double score(double[] session);
  }
}
