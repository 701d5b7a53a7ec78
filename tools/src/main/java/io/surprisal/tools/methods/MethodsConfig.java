package io.surprisal.tools.methods;

/**
 * How {@link MethodComparison} trains and calibrates the seeds' methods.
 *
 * @param falseAlarmBudget share of the calibration users' normal users a method may flag; the job's
 *     own target is 0.2% of normal users
 * @param fitSample at most this many training sessions, sampled uniformly, fit each method (LOF
 *     and the one-class SVM cost more than linear time in it)
 * @param lofNeighbours LOF's k (scikit-learn's default 20)
 * @param svmNu the one-class SVM's nu
 * @param seed seeds the split, the sample and every method's randomness
 */
public record MethodsConfig(double falseAlarmBudget, int fitSample, int lofNeighbours, double svmNu,
    long seed) {

  /** The defaults of {@code eval --methods}. */
  public static final MethodsConfig DEFAULT = new MethodsConfig(0.002, 4000, 20, 0.05, 1);

  public MethodsConfig {
    if (!(falseAlarmBudget >= 0 && falseAlarmBudget < 1)) {
      throw new IllegalArgumentException("falseAlarmBudget must be in [0, 1): " + falseAlarmBudget);
    }
    if (fitSample < 2) {
      throw new IllegalArgumentException("fitSample must be >= 2: " + fitSample);
    }
  }

  public MethodsConfig withFitSample(int n) {
    return new MethodsConfig(falseAlarmBudget, n, lofNeighbours, svmNu, seed);
  }
}
