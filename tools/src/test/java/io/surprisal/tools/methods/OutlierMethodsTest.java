package io.surprisal.tools.methods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OutlierMethodsTest {

  static List<OutlierMethod> methods() {
    return MethodComparison.seedMethods(MethodsConfig.DEFAULT);
  }

  /** 300 sessions around (5, 50, 0.5) with small spreads, seeded. */
  private static double[][] cluster(long seed, int n) {
    Random r = new Random(seed);
    double[][] rows = new double[n][];
    for (int i = 0; i < n; i++) {
      rows[i] = new double[] {5 + r.nextGaussian(), 50 + 10 * r.nextGaussian(), 0.5 + 0.1 * r.nextGaussian()};
    }
    return rows;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("methods")
  void aClearOutlierRanksFirst(OutlierMethod method) {
    OutlierMethod.Fitted fitted = method.fit(cluster(7, 300));
    double[] outlier = {5, 400, 0.5}; // ordinary count and ratio, a 35-sd duration
    double outlierScore = fitted.score(outlier);
    for (double[] ordinary : cluster(8, 100)) {
      assertThat(fitted.score(ordinary)).as("%s: an ordinary session", method.name())
          .isLessThan(outlierScore);
    }
  }

  @Test
  void zScoreIsTheLargestFeatureDistanceInSampleStandardDeviations() {
    double[][] training = {{1, 10}, {2, 10}, {3, 10}, {4, 10}, {5, 10}};
    OutlierMethod.Fitted z = new ZScore().fit(training);
    // mean 3, sample sd sqrt(2.5); the second feature is constant and matched
    assertThat(z.score(new double[] {8, 10})).isCloseTo(5 / Math.sqrt(2.5), within(1e-12));
    assertThat(z.score(new double[] {3, 10})).isZero();
    assertThat(z.score(new double[] {3, 11})).isInfinite();
  }

  @Test
  void lofMatchesBreunigsFormulasByHand() {
    // Training 0, 1, 3, 7 with k = 2 (by hand): k-distances 3, 2, 3, 6; densities 0.4, 1/3, 0.4, 0.2.
    double[][] training = {{0}, {1}, {3}, {7}};
    OutlierMethod.Fitted lof = new LocalOutlierFactor(2).fit(training);
    // 20: neighbours 7 and 3, reach distances 13 and 17, density 1/15; LOF = (0.2 + 0.4) / 2 * 15
    assertThat(lof.score(new double[] {20})).isCloseTo(4.5, within(1e-6));
    // 2: neighbours 1 and 3, reach distances 2 and 3, density 0.4; LOF = (1/3 + 0.4) / 2 / 0.4
    assertThat(lof.score(new double[] {2})).isCloseTo((1.0 / 3 + 0.4) / 2 / 0.4, within(1e-6));
  }

  @Test
  void oneClassSvmLeavesAboutNuOfItsTrainingOutsideTheBoundary() {
    double[][] training = cluster(7, 300);
    OutlierMethod.Fitted svm = new OneClassSvm(0.05, 1).fit(training);
    int outside = 0;
    for (double[] row : training) {
      // beyond LibSVM's stopping tolerance (1e-3): support vectors on the boundary come out at +-1e-3
      outside += svm.score(row) > 1e-3 ? 1 : 0;
    }
    // nu bounds the share of training sessions outside (margin errors): 5% of 300, one of slack
    assertThat(outside).isBetween(1, 16);
    assertThat(svm.score(new double[] {25, 50, 0.5})).isPositive();
  }
}
