package io.surprisal.classifier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A loaded model and how the job's vector maps to its inputs: input {@code i} is the vector's
 * feature named {@code card.features()[i]}, transformed. Refuses a model that takes a feature the
 * vector does not have.
 */
public final class LoadedModel implements AutoCloseable {
    private final ModelCard card;
    private final Classifier classifier;
    /** For each model input, its index in the job's vector. */
    private final int[] source;

    LoadedModel(ModelCard card, Classifier classifier, String[] vectorNames, int vectorVersion) {
        this.card = card;
        this.classifier = classifier;
        this.source = mapping(card, vectorNames, vectorVersion);
    }

    /** Loads the ONNX model of {@code files} for the job's vector (names, in order, and version). */
    public static LoadedModel load(ModelFiles files, String[] vectorNames, int vectorVersion) {
        ModelCard card = ModelCard.parse(files.card());
        int[] checked = mapping(card, vectorNames, vectorVersion); // before loading anything native
        assert checked.length == card.features().size();
        Classifier c;
        try {
            c = new OnnxClassifier(files.onnx(), card);
        } catch (NoClassDefFoundError e) {
            throw new ModelException("detector model needs ONNX Runtime (com.microsoft.onnxruntime:onnxruntime) on the class path: "
                    + "its jar goes in Flink's lib/ (docs/operations.md)", e);
        }
        return new LoadedModel(card, c, vectorNames, vectorVersion);
    }

    /** A model scored by {@code classifier} (tests, and models not in ONNX). */
    public static LoadedModel of(ModelCard card, Classifier classifier, String[] vectorNames, int vectorVersion) {
        return new LoadedModel(card, classifier, vectorNames, vectorVersion);
    }

    static int[] mapping(ModelCard card, String[] vectorNames, int vectorVersion) {
        List<String> names = Arrays.asList(vectorNames);
        int[] source = new int[card.features().size()];
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < source.length; i++) {
            source[i] = names.indexOf(card.features().get(i));
            if (source[i] < 0) {
                unknown.add(card.features().get(i));
            }
        }
        if (!unknown.isEmpty()) {
            throw new ModelException("model " + card.name() + " (" + card.featureVector() + " vector version "
                    + card.featureVectorVersion() + ") takes features the job does not produce: " + unknown
                    + "; the job's " + card.featureVector() + " vector (version " + vectorVersion + ") has " + names);
        }
        return source;
    }

    public ModelCard card() {
        return card;
    }

    /** The model's input row for the job's vector {@code v}: mapped, missing values filled, transformed. */
    public float[] row(double[] v) {
        float[] row = new float[source.length];
        for (int i = 0; i < row.length; i++) {
            double x = v[source[i]];
            row[i] = (float) card.transform(Double.isNaN(x) ? card.missingAt(i) : x);
        }
        return row;
    }

    public double probability(double[] v) {
        return classifier.probability(row(v));
    }

    /**
     * How much each input weighed in {@code row}'s probability {@code p}: the probability with that
     * input alone set to its baseline (the training mean), one row per input in one call. Index as
     * the card's features.
     */
    public double[] withoutEach(float[] row) {
        float[][] rows = new float[row.length][];
        for (int i = 0; i < row.length; i++) {
            rows[i] = row.clone();
            rows[i][i] = (float) card.baselineAt(i);
        }
        return classifier.probabilities(rows);
    }

    /** The probability of one input row as {@link #row} makes it. */
    public double probabilityOfRow(float[] row) {
        return classifier.probability(row);
    }

    /** For each input, the probability with it at its value in {@code row} and every other at its baseline. */
    public double[] aloneEach(float[] row) {
        float[][] rows = new float[row.length][row.length];
        for (int i = 0; i < row.length; i++) {
            for (int j = 0; j < row.length; j++) {
                rows[i][j] = (float) card.baselineAt(j);
            }
            rows[i][i] = row[i];
        }
        return classifier.probabilities(rows);
    }

    /** The job's vector index of model input {@code i}. */
    public int sourceOf(int i) {
        return source[i];
    }

    @Override
    public void close() {
        classifier.close();
    }
}
