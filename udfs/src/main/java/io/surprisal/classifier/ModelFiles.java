package io.surprisal.classifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * A model as bytes: its card ({@link ModelCard}) and its ONNX file. What the job reads from a model
 * directory ({@code model.json} and {@code model.onnx}), what an update carries, and what the
 * operator keeps in its broadcast state, so a restore gives back the model in use, not a path
 * whose file may have changed since.
 *
 * @param card the card's JSON
 * @param onnx the ONNX model
 */
public record ModelFiles(String card, byte[] onnx) implements java.io.Serializable {
    /** The model's file name in a model directory. */
    public static final String ONNX_FILE = "model.onnx";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads {@code model.json} and {@code model.onnx} of a model directory. */
    public static ModelFiles read(Path dir) {
        try {
            return new ModelFiles(Files.readString(dir.resolve(ModelCard.FILE), StandardCharsets.UTF_8),
                    Files.readAllBytes(dir.resolve(ONNX_FILE)));
        } catch (IOException e) {
            throw new ModelException("model directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * One update line: a model directory's path, or a JSON object {@code {"card": {...}, "onnx":
     * "<base64>"}} that carries the model itself.
     */
    public static ModelFiles parseUpdate(String line) {
        String s = line.strip();
        if (!s.startsWith("{")) {
            return read(Path.of(s));
        }
        try {
            JsonNode n = JSON.readTree(s);
            JsonNode card = n.get("card");
            JsonNode onnx = n.get("onnx");
            if (card == null || !card.isObject() || onnx == null || !onnx.isTextual()) {
                throw new ModelException("model update: {\"card\": {...}, \"onnx\": \"<base64>\"} expected");
            }
            return new ModelFiles(JSON.writeValueAsString(card), Base64.getDecoder().decode(onnx.asText()));
        } catch (IOException | IllegalArgumentException e) {
            throw new ModelException("model update: " + e.getMessage(), e);
        }
    }

    /** This model as one update line (JSON, the ONNX file in base64). */
    public String toUpdateLine() {
        try {
            return "{\"card\":" + JSON.writeValueAsString(JSON.readTree(card)) + ",\"onnx\":\""
                    + Base64.getEncoder().encodeToString(onnx) + "\"}";
        } catch (IOException e) {
            throw new ModelException("model card: " + e.getMessage(), e);
        }
    }
}
