package io.surprisal.flink;

import io.surprisal.classifier.LoadedModel;
import io.surprisal.classifier.ModelDetector;
import io.surprisal.classifier.ModelException;
import io.surprisal.classifier.ModelFiles;
import io.surprisal.event.DeadLetter;
import io.surprisal.event.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.apache.flink.api.common.state.BroadcastState;

/**
 * Detector {@code model}'s model as an operator keeps it: the model files of the last update in
 * broadcast state (its card and its ONNX bytes), so every instance restores the model it scored
 * with. One per vector: the per-user operator's session model, login novelty's login model.
 */
public final class BroadcastModel {
    static final String CARD = "card";
    static final String ONNX = "onnx";

    private BroadcastModel() {}

    /** The model files kept in {@code state}, or null when no update has come. */
    public static ModelFiles restore(BroadcastState<String, byte[]> state) throws Exception {
        byte[] card = state.get(CARD);
        byte[] onnx = state.get(ONNX);
        return card == null || onnx == null ? null : new ModelFiles(new String(card, StandardCharsets.UTF_8), onnx);
    }

    /**
     * Takes an update line: the {@code vector}'s model files, loaded by {@code detector} and kept in
     * {@code state}; null when the line holds only another vector's model, or when it cannot be used
     * (a dead letter, {@code inUse} says what goes on scoring).
     */
    public static LoadedModel take(String line, String vector, ModelDetector detector, BroadcastState<String, byte[]> state,
            Consumer<DeadLetter> deadLetters, String inUse) throws Exception {
        ModelFiles files;
        LoadedModel next;
        try {
            files = ModelFiles.parseUpdate(line, vector);
            if (files == null) {
                return null;
            }
            next = detector.load(files);
        } catch (ModelException ex) {
            deadLetters.accept(new DeadLetter(DeadLetterReason.UNUSABLE_MODEL, ex.getMessage() + "; " + inUse + " goes on scoring",
                    line, "model-updates"));
            return null;
        }
        state.put(CARD, files.card().getBytes(StandardCharsets.UTF_8));
        state.put(ONNX, files.onnx());
        return next;
    }
}
