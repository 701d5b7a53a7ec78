package io.surprisal.sim.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The matrix run with several seeds: each seed's worlds added up, one row a seed, and every seed
 * added up. A seed draws a new population (every user's profile, scenario and sizes), so the rows
 * say how much a figure moves from one population to the next; the six worlds of one seed share
 * their users' draws, so a seed's row is about as noisy as its number of distinct scenario users,
 * not its users times six. Under the rows: every seed's counts added up, the lowest seed and the
 * standard deviation of the seeds' figures.
 */
public record SeedsReport(List<MatrixReport> perSeed) {

  /** A range holds at most this many seeds. */
  static final long MOST_SEEDS = 10_000;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public SeedsReport {
    if (perSeed.isEmpty()) {
      throw new IllegalArgumentException("no seed");
    }
    perSeed = List.copyOf(perSeed);
  }

  /**
   * Seeds from {@code "1-16"}, {@code "1,2,7"} or both ({@code "1-5,11,23"}), in the order given,
   * each once.
   *
   * @throws IllegalArgumentException on anything else, or an empty or descending range
   */
  public static List<Long> parseSeeds(String spec) {
    List<Long> out = new ArrayList<>();
    for (String part : spec.split(",", -1)) {
      String p = part.strip();
      int dash = p.indexOf('-', 1);
      try {
        long from = Long.parseLong(dash < 0 ? p : p.substring(0, dash).strip());
        long to = dash < 0 ? from : Long.parseLong(p.substring(dash + 1).strip());
        if (to < from || Math.subtractExact(to, from) >= MOST_SEEDS) {
          throw new IllegalArgumentException("seed range '" + p + "' must go up and hold at most " + MOST_SEEDS + " seeds");
        }
        for (long i = 0; i <= to - from; i++) {
          if (!out.contains(from + i)) {
            out.add(from + i);
          }
        }
      } catch (NumberFormatException | ArithmeticException e) {
        throw new IllegalArgumentException("seeds are numbers or ranges, e.g. 1-16 or 1,2,7, not '" + p + "'");
      }
    }
    return out;
  }

  /** Every seed's worlds added up. */
  public EvalReport.Metrics pooled() {
    return perSeed.stream().map(MatrixReport::pooled)
        .reduce(new EvalReport.Metrics(0, 0, 0, 0), EvalReport.Metrics::plus);
  }

  /** The recall of {@code group} over every seed's worlds. */
  public MatrixReport.Recall pooledRecall(MatrixReport.Group group) {
    return perSeed.stream().map(m -> m.pooledRecall(group))
        .reduce(MatrixReport.Recall.NONE, MatrixReport.Recall::plus);
  }

  /** The seed whose worlds together caught the smallest share of {@code group} (the first of equals), or null without its users. */
  public MatrixReport lowest(MatrixReport.Group group) {
    MatrixReport low = null;
    for (MatrixReport m : perSeed) {
      MatrixReport.Recall r = m.pooledRecall(group);
      if (r.users() > 0 && (low == null || r.rate() < low.pooledRecall(group).rate())) {
        low = m;
      }
    }
    return low;
  }

  /** How many seeds caught less than {@code target} of {@code group} (seeds without its users left out). */
  public long seedsBelow(MatrixReport.Group group, double target) {
    return perSeed.stream().map(m -> m.pooledRecall(group))
        .filter(r -> r.users() > 0 && r.rate() < target).count();
  }

  /** The sample standard deviation of the seeds' shares of {@code group} caught; NaN under two seeds with its users. */
  public double spread(MatrixReport.Group group) {
    double[] rates = perSeed.stream().map(m -> m.pooledRecall(group)).filter(r -> r.users() > 0)
        .mapToDouble(MatrixReport.Recall::rate).toArray();
    if (rates.length < 2) {
      return Double.NaN;
    }
    double mean = 0;
    for (double r : rates) {
      mean += r / rates.length;
    }
    double sumOfSquares = 0;
    for (double r : rates) {
      sumOfSquares += (r - mean) * (r - mean);
    }
    return Math.sqrt(sumOfSquares / (rates.length - 1));
  }

  /**
   * One row a seed (its worlds added up: precision, recall, false-positive rate on normal users
   * with its counts, each group as {@code flagged/users rate}, three decimals so that a rate under
   * 0.90 never prints as 0.90), a row of every seed added up, the lowest seed's share of each
   * group, the seeds' standard deviation, and how many seeds with the group's users caught under
   * the matrix's recall target ({@link MatrixReport#TARGET_RECALL}; groups of abnormal profiles are
   * held to {@link MatrixReport#TARGET_GROUP_RECALL} per world).
   */
  public String toTable() {
    StringBuilder sb = new StringBuilder();
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-12s %9s %7s %7s %14s",
        "seed", "precision", "recall", "FPR", "normal flagd"));
    for (MatrixReport.Group g : MatrixReport.GROUPS) {
      header.append(' ').append(String.format(Locale.ROOT, "%" + width(g) + "s", g.name()));
    }
    sb.append("every world of each seed added up (").append(perSeed.size()).append(" seeds)\n");
    sb.append(header).append('\n');
    for (MatrixReport m : perSeed) {
      row(sb, Long.toString(m.seed()), m.pooled(), m::pooledRecall);
    }
    row(sb, "all seeds", pooled(), this::pooledRecall);
    StringBuilder lowestRow = new StringBuilder(String.format(Locale.ROOT, "%-12s %9s %7s %7s %14s", "lowest seed", "", "", "", ""));
    StringBuilder sdRow = new StringBuilder(String.format(Locale.ROOT, "%-12s %9s %7s %7s %14s", "seed sd", "", "", "", ""));
    StringBuilder underRow = new StringBuilder(String.format(Locale.ROOT, "%-12s %9s %7s %7s %14s",
        "under " + MatrixReport.fraction(MatrixReport.TARGET_RECALL), "", "", "", ""));
    for (MatrixReport.Group g : MatrixReport.GROUPS) {
      MatrixReport l = lowest(g);
      String lowestCell = l == null ? "n/a" : MatrixReport.exact(l.pooledRecall(g).rate()) + " (seed " + l.seed() + ")";
      long withUsers = perSeed.stream().filter(m -> m.pooledRecall(g).users() > 0).count();
      String underCell = withUsers == 0 ? "n/a" : seedsBelow(g, MatrixReport.TARGET_RECALL) + " of " + withUsers;
      lowestRow.append(' ').append(String.format(Locale.ROOT, "%" + width(g) + "s", lowestCell));
      sdRow.append(' ').append(String.format(Locale.ROOT, "%" + width(g) + "s", MatrixReport.exact(spread(g))));
      underRow.append(' ').append(String.format(Locale.ROOT, "%" + width(g) + "s", underCell));
    }
    sb.append(lowestRow).append('\n').append(sdRow).append('\n').append(underRow).append('\n');
    return sb.toString();
  }

  private static int width(MatrixReport.Group g) {
    return Math.max(16, g.name().length());
  }

  private static void row(StringBuilder sb, String name, EvalReport.Metrics m,
      Function<MatrixReport.Group, MatrixReport.Recall> recall) {
    int normal = m.falsePositives() + m.trueNegatives();
    sb.append(String.format(Locale.ROOT, "%-12s %9s %7s %7s %14s", name, MatrixReport.percent(m.precision()),
        MatrixReport.percent(m.recall()), MatrixReport.percent(m.falsePositiveRate()), m.falsePositives() + "/" + normal));
    for (MatrixReport.Group g : MatrixReport.GROUPS) {
      MatrixReport.Recall r = recall.apply(g);
      String cell = r.users() == 0 ? "n/a" : r.flagged() + "/" + r.users() + " " + MatrixReport.exact(r.rate());
      sb.append(' ').append(String.format(Locale.ROOT, "%" + width(g) + "s", cell));
    }
    sb.append('\n');
  }

  /** Each seed's report ({@link MatrixReport#toJson}) and every seed added up. */
  public String toJson() {
    try {
      ObjectNode root = JSON.createObjectNode();
      ArrayNode list = root.putArray("seeds");
      for (MatrixReport m : perSeed) {
        list.add(JSON.readTree(m.toJson()));
      }
      ObjectNode all = root.putObject("all_seeds");
      EvalReport.putMetrics(all, pooled());
      ObjectNode groups = all.putObject("groups");
      for (MatrixReport.Group g : MatrixReport.GROUPS) {
        MatrixReport.Recall r = pooledRecall(g);
        ObjectNode gn = groups.putObject(g.name());
        gn.put("users", r.users());
        gn.put("flagged", r.flagged());
        EvalReport.putRatio(gn, "recall", r.rate());
        MatrixReport l = lowest(g);
        if (l != null) {
          gn.put("lowest_seed", l.seed());
          EvalReport.putRatio(gn, "lowest_recall", l.pooledRecall(g).rate());
        }
        EvalReport.putRatio(gn, "seed_sd", spread(g));
        gn.put("seeds_under_target", seedsBelow(g, MatrixReport.TARGET_RECALL));
      }
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
