package io.surprisal.tools.methods;

import com.amazon.randomcutforest.RandomCutForest;
import java.util.Random;

/**
 * The isolation-forest family, offline: Amazon's Random Cut Forest (Apache-2.0) built once from the
 * training sessions and not updated while it scores, with scikit-learn's IsolationForest sizes
 * (100 trees of 256 sampled sessions each). Unlike Liu et al.'s isolation forest, a random cut
 * forest picks the cut dimension in proportion to its range and scores by how much a point would
 * displace the tree (docs/evaluation.md says why no other isolation forest was taken). The
 * training sessions go in a seeded shuffle with no time decay, so each tree's sample is uniform.
 */
public final class IsolationForest implements OutlierMethod {
  private static final int TREES = 100;
  private static final int SAMPLE_SIZE = 256;

  private final long seed;

  public IsolationForest(long seed) {
    this.seed = seed;
  }

  @Override
  public String name() {
    return "iForest";
  }

  @Override
  public Fitted fit(double[][] training) {
    if (training.length == 0) {
      throw new IllegalArgumentException("no training rows");
    }
    Standardizer scale = Standardizer.fit(training);
    RandomCutForest forest = RandomCutForest.builder()
        .dimensions(training[0].length)
        .numberOfTrees(TREES)
        .sampleSize(SAMPLE_SIZE)
        .outputAfter(1)
        .timeDecay(0)
        .randomSeed(seed)
        .parallelExecutionEnabled(false)
        .build();
    int[] order = shuffled(training.length, new Random(seed));
    for (int i : order) {
      forest.update(scale.apply(training[i]));
    }
    return session -> forest.getAnomalyScore(scale.apply(session));
  }

  private static int[] shuffled(int n, Random random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
