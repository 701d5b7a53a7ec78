package io.surprisal.tools.train;

import io.surprisal.classifier.ModelCard;
import io.surprisal.classifier.ModelFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.ONNXExportable;
import org.tribuo.classification.Label;

/**
 * Writes a trained model for the job: {@code model.onnx} (Tribuo's ONNX export), {@code model.json}
 * (its card: the vector it scores, the features in the model's input order, the transform, the
 * training means) and {@code model.tribuo} (Tribuo's own serialized model, with its provenance); a
 * login model as {@code login-model.onnx}, {@code login-model.json}, {@code login-model.tribuo}.
 */
public final class ModelExport {
    /** The ONNX graph's domain. */
    static final String DOMAIN = "io.surprisal";
    public static final String TRIBUO_FILE = "model.tribuo";
    public static final String LOGIN_TRIBUO_FILE = "login-model.tribuo";

    private ModelExport() {}

    /** The card of {@code model}, trained on {@code rows} (the job's {@code vector}: {@code names}, {@code vectorVersion}). */
    public static ModelCard card(Model<Label> model, String name, long version, List<LabelledRow> rows, String[] names, String vector,
            int vectorVersion) {
        ImmutableFeatureMap map = model.getFeatureIDMap();
        List<String> features = new ArrayList<>(map.size());
        for (int i = 0; i < map.size(); i++) {
            features.add(map.get(i).getName());
        }
        List<String> columns = Arrays.asList(names);
        double[] baseline = new double[features.size()];
        double[] missing = new double[features.size()];
        for (int i = 0; i < features.size(); i++) {
            int j = columns.indexOf(features.get(i));
            double sum = 0;
            for (LabelledRow r : rows) {
                sum += TrainingData.input(r.features()[j]);
            }
            baseline[i] = rows.isEmpty() ? 0 : sum / rows.size();
            missing[i] = TrainingData.MISSING;
        }
        int positive = model.getOutputIDInfo().getID(TrainingData.MALICIOUS);
        return new ModelCard(name, Long.toString(version), vector, vectorVersion, features, TrainingData.TRANSFORM,
                missing, baseline, null, null, positive);
    }

    /** Writes the model directory; returns the card. */
    public static ModelCard write(Path dir, Model<Label> model, String name, long version, List<LabelledRow> rows, String[] names,
            String vector, int vectorVersion) throws IOException {
        if (!(model instanceof ONNXExportable onnx)) {
            throw new IllegalArgumentException(name + ": Tribuo cannot export this model to ONNX");
        }
        Files.createDirectories(dir);
        ModelCard card = card(model, name, version, rows, names, vector, vectorVersion);
        onnx.saveONNXModel(DOMAIN, version, dir.resolve(ModelFiles.onnxFile(vector)));
        Files.writeString(dir.resolve(ModelFiles.cardFile(vector)), card.toJson(), StandardCharsets.UTF_8);
        model.serializeToFile(dir.resolve(ModelFiles.LOGIN.equals(vector) ? LOGIN_TRIBUO_FILE : TRIBUO_FILE));
        return card;
    }
}
