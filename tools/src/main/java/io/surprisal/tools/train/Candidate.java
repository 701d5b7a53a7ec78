package io.surprisal.tools.train;

import java.util.Map;
import java.util.function.Function;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;

/**
 * One combination of the grid: a classifier family, its parameters, and how it is trained.
 *
 * @param family the classifier family, e.g. {@code logistic-regression}
 * @param params its parameters, by name, as written to the CSV
 * @param balanced whether malicious examples weigh (benign / malicious) each, so both classes weigh the same
 * @param onnx whether Tribuo exports the family to ONNX (only those can be saved for the job)
 * @param trainer the trainer, given the malicious examples' weight
 */
public record Candidate(String family, Map<String, String> params, boolean balanced, boolean onnx,
        Function<Float, Trainer<Label>> trainer) {

    /** The parameters as {@code name=value;...}, balancing included. */
    public String paramText() {
        StringBuilder b = new StringBuilder();
        params.forEach((k, v) -> b.append(k).append('=').append(v).append(';'));
        return b.append("balanced=").append(balanced).toString();
    }
}
