package io.surprisal.sim.eval;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.surprisal.sim.UserLabel;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Scores detector alerts against simulator labels, beside the seed notebook's method.
 *
 * <ul>
 *   <li>Scored users: users with at least one event in the scored days ({@code ts >= start +
 *       learnDays}).
 *   <li>Positive: profile bot, spammer, fraudster or attacker, or scenario novelty or takeover.
 *       Everyone else (buyers and merchants, including the hard negatives) is normal.
 *   <li>Flagged: any alert with that {@code user} and an alert {@code ts} in the scored days.
 *   <li>False positives per detector: normal scored users flagged, counted once under every
 *       detector that alerted on them.
 *   <li>New users: scored users with no event before the scored days.
 *   <li>Baseline: {@link SeedNotebookBaseline} learned on the learning days; a user's score is the
 *       sum of surprisals of their scored-day events, z-scored over scored users (sample standard
 *       deviation); flagged at {@code z >= 2}.
 * </ul>
 *
 * <p>The events file is streamed twice (learn, then score) and never held in memory; memory is per
 * user.
 */
public final class Evaluation {
  /** z-score at or above which the baseline flags a user. */
  public static final double SEED_Z_THRESHOLD = 2.0;

  private static final JsonFactory JSON = new JsonFactory();
  private static final List<String> PROFILE_ORDER =
      List.of("buyer", "merchant", "bot", "spammer", "fraudster", "attacker");
  private static final List<String> SCENARIO_ORDER =
      List.of("none", "travel", "new_phone", "forgot_password", "novelty", "takeover", "impossible_travel",
          "gift_cards", "long_session", "fast_pace");

  private Evaluation() {}

  /** Fields of an events or alerts line that the evaluation reads. */
  record Fields(String user, Instant ts, String action, String status, String detector, String session) {}

  @FunctionalInterface
  interface FieldsConsumer {
    void accept(Fields fields);
  }

  /**
   * Evaluates {@code alertsJsonl} against {@code labelsCsv} on the users active in {@code
   * eventsJsonl}'s scored days.
   *
   * @throws UncheckedIOException when a file cannot be read or parsed
   */
  public static EvalReport evaluate(Path eventsJsonl, Path labelsCsv, Path alertsJsonl, EvalConfig cfg) {
    return evaluate(eventsJsonl, labelsCsv, alertsJsonl, cfg, null, null);
  }

