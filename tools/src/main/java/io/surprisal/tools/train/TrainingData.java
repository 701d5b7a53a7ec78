package io.surprisal.tools.train;

import io.surprisal.classifier.ModelCard;
import java.time.OffsetDateTime;
import java.util.List;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Session and login rows as Tribuo examples: each feature of the job's vector by its name, a missing value
 * (NaN) as {@link #MISSING}, then transformed as the model card says ({@code signed-log1p}), exactly
 * as the job's detector maps a vector to the model's input ({@link io.surprisal.classifier.LoadedModel#row}).
 */
public final class TrainingData {
    public static final Label MALICIOUS = new Label("malicious");
    public static final Label BENIGN = new Label("benign");
    /** A missing feature's value before the transform: no feature of the session vector is 0 when known and missing at once. */
    public static final double MISSING = 0.0;
    public static final String TRANSFORM = ModelCard.SIGNED_LOG1P;

    private static final LabelFactory LABELS = new LabelFactory();

    private TrainingData() {}

    /** {@code x} as the model takes it. */
    static double input(double x) {
        double v = Double.isNaN(x) ? MISSING : x;
        return Math.signum(v) * Math.log1p(Math.abs(v));
    }

    public static Example<Label> example(LabelledRow r, String[] names, float maliciousWeight) {
        double[] v = new double[names.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = input(r.features()[i]);
        }
        ArrayExample<Label> e = new ArrayExample<>(r.malicious() ? MALICIOUS : BENIGN, names, v);
        if (r.malicious()) {
            e.setWeight(maliciousWeight);
        }
        return e;
    }

    public static MutableDataset<Label> dataset(List<LabelledRow> rows, String[] names, float maliciousWeight) {
        MutableDataset<Label> d = new MutableDataset<>(
                new SimpleDataSourceProvenance("the job's vectors", OffsetDateTime.now(), LABELS), LABELS);
        for (LabelledRow r : rows) {
            d.add(example(r, names, maliciousWeight));
        }
        return d;
    }

    /** Benign over malicious sessions: the weight that makes both classes weigh the same. */
    public static float balancingWeight(List<LabelledRow> rows) {
        long malicious = rows.stream().filter(LabelledRow::malicious).count();
        return malicious == 0 ? 1f : (float) (rows.size() - malicious) / malicious;
    }
}
