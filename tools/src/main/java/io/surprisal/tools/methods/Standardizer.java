package io.surprisal.tools.methods;

import org.apache.commons.math3.stat.descriptive.SummaryStatistics;

/**
 * Per-feature mean and standard deviation of the training rows (scikit-learn's StandardScaler), so
 * that distance-based methods weigh a count and a duration alike. A feature constant in training
 * keeps a standard deviation of 1: it is only centred. A missing value (NaN: a feature the session
 * has not, such as the gap before a user's first session) is left out of the statistics and
 * becomes 0, the training mean.
 */
final class Standardizer {
  private final double[] mean;
  private final double[] sd;

  private Standardizer(double[] mean, double[] sd) {
    this.mean = mean;
    this.sd = sd;
  }

  static Standardizer fit(double[][] rows) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("no training rows");
    }
    int d = rows[0].length;
    double[] mean = new double[d];
    double[] sd = new double[d];
    for (int j = 0; j < d; j++) {
      SummaryStatistics s = new SummaryStatistics();
      for (double[] row : rows) {
        if (!Double.isNaN(row[j])) {
          s.addValue(row[j]);
        }
      }
      mean[j] = s.getN() == 0 ? 0 : s.getMean();
      // population sd, as StandardScaler
      double v = s.getPopulationVariance();
      sd[j] = v > 0 ? Math.sqrt(v) : 1.0;
    }
    return new Standardizer(mean, sd);
  }

  double[] apply(double[] row) {
    double[] out = new double[row.length];
    for (int j = 0; j < row.length; j++) {
      out[j] = Double.isNaN(row[j]) ? 0 : (row[j] - mean[j]) / sd[j];
    }
    return out;
  }

  double[][] apply(double[][] rows) {
    double[][] out = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = apply(rows[i]);
    }
    return out;
  }
}
