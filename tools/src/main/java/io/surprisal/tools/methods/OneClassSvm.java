package io.surprisal.tools.methods;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import java.util.Map;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.anomaly.libsvm.LibSVMAnomalyTrainer;
import org.tribuo.anomaly.libsvm.SVMAnomalyType;
import org.tribuo.common.libsvm.KernelType;
import org.tribuo.common.libsvm.SVMParameters;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * One-class SVM (Schölkopf et al.), the seeds' {@code OneClassSVM}: LibSVM (BSD-3, the library
 * scikit-learn's own OneClassSVM wraps) through Oracle Tribuo's anomaly trainer (Apache-2.0). RBF
 * kernel on standardized features with scikit-learn's {@code gamma='scale'} (1 / features, since
 * standardized features have variance 1). A session's score is minus LibSVM's decision value: the
 * farther outside the learned boundary, the higher.
 */
public final class OneClassSvm implements OutlierMethod {
  static {
    // LibSVM prints its optimiser's progress on stdout, which is the table's
    libsvm.svm.svm_set_print_string_function(line -> { });
  }

  private final double nu;
  private final long seed;

  /**
   * @param nu upper bound on the share of training sessions left outside the boundary
   * @param seed LibSVM's random seed
   */
  public OneClassSvm(double nu, long seed) {
    if (!(nu > 0 && nu <= 1)) {
      throw new IllegalArgumentException("nu must be in (0, 1]: " + nu);
    }
    this.nu = nu;
    this.seed = seed;
  }

  @Override
  public String name() {
    return "OC-SVM";
  }

  @Override
  public Fitted fit(double[][] training) {
    if (training.length == 0) {
      throw new IllegalArgumentException("no training rows");
    }
    int d = training[0].length;
    String[] names = featureNames(d);
    Standardizer scale = Standardizer.fit(training);
    AnomalyFactory factory = new AnomalyFactory();
    MutableDataset<Event> data = new MutableDataset<>(
        new SimpleDataSourceProvenance("training sessions", factory), factory);
    for (double[] row : training) {
      data.add(example(names, scale.apply(row), AnomalyFactory.EXPECTED_EVENT));
    }
    SVMParameters<Event> params = new SVMParameters<>(
        new SVMAnomalyType(SVMAnomalyType.SVMMode.ONE_CLASS), KernelType.RBF);
    params.setNu(nu);
    params.setGamma(1.0 / d);
    Model<Event> model = new LibSVMAnomalyTrainer(params, seed).train(data, Map.<String, Provenance>of());
    return session -> -model.predict(example(names, scale.apply(session), AnomalyFactory.UNKNOWN_EVENT))
        .getOutput().getScore();
  }

  private static Example<Event> example(String[] names, double[] values, Event output) {
    return new ArrayExample<>(output, names, values);
  }

  /** Zero-padded so that Tribuo's sorted feature order is the column order. */
  private static String[] featureNames(int d) {
    String[] names = new String[d];
    for (int j = 0; j < d; j++) {
      names[j] = String.format(java.util.Locale.ROOT, "f%04d", j);
    }
    return names;
  }
}
