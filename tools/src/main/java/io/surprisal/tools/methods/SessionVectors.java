package io.surprisal.tools.methods;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The job's closed-session feature vectors, as {@code run --sessions-out} writes them: one JSON
 * object a line with {@code user}, {@code ts} (epoch milliseconds or ISO-8601) and {@code
 * features}, an object of numbers (null where the session has no such value); other fields are
 * skipped. Columns are the union of feature names, sorted; a null or absent feature is NaN, which
 * the methods treat as missing.
 *
 * @param featureNames the column names, sorted
 * @param sessions the sessions in file order
 */
public record SessionVectors(List<String> featureNames, List<SessionVector> sessions) {

  private static final JsonFactory JSON = new JsonFactory();

  public SessionVectors {
    featureNames = List.copyOf(featureNames);
    sessions = List.copyOf(sessions);
  }

  /** Reads a sessions file. */
  public static SessionVectors read(Path file) throws IOException {
    record Raw(String user, Instant ts, Map<String, Double> features) {}
    List<Raw> raws = new ArrayList<>();
    TreeSet<String> names = new TreeSet<>();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        JsonParser p = JSON.createParser(in)) {
      JsonToken token;
      while ((token = p.nextToken()) != null) {
        if (token != JsonToken.START_OBJECT) {
          throw new IOException("expected a JSON object per line in " + file + " at " + p.currentLocation());
        }
        String user = null;
        Instant ts = null;
        Map<String, Double> features = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken value = p.nextToken();
          switch (field) {
            case "user" -> user = p.getValueAsString();
            case "ts" -> ts = value == JsonToken.VALUE_NUMBER_INT ? Instant.ofEpochMilli(p.getLongValue())
                : value == JsonToken.VALUE_STRING ? Instant.parse(p.getText()) : null;
            case "features" -> {
              if (value != JsonToken.START_OBJECT) {
                throw new IOException("features is not an object in " + file + " at " + p.currentLocation());
              }
              while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken number = p.nextToken();
                features.put(name, number == JsonToken.VALUE_NULL ? Double.NaN : p.getValueAsDouble());
              }
            }
            default -> p.skipChildren();
          }
        }
        if (user == null || ts == null) {
          throw new IOException("a session without user or ts in " + file + " at " + p.currentLocation());
        }
        names.addAll(features.keySet());
        raws.add(new Raw(user, ts, features));
      }
    }
    List<String> columns = new ArrayList<>(names);
    List<SessionVector> out = new ArrayList<>(raws.size());
    for (Raw r : raws) {
      double[] values = new double[columns.size()];
      for (int j = 0; j < values.length; j++) {
        values[j] = r.features().getOrDefault(columns.get(j), Double.NaN);
      }
      out.add(new SessionVector(r.user(), r.ts(), values));
    }
    return new SessionVectors(columns, out);
  }
}
