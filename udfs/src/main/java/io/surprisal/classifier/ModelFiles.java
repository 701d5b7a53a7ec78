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
 * directory, what an update carries, and what an operator keeps in its broadcast state, so a
 * restore gives back the model in use, not a path whose file may have changed since.
 *
 * <p>A model directory holds a session model ({@code model.json}, {@code model.onnx}), a login
 * model ({@code login-model.json}, {@code login-model.onnx}), or both. Each card's {@code
 * feature_vector} says which vector it scores: the per-user operator takes the session model, login
 * novelty's operator the login model, each ignoring the other.
 *
 * @param card the card's JSON
 * @param onnx the ONNX model
 */
public record ModelFiles(String card, byte[] onnx) implements java.io.Serializable {
    /** The vector of closed sessions (io.surprisal.session.SessionFeatures). */
    public static final String SESSION = "session";
    /** The vector of logins (io.surprisal.novelty.LoginFeatures). */
    public static final String LOGIN = "login";
    /** The session model's file name in a model directory. */
    public static final String ONNX_FILE = "model.onnx";
    /** The login model's files in a model directory. */
    public static final String LOGIN_CARD_FILE = "login-model.json";
    public static final String LOGIN_ONNX_FILE = "login-model.onnx";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The card's file name of {@code vector}'s model in a model directory. */
    public static String cardFile(String vector) {
        return LOGIN.equals(vector) ? LOGIN_CARD_FILE : ModelCard.FILE;
    }

    /** The ONNX file name of {@code vector}'s model in a model directory. */
    public static String onnxFile(String vector) {
        return LOGIN.equals(vector) ? LOGIN_ONNX_FILE : ONNX_FILE;
    }

    /** Reads the session model of a model directory; throws when it has none. */
    public static ModelFiles read(Path dir) {
        ModelFiles f = read(dir, SESSION);
        if (f == null) {
            throw new ModelException("model directory " + dir + " has no session model (" + ModelCard.FILE + ")");
        }
        return f;
    }

    /**
     * Reads {@code vector}'s model of a model directory: null when the directory holds only the
     * other vector's; throws when it holds neither, or a file cannot be read.
     */
    public static ModelFiles read(Path dir, String vector) {
        Path card = dir.resolve(cardFile(vector));
        if (!Files.exists(card)) {
            String other = LOGIN.equals(vector) ? SESSION : LOGIN;
            if (Files.exists(dir.resolve(cardFile(other)))) {
                return null;
            }
            throw new ModelException("model directory " + dir + ": neither " + ModelCard.FILE + " nor " + LOGIN_CARD_FILE);
        }
        try {
            return new ModelFiles(Files.readString(card, StandardCharsets.UTF_8), Files.readAllBytes(dir.resolve(onnxFile(vector))));
        } catch (IOException e) {
            throw new ModelException("model directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** One update line's session model (see {@link #parseUpdate(String, String)}); throws when it has none. */
    public static ModelFiles parseUpdate(String line) {
        ModelFiles f = parseUpdate(line, SESSION);
        if (f == null) {
            throw new ModelException("model update: no session model in " + line.strip());
        }
        return f;
    }

    /**
     * One update line's model for {@code vector}: a model directory's path (read as {@link
     * #read(Path, String)}), or a JSON object {@code {"card": {...}, "onnx": "<base64>"}} that carries
     * the model itself. Null when the update holds only a model for the other vector.
     */
    public static ModelFiles parseUpdate(String line, String vector) {
        String s = line.strip();
        if (!s.startsWith("{")) {
            return read(Path.of(s), vector);
        }
        try {
            JsonNode n = JSON.readTree(s);
            JsonNode card = n.get("card");
            JsonNode onnx = n.get("onnx");
            if (card == null || !card.isObject() || onnx == null || !onnx.isTextual()) {
                throw new ModelException("model update: {\"card\": {...}, \"onnx\": \"<base64>\"} expected");
            }
            if (!vector.equals(card.path("feature_vector").asText(SESSION))) {
                return null;
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
