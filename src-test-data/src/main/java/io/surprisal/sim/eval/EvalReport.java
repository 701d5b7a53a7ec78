package io.surprisal.sim.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of an {@link Evaluation}: per (profile, scenario) rows and overall figures, each for
 * our detectors ("ours", from the alerts file) and for the seed notebook's method ("seed").
 *
 * @param rows one row per (profile, scenario) among scored users
 * @param ours confusion counts of our alerts over scored users
 * @param seed confusion counts of the seed notebook baseline (z >= 2)
 * @param alertsPerDetector alerts in the scored days per {@code detector}, sorted by name
 * @param seedScores the baseline's score of every scored user (total bits and z), sorted by user;
 *     not part of {@link #toTable()} or {@link #toJson()}
 * @param falsePositivesPerDetector normal scored users our alerts flagged, per detector that
 *     alerted on them (a user flagged by two detectors counts under both), sorted by name
 * @param newNormalUsers normal scored users with no event before the scored days, and how many of
 *     them our alerts flagged
 */
public record EvalReport(
    List<Row> rows,
    Metrics ours,
    Metrics seed,
    Map<String, Long> alertsPerDetector,
    Map<String, SeedScore> seedScores,
    Map<String, Long> falsePositivesPerDetector,
    NewUsers newNormalUsers) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * Users of one profile and scenario: how many were scored and how many each method flagged.
   * {@code positive} rows report recall, the others the flag (false-positive) rate.
   */
  public record Row(String profile, String scenario, boolean positive, int users, int flagged,
      int seedFlagged) {
    public double rate() {
      return ratio(flagged, users);
    }

    public double seedRate() {
      return ratio(seedFlagged, users);
    }
  }

  /** Confusion counts over scored users; ratios are NaN when undefined. */
  public record Metrics(int truePositives, int falsePositives, int falseNegatives,
      int trueNegatives) {
    public double precision() {
      return ratio(truePositives, truePositives + falsePositives);
    }

    public double recall() {
      return ratio(truePositives, truePositives + falseNegatives);
    }

    /** False-positive rate on normal users. */
    public double falsePositiveRate() {
      return ratio(falsePositives, falsePositives + trueNegatives);
    }

    public int flagged() {
      return truePositives + falsePositives;
    }

    Metrics plus(Metrics o) {
      return new Metrics(truePositives + o.truePositives, falsePositives + o.falsePositives,
          falseNegatives + o.falseNegatives, trueNegatives + o.trueNegatives);
    }
  }

  /** Normal users first seen in the scored days, and how many of them were flagged. */
  public record NewUsers(int users, int flagged) {
    public double rate() {
      return ratio(flagged, users);
    }

    NewUsers plus(NewUsers o) {
      return new NewUsers(users + o.users, flagged + o.flagged);
    }
  }

  /** The baseline's total surprisal (bits) of a user over the scored days, and its z-score. */
  public record SeedScore(double totalBits, double z) {}

  /** The number of alerts the baseline would raise: one per flagged user. */
  public long seedAlerts() {
    return seed.flagged();
  }

  static double ratio(long numerator, long denominator) {
    return denominator == 0 ? Double.NaN : (double) numerator / denominator;
  }

  /** A fixed-width text table. */
  public String toTable() {
    StringBuilder sb = new StringBuilder();
    String rowFormat = "%-10s %-16s %7s %13s %10s %13s %10s%n";
    sb.append(String.format(Locale.ROOT, rowFormat, "profile", "scenario", "users", "ours flagged",
        "ours rate", "seed flagged", "seed rate"));
    for (Row r : rows) {
      sb.append(String.format(Locale.ROOT, rowFormat, r.profile(), r.scenario(), r.users(),
          r.flagged(), percent(r.rate()), r.seedFlagged(), percent(r.seedRate())));
    }
    sb.append('\n');
    String overallFormat = "%-36s %12s %12s%n";
    sb.append(String.format(Locale.ROOT, overallFormat, "overall", "ours", "seed"));
    sb.append(String.format(Locale.ROOT, overallFormat, "precision",
        percent(ours.precision()), percent(seed.precision())));
    sb.append(String.format(Locale.ROOT, overallFormat, "recall",
        percent(ours.recall()), percent(seed.recall())));
    sb.append(String.format(Locale.ROOT, overallFormat, "false-positive rate (normal users)",
        percent(ours.falsePositiveRate()), percent(seed.falsePositiveRate())));
    sb.append(String.format(Locale.ROOT, overallFormat, "flagged users",
        ours.flagged(), seed.flagged()));
    sb.append('\n');
    sb.append(String.format(Locale.ROOT, overallFormat, "alerts per detector", "ours", "seed"));
    for (Map.Entry<String, Long> e : alertsPerDetector.entrySet()) {
      sb.append(String.format(Locale.ROOT, overallFormat, e.getKey(), e.getValue(), "-"));
    }
    sb.append(String.format(Locale.ROOT, overallFormat, "seed notebook (z >= 2, one per user)",
        "-", seedAlerts()));
    sb.append('\n');
    sb.append(String.format(Locale.ROOT, overallFormat, "normal users flagged, per detector", "ours", ""));
    for (Map.Entry<String, Long> e : falsePositivesPerDetector.entrySet()) {
      sb.append(String.format(Locale.ROOT, overallFormat, e.getKey(), e.getValue(), ""));
    }
    sb.append(String.format(Locale.ROOT, overallFormat, "new normal users (flagged / all)",
        newNormalUsers.flagged() + " / " + newNormalUsers.users(), ""));
    return sb.toString();
  }

  private static String percent(double x) {
    return Double.isNaN(x) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * x);
  }

  /** The same content as {@link #toTable()} as JSON, in a stable field order; NaN is null. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode rowsNode = root.putArray("rows");
    for (Row r : rows) {
      ObjectNode n = rowsNode.addObject();
      n.put("profile", r.profile());
      n.put("scenario", r.scenario());
      n.put("positive", r.positive());
      n.put("users", r.users());
      n.put("ours_flagged", r.flagged());
      putRatio(n, "ours_rate", r.rate());
      n.put("seed_flagged", r.seedFlagged());
      putRatio(n, "seed_rate", r.seedRate());
    }
    ObjectNode overall = root.putObject("overall");
    putMetrics(overall.putObject("ours"), ours);
    putMetrics(overall.putObject("seed"), seed);
    ObjectNode alerts = root.putObject("alerts_per_detector");
    ObjectNode oursAlerts = alerts.putObject("ours");
    alertsPerDetector.forEach(oursAlerts::put);
    alerts.put("seed", seedAlerts());
    ObjectNode fp = root.putObject("normal_users_flagged_per_detector");
    falsePositivesPerDetector.forEach(fp::put);
    ObjectNode fresh = root.putObject("new_normal_users");
    fresh.put("users", newNormalUsers.users());
    fresh.put("flagged", newNormalUsers.flagged());
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void putMetrics(ObjectNode n, Metrics m) {
    putRatio(n, "precision", m.precision());
    putRatio(n, "recall", m.recall());
    putRatio(n, "false_positive_rate", m.falsePositiveRate());
    n.put("true_positives", m.truePositives());
    n.put("false_positives", m.falsePositives());
    n.put("false_negatives", m.falseNegatives());
    n.put("true_negatives", m.trueNegatives());
  }

  static void putRatio(ObjectNode n, String field, double value) {
    if (Double.isNaN(value)) {
      n.putNull(field);
    } else {
      n.put(field, value);
    }
  }
}
