package io.surprisal.classifier;

/** A model's probability of the malicious class for one input row (the model's columns, transformed). */
public interface Classifier extends AutoCloseable {
    double probability(float[] row);

    /** The probabilities of several rows in one call. */
    double[] probabilities(float[][] rows);

    @Override
    void close();
}
