package io.surprisal.classifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a model file needs beside it to be scored (docs/detectors.md#model): the named features it
 * takes, in its input's column order, how they are transformed first, what stands in for a missing
 * value, the baseline the explanation compares against, and which output column is the malicious
 * class's probability. The JSON file {@code model.json} beside {@code model.onnx}.
 *
 * @param name a name for people (the classifier family and its parameters)
 * @param version the model's version: a new one for every model trained
 * @param featureVector the vector the features come from ({@code session})
 * @param featureVectorVersion the version of that vector the model was trained on
 * @param features the model's input columns, by feature name
 * @param transform applied to every feature before the model: {@code none} or {@code signed-log1p}
 *     (sign(x) log(1 + |x|))
 * @param missing per feature, the (untransformed) value of a missing feature (NaN in the vector)
 * @param baseline per feature, the transformed value a feature is replaced with to measure its weight
 *     (the training mean)
 * @param input the model's input name, or null for its only input
 * @param output the model's probabilities output, or null for the first output that holds them
 * @param positiveIndex the column of the malicious class in the probabilities
 */
public record ModelCard(String name, String version, String featureVector, int featureVectorVersion, List<String> features,
        String transform, double[] missing, double[] baseline, String input, String output, int positiveIndex)
        implements Serializable {
    public static final String NONE = "none";
    public static final String SIGNED_LOG1P = "signed-log1p";
    /** The card's file name in a model directory. */
    public static final String FILE = "model.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    public ModelCard {
        features = List.copyOf(features);
        if (features.isEmpty()) {
            throw new ModelException("model card " + name + ": no features");
        }
        if (!NONE.equals(transform) && !SIGNED_LOG1P.equals(transform)) {
            throw new ModelException("model card " + name + ": transform must be none or signed-log1p, got " + transform);
        }
        missing = missing == null ? new double[features.size()] : missing.clone();
        baseline = baseline == null ? new double[features.size()] : baseline.clone();
        if (missing.length != features.size() || baseline.length != features.size()) {
            throw new ModelException("model card " + name + ": missing and baseline need one value per feature (" + features.size() + ")");
        }
        if (positiveIndex < 0) {
            throw new ModelException("model card " + name + ": positive_index must be >= 0");
        }
    }

    /** {@code x} as the model takes it. */
    public double transform(double x) {
        return SIGNED_LOG1P.equals(transform) ? Math.signum(x) * Math.log1p(Math.abs(x)) : x;
    }

    public static ModelCard parse(String json) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (Exception e) {
            throw new ModelException("model card: not JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new ModelException("model card: a JSON object expected");
        }
        List<String> features = new ArrayList<>();
        JsonNode f = n.path("features");
        if (!f.isArray()) {
            throw new ModelException("model card: features (an array of names, in the model's input order) is required");
        }
        f.forEach(x -> features.add(x.asText()));
        return new ModelCard(n.path("name").asText("model"), n.path("version").asText(""),
                n.path("feature_vector").asText("session"), n.path("feature_vector_version").asInt(0), features,
                n.path("transform").asText(NONE), doubles(n.get("missing")), doubles(n.get("baseline")),
                text(n.get("input")), text(n.get("output")), n.path("positive_index").asInt(1));
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static double[] doubles(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        double[] d = new double[n.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = n.get(i).asDouble();
        }
        return d;
    }

    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", name);
        n.put("version", version);
        n.put("feature_vector", featureVector);
        n.put("feature_vector_version", featureVectorVersion);
        ArrayNode f = n.putArray("features");
        features.forEach(f::add);
        n.put("transform", transform);
        ArrayNode m = n.putArray("missing");
        Arrays.stream(missing).forEach(m::add);
        ArrayNode b = n.putArray("baseline");
        Arrays.stream(baseline).forEach(b::add);
        if (input != null) {
            n.put("input", input);
        }
        if (output != null) {
            n.put("output", output);
        }
        n.put("positive_index", positiveIndex);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public double[] missing() {
        return missing.clone();
    }

    @Override
    public double[] baseline() {
        return baseline.clone();
    }

    /** The value of {@link #missing()} of input {@code i}, without a copy. */
    double missingAt(int i) {
        return missing[i];
    }

    /** The value of {@link #baseline()} of input {@code i}, without a copy. */
    double baselineAt(int i) {
        return baseline[i];
    }
}
