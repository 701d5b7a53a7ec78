package io.surprisal.tools.methods;

import com.oracle.labs.mlrg.olcut.util.Pair;
import java.util.List;
import org.tribuo.math.distance.DistanceType;
import org.tribuo.math.la.DenseVector;
import org.tribuo.math.la.SGDVector;
import org.tribuo.math.neighbour.NeighboursQuery;
import org.tribuo.math.neighbour.kdtree.KDTreeFactory;

/**
 * Local Outlier Factor (Breunig et al. 2000) in novelty mode, as scikit-learn's {@code
 * LocalOutlierFactor(novelty=True)}: a new session's LOF is the mean local reachability density of
 * its k nearest training sessions over its own. The k-nearest-neighbour search, the costly part, is
 * Tribuo's k-d tree (Euclidean, on standardized features); no maintained Apache-compatible Java
 * library provides LOF itself (docs/evaluation.md says what was checked), so the three formulas
 * on top of the neighbours are here.
 */
public final class LocalOutlierFactor implements OutlierMethod {
  /** scikit-learn adds this to mean reachability distances so that duplicates keep a finite density. */
  private static final double EPSILON = 1e-10;

  private final int neighbours;

  /** @param neighbours k; scikit-learn's default is 20 */
  public LocalOutlierFactor(int neighbours) {
    if (neighbours < 1) {
      throw new IllegalArgumentException("neighbours must be >= 1: " + neighbours);
    }
    this.neighbours = neighbours;
  }

  @Override
  public String name() {
    return "LOF";
  }

  @Override
  public Fitted fit(double[][] training) {
    int n = training.length;
    if (n < 2) {
      throw new IllegalArgumentException("LOF needs at least 2 training rows: " + n);
    }
    int k = Math.min(neighbours, n - 1);
    Standardizer scale = Standardizer.fit(training);
    SGDVector[] points = vectors(scale.apply(training));
    NeighboursQuery tree = new KDTreeFactory(DistanceType.L2.getDistance(), 1)
        .createNeighboursQuery(points);

    // Each training point's k nearest other training points: ask for k + 1 and drop itself.
    List<List<Pair<Integer, Double>>> withSelf = tree.query(points, k + 1);
    double[] kDistance = new double[n];
    int[][] neighbourIds = new int[n][k];
    double[][] neighbourDistances = new double[n][k];
    for (int i = 0; i < n; i++) {
      List<Pair<Integer, Double>> list = withSelf.get(i);
      int skip = -1;
      for (int m = 0; m < list.size(); m++) {
        if (list.get(m).getA() == i) {
          skip = m;
          break;
        }
      }
      if (skip < 0) {
        skip = list.size() - 1; // itself tied with duplicates beyond k + 1: drop the farthest
      }
      int m2 = 0;
      for (int m = 0; m < list.size() && m2 < k; m++) {
        if (m != skip) {
          neighbourIds[i][m2] = list.get(m).getA();
          neighbourDistances[i][m2] = list.get(m).getB();
          m2++;
        }
      }
      kDistance[i] = neighbourDistances[i][k - 1];
    }
    double[] density = new double[n];
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (int m = 0; m < k; m++) {
        sum += Math.max(kDistance[neighbourIds[i][m]], neighbourDistances[i][m]);
      }
      density[i] = 1.0 / (sum / k + EPSILON);
    }
    return session -> {
      List<Pair<Integer, Double>> near = tree.query(DenseVector.createDenseVector(scale.apply(session)), k);
      double reach = 0;
      double neighbourDensity = 0;
      for (Pair<Integer, Double> p : near) {
        reach += Math.max(kDistance[p.getA()], p.getB());
        neighbourDensity += density[p.getA()];
      }
      double own = 1.0 / (reach / near.size() + EPSILON);
      return (neighbourDensity / near.size()) / own;
    };
  }

  private static SGDVector[] vectors(double[][] rows) {
    SGDVector[] out = new SGDVector[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = DenseVector.createDenseVector(rows[i]);
    }
    return out;
  }
}
