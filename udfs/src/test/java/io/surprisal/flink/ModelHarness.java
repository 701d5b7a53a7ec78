package io.surprisal.flink;

import io.surprisal.alert.Alert;
import io.surprisal.classifier.LoadedModel;
import io.surprisal.classifier.ModelFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;

/** What the harness tests of detector model read from an operator: its model alerts, its last vector, a model's bits. */
public final class ModelHarness {
    private ModelHarness() {}

    /** The alerts of detector model the operator of {@code h} put out. */
    public static List<Alert> modelAlerts(AbstractStreamOperatorTestHarness<?> h) {
        List<Alert> out = new ArrayList<>();
        var q = h.getSideOutput(Descriptors.ALERTS);
        if (q != null) {
            q.forEach(r -> {
                if (r.getValue().detector.equals("model")) {
                    out.add(r.getValue());
                }
            });
        }
        return out;
    }

    /** The last record the operator of {@code h} put out on {@code tag}, or null. */
    public static <T> T last(AbstractStreamOperatorTestHarness<?> h, OutputTag<T> tag) {
        T last = null;
        var q = h.getSideOutput(tag);
        if (q != null) {
            for (var r : q) {
                last = r.getValue();
            }
        }
        return last;
    }

    /** The bits ({@code -log2(1 - p)}) the {@code vector} model of {@code dir} gives {@code features}. */
    public static double bitsOf(Path dir, String vector, String[] names, int count, double[] features) {
        try (LoadedModel m = LoadedModel.load(ModelFiles.read(dir, vector), names, count)) {
            return -Math.log(Math.max(1 - m.probability(features), 1e-12)) / Math.log(2);
        }
    }
}
