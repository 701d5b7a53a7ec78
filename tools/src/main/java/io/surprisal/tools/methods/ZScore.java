package io.surprisal.tools.methods;

import org.apache.commons.math3.stat.descriptive.SummaryStatistics;

/**
 * The seeds' z-score, one feature at a time: a session's score is its largest |x - mean| / sd over
 * the features, against the training sessions' mean and sample standard deviation (Apache Commons
 * Math). A feature that was constant in training scores 0 where the session matches it and
 * infinity where it does not. A missing value (NaN) is left out of the statistics and scores 0.
 */
public final class ZScore implements OutlierMethod {

  @Override
  public String name() {
    return "z-score";
  }

  @Override
  public Fitted fit(double[][] training) {
    if (training.length == 0) {
      throw new IllegalArgumentException("no training rows");
    }
    int d = training[0].length;
    double[] mean = new double[d];
    double[] sd = new double[d];
    for (int j = 0; j < d; j++) {
      SummaryStatistics s = new SummaryStatistics();
      for (double[] row : training) {
        if (!Double.isNaN(row[j])) {
          s.addValue(row[j]);
        }
      }
      mean[j] = s.getN() == 0 ? 0 : s.getMean();
      sd[j] = s.getN() < 2 ? 0 : s.getStandardDeviation();
    }
    return session -> {
      double max = 0;
      for (int j = 0; j < d; j++) {
        if (Double.isNaN(session[j])) {
          continue;
        }
        double diff = Math.abs(session[j] - mean[j]);
        double z = sd[j] > 0 ? diff / sd[j] : diff > 0 ? Double.POSITIVE_INFINITY : 0;
        max = Math.max(max, z);
      }
      return max;
    };
  }
}