  /**
   * As {@link #evaluate(Path, Path, Path, EvalConfig)}, scoring only {@code users} (all when null)
   * and counting only the alerts of {@code detectors} (all when null): one detector's recall and
   * precision, on users a model did not learn from.
   */
  public static EvalReport evaluate(Path eventsJsonl, Path labelsCsv, Path alertsJsonl, EvalConfig cfg,
      Set<String> users, Set<String> detectors) {
    try {
      return run(eventsJsonl, labelsCsv, alertsJsonl, cfg, users, detectors);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static EvalReport run(Path events, Path labelsCsv, Path alerts, EvalConfig cfg,
      Set<String> users, Set<String> detectors) throws IOException {
    Instant scoredStart = cfg.scoredStart();
    Map<String, UserLabel> labels = readLabels(labelsCsv);

    // Pass 1: learn the baseline on learning days; find the scored users.
    SeedNotebookBaseline baseline = new SeedNotebookBaseline();
    Map<String, String> previous = new HashMap<>();
    Set<String> scoredUsers = new HashSet<>();
    Set<String> seenBefore = new HashSet<>();
    readJsonLines(events, f -> {
      if (f.user() == null || f.ts() == null) {
        return; // not an event
      }
      String prev = previous.getOrDefault(f.user(), "");
      previous.put(f.user(), f.action());
      if (f.ts().isBefore(scoredStart)) {
        baseline.learn(f.action(), prev, "success".equals(f.status()));
        seenBefore.add(f.user());
      } else if (users == null || users.contains(f.user())) {
        scoredUsers.add(f.user());
      }
    });

    // Pass 2: each scored user's total surprisal over the scored days.
    previous.clear();
    Map<String, double[]> totals = new HashMap<>();
    readJsonLines(events, f -> {
      if (f.user() == null || f.ts() == null) {
        return;
      }
      String prev = previous.getOrDefault(f.user(), "");
      previous.put(f.user(), f.action());
      if (!f.ts().isBefore(scoredStart)) {
        totals.computeIfAbsent(f.user(), u -> new double[1])[0] +=
            baseline.surprisal(f.action(), prev, "success".equals(f.status()));
      }
    });
    previous.clear();
    Map<String, EvalReport.SeedScore> seedScores = zScores(totals);

    // Alerts.
    Map<String, Set<String>> detectorsByUser = new HashMap<>();
    Map<String, Long> alertsPerDetector = new TreeMap<>();
    readJsonLines(alerts, f -> {
      if (f.ts() != null && !f.ts().isBefore(scoredStart)) {
        String detector = f.detector() == null ? "(none)" : f.detector();
        if (detectors != null && !detectors.contains(detector)) {
          return;
        }
        if (f.user() != null) {
          detectorsByUser.computeIfAbsent(f.user(), u -> new TreeSet<>()).add(detector);
        }
        alertsPerDetector.merge(detector, 1L, Long::sum);
      }
    });
    Set<String> flagged = detectorsByUser.keySet();

    // Rows and confusion counts.
    Map<List<String>, int[]> byKind = new TreeMap<>(Evaluation::compareKinds);
    int[] ours = new int[4];
    int[] seed = new int[4];
    int[] newNormal = new int[2];
    Map<String, Long> falsePositivesPerDetector = new TreeMap<>();
    for (String user : scoredUsers) {
      UserLabel label = labels.get(user);
      if (label == null) {
        continue; // not labelled: cannot be scored
      }
      boolean positive = label.positive();
      boolean oursFlag = flagged.contains(user);
      EvalReport.SeedScore score = seedScores.get(user);
      boolean seedFlag = score != null && score.z() >= SEED_Z_THRESHOLD;
      int[] counts = byKind.computeIfAbsent(List.of(label.type(), label.scenario()), k -> new int[4]);
      counts[0]++;
      counts[1] += oursFlag ? 1 : 0;
      counts[2] += seedFlag ? 1 : 0;
      counts[3] = positive ? 1 : 0;
      ours[confusionIndex(positive, oursFlag)]++;
      seed[confusionIndex(positive, seedFlag)]++;
      if (!positive && oursFlag) {
        for (String detector : detectorsByUser.get(user)) {
          falsePositivesPerDetector.merge(detector, 1L, Long::sum);
        }
      }
      if (!positive && !seenBefore.contains(user)) {
        newNormal[0]++;
        newNormal[1] += oursFlag ? 1 : 0;
      }
    }
    List<EvalReport.Row> rows = new ArrayList<>();
    byKind.forEach((kind, c) ->
        rows.add(new EvalReport.Row(kind.get(0), kind.get(1), c[3] == 1, c[0], c[1], c[2])));
    return new EvalReport(List.copyOf(rows), metrics(ours), metrics(seed),
        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(alertsPerDetector)),
        java.util.Collections.unmodifiableMap(new TreeMap<>(seedScores)),
        java.util.Collections.unmodifiableMap(falsePositivesPerDetector),
        new EvalReport.NewUsers(newNormal[0], newNormal[1]));
  }

  /** 0 = TP, 1 = FP, 2 = FN, 3 = TN. */
  private static int confusionIndex(boolean positive, boolean flagged) {
    if (positive) {
      return flagged ? 0 : 2;
    }
    return flagged ? 1 : 3;
  }

  private static EvalReport.Metrics metrics(int[] c) {
    return new EvalReport.Metrics(c[0], c[1], c[2], c[3]);
  }

  /** z = (total - mean) / sample sd over the scored users; 0 for everyone when sd is 0 or n < 2. */
  static Map<String, EvalReport.SeedScore> zScores(Map<String, double[]> totals) {
    int n = totals.size();
    double sum = 0;
    for (double[] t : totals.values()) {
      sum += t[0];
    }
    double mean = n == 0 ? 0 : sum / n;
    double squares = 0;
    for (double[] t : totals.values()) {
      squares += (t[0] - mean) * (t[0] - mean);
    }
    double sd = n < 2 ? 0 : Math.sqrt(squares / (n - 1));
    Map<String, EvalReport.SeedScore> out = new TreeMap<>();
    totals.forEach((user, t) ->
        out.put(user, new EvalReport.SeedScore(t[0], sd > 0 ? (t[0] - mean) / sd : 0)));
    return out;
  }

  private static int compareKinds(List<String> a, List<String> b) {
    int c = Comparator.<String>comparingInt(p -> rank(PROFILE_ORDER, p))
        .thenComparing(Comparator.naturalOrder()).compare(a.get(0), b.get(0));
    if (c != 0) {
      return c;
    }
    return Comparator.<String>comparingInt(s -> rank(SCENARIO_ORDER, s))
        .thenComparing(Comparator.naturalOrder()).compare(a.get(1), b.get(1));
  }

  private static int rank(List<String> order, String value) {
    int i = order.indexOf(value);
    return i < 0 ? order.size() : i;
  }

  /**
   * Parses an ISO-8601 instant; the simulator's fixed {@code yyyy-MM-ddTHH:mm:ssZ} form takes a
   * fast path (Instant.parse dominated the run time on millions of events).
   */
  static Instant parseInstant(String text) {
    if (text.length() == 20 && text.charAt(4) == '-' && text.charAt(7) == '-'
        && text.charAt(10) == 'T' && text.charAt(13) == ':' && text.charAt(16) == ':'
        && text.charAt(19) == 'Z') {
      try {
        int year = Integer.parseInt(text, 0, 4, 10);
        int month = Integer.parseInt(text, 5, 7, 10);
        int day = Integer.parseInt(text, 8, 10, 10);
        int hour = Integer.parseInt(text, 11, 13, 10);
        int minute = Integer.parseInt(text, 14, 16, 10);
        int second = Integer.parseInt(text, 17, 19, 10);
        if (hour < 24 && minute < 60 && second < 60) {
          long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
          return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second);
        }
      } catch (RuntimeException e) {
        // fall through to the strict parser, which reports the error
      }
    }
    return Instant.parse(text);
  }

  /**
   * The scored users of {@link #evaluate}: users with an event at or after {@code scoredStart}.
   *
   * @throws UncheckedIOException when the file cannot be read or parsed
   */
  public static Set<String> scoredUsers(Path eventsJsonl, Instant scoredStart) {
    Set<String> out = new HashSet<>();
    try {
      readJsonLines(eventsJsonl, f -> {
        if (f.user() != null && f.ts() != null && !f.ts().isBefore(scoredStart)) {
          out.add(f.user());
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * The users each detector alerted on at or after {@code scoredStart}, by detector name (sorted),
   * as {@link #evaluate} counts them.
   *
   * @throws UncheckedIOException when the file cannot be read or parsed
   */
  public static Map<String, Set<String>> flaggedByDetector(Path alertsJsonl, Instant scoredStart) {
    Map<String, Set<String>> out = new TreeMap<>();
    try {
      readJsonLines(alertsJsonl, f -> {
        if (f.user() != null && f.ts() != null && !f.ts().isBefore(scoredStart)) {
          out.computeIfAbsent(f.detector() == null ? "(none)" : f.detector(), d -> new HashSet<>())
              .add(f.user());
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Reads the labels CSV (header {@code user,type,scenario,scenario_start}). */
  public static Map<String, UserLabel> readLabels(Path csv) throws IOException {
    Map<String, UserLabel> out = new HashMap<>();
    try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      String header = r.readLine();
      if (header == null || !header.strip().startsWith("user,type,scenario")) {
        throw new IOException("not a labels file (header " + header + "): " + csv);
      }
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.split(",", -1);
        String scenario = cells.length > 2 && !cells[2].isEmpty() ? cells[2] : "none";
        String start = cells.length > 3 ? cells[3] : "";
        out.put(cells[0], new UserLabel(cells[0], cells[1], scenario, start));
      }
    }
    return out;
  }

  /**
   * Streams a JSON-lines file, handing each object's {@code user}, {@code ts}, {@code action},
   * {@code status}, {@code detector} and {@code session} to {@code consumer}. {@code ts} may be an
   * ISO-8601 string or epoch milliseconds. Other fields are skipped without being materialised.
   */
  static void readJsonLines(Path file, FieldsConsumer consumer) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        JsonParser p = JSON.createParser(in)) {
      JsonToken token;
      while ((token = p.nextToken()) != null) {
        if (token != JsonToken.START_OBJECT) {
          throw new IOException("expected a JSON object per line in " + file + " at "
              + p.currentLocation());
        }
        String user = null;
        Instant ts = null;
        String action = null;
        String status = null;
        String detector = null;
        String session = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken value = p.nextToken();
          switch (name) {
            case "user" -> user = p.getValueAsString();
            case "action" -> action = p.getValueAsString();
            case "status" -> status = p.getValueAsString();
            case "detector" -> detector = p.getValueAsString();
            case "session" -> session = p.getValueAsString();
            case "ts" -> ts = value == JsonToken.VALUE_NUMBER_INT
                ? Instant.ofEpochMilli(p.getLongValue())
                : value == JsonToken.VALUE_STRING ? parseInstant(p.getText()) : null;
            default -> p.skipChildren();
          }
        }
        consumer.accept(new Fields(user, ts, action == null ? "" : action, status, detector, session));
      }
    }
  }
}
