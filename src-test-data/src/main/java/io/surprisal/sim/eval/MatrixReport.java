package io.surprisal.sim.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.surprisal.sim.World;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The result of {@link WorldMatrix}: per world, overall precision, recall and false-positive rate
 * on normal users, recall per abnormal group, and which detectors flagged the normal users; then
 * the same for every world's users together.
 *
 * @param seed the simulator seed every world used
 * @param worlds one result per world, in run order
 * @param lawBudgetBits the budget the simulator-law oracles were held to: 2^-lawBudgetBits of normal
 *     users flagged a user-day
 */
public record MatrixReport(long seed, List<WorldResult> worlds, double lawBudgetBits) {

  /** A report whose law bounds (if any) were held to the default budget, {@link LawBound#DEFAULT_BUDGET_BITS}. */
  public MatrixReport(long seed, List<WorldResult> worlds) {
    this(seed, worlds, LawBound.DEFAULT_BUDGET_BITS);
  }

  /** The targets: every world must meet each. */
  public static final double TARGET_PRECISION = 0.90;
  public static final double TARGET_RECALL = 0.90;
  public static final double TARGET_FALSE_POSITIVE_RATE = 0.002;
  public static final double TARGET_GROUP_RECALL = 0.80;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One world's evaluation, its event count, the wall-clock seconds it took end to end, and what a
   * detector that knew the law of a visit's length or of its gaps would catch ({@link
   * LengthLawOracle}, {@link PaceLawOracle}; null where the world has no such law).
   */
  public record WorldResult(World world, long events, EvalReport report, double seconds,
      LawBound lengthLaw, LawBound paceLaw) {
    public WorldResult(World world, long events, EvalReport report, double seconds) {
      this(world, events, report, seconds, null, null);
    }
  }

  /**
   * An abnormal group: the users of an abnormal {@code profile}, or the normal users given an
   * attack {@code scenario} (exactly one of the two is set).
   */
  public record Group(String name, String profile, String scenario) {
    boolean contains(EvalReport.Row row) {
      return profile != null ? profile.equals(row.profile()) : scenario.equals(row.scenario());
    }
  }

  /** The abnormal groups, in column order. */
  public static final List<Group> GROUPS = List.of(
      new Group("bots", "bot", null),
      new Group("spammers", "spammer", null),
      new Group("fraudsters", "fraudster", null),
      new Group("attackers", "attacker", null),
      new Group("novelty", null, "novelty"),
      new Group("takeover", null, "takeover"),
      new Group("impossible travel", null, "impossible_travel"),
      new Group("gift cards", null, "gift_cards"),
      new Group("long session", null, "long_session"),
      new Group("fast pace", null, "fast_pace"));

  /** Scored users of a group and how many of them were flagged. */
  public record Recall(int users, int flagged) {
    static final Recall NONE = new Recall(0, 0);

    public double rate() {
      return EvalReport.ratio(flagged, users);
    }

    Recall plus(Recall other) {
      return new Recall(users + other.users, flagged + other.flagged);
    }
  }

  /** The recall of {@code group} in {@code result}. */
  public static Recall recall(WorldResult result, Group group) {
    return result.report().rows().stream().filter(group::contains)
        .map(row -> new Recall(row.users(), row.flagged())).reduce(Recall.NONE, Recall::plus);
  }

  /** The worlds' confusion counts added up: the matrix as one population. */
  public EvalReport.Metrics pooled() {
    return worlds.stream().map(w -> w.report().ours())
        .reduce(new EvalReport.Metrics(0, 0, 0, 0), EvalReport.Metrics::plus);
  }

  /** The recall of {@code group} over every world together. */
  public Recall pooledRecall(Group group) {
    return worlds.stream().map(w -> recall(w, group)).reduce(Recall.NONE, Recall::plus);
  }

  /** New normal users, and how many were flagged, over every world together. */
  public EvalReport.NewUsers pooledNewUsers() {
    return worlds.stream().map(w -> w.report().newNormalUsers())
        .reduce(new EvalReport.NewUsers(0, 0), EvalReport.NewUsers::plus);
  }

  /** The targets {@code result} misses, one phrase each; empty when it meets them all. */
  public static List<String> missedTargets(WorldResult result) {
    List<String> out = new ArrayList<>();
    EvalReport.Metrics m = result.report().ours();
    if (!(m.precision() >= TARGET_PRECISION)) {
      out.add(String.format(Locale.ROOT, "precision %s < %s", exact(m.precision()),
          fraction(TARGET_PRECISION)));
    }
    if (!(m.recall() >= TARGET_RECALL)) {
      out.add(String.format(Locale.ROOT, "recall %s < %s", exact(m.recall()),
          fraction(TARGET_RECALL)));
    }
    if (!(m.falsePositiveRate() <= TARGET_FALSE_POSITIVE_RATE)) {
      out.add(String.format(Locale.ROOT, "FPR %s > %s", percent(m.falsePositiveRate()),
          percent(TARGET_FALSE_POSITIVE_RATE)));
    }
    for (Group g : GROUPS) {
      Recall r = recall(result, g);
      if (r.users() > 0 && !(r.rate() >= TARGET_GROUP_RECALL)) {
        out.add(String.format(Locale.ROOT, "%s %s < %s", g.name(), exact(r.rate()),
            fraction(TARGET_GROUP_RECALL)));
      }
    }
    return out;
  }

  /** The detectors that flagged a normal user in any world, sorted. */
  public Set<String> falsePositiveDetectors() {
    Set<String> out = new TreeSet<>();
    worlds.forEach(w -> out.addAll(w.report().falsePositivesPerDetector().keySet()));
    return out;
  }

  /**
   * The table: one row per world (users, scored users, precision, recall, false-positive rate on
   * normal users with its counts, new normal users flagged, recall per group as {@code rate
   * (users)}), and a row of every world's counts added up; then the normal users each detector
   * flagged, per world; then the long and the fast visits that the simulator's laws of a visit's
   * length and gaps would catch beside the job's ({@link LengthLawOracle}, {@link PaceLawOracle});
   * then the targets missed.
   */
  public String toTable() {
    StringBuilder sb = new StringBuilder();
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT,
        "%-13s %7s %7s %9s %7s %7s %13s %11s", "world", "users", "scored", "precision", "recall",
        "FPR", "normal flagd", "new flagged"));
    for (Group g : GROUPS) {
      header.append(String.format(Locale.ROOT, " %" + groupWidth(g) + "s", g.name()));
    }
    sb.append(header).append('\n');
    for (WorldResult w : worlds) {
      appendRow(sb, w.world().name(), w.world().users(), w.report().ours(),
          w.report().newNormalUsers(), g -> recall(w, g));
    }
    if (worlds.size() > 1) {
      appendRow(sb, "all worlds", worlds.stream().mapToInt(w -> w.world().users()).sum(), pooled(),
          pooledNewUsers(), this::pooledRecall);
    }
    sb.append('\n');
    sb.append("normal users flagged, per detector (a user flagged by two detectors counts under both)\n");
    StringBuilder detectorHeader = new StringBuilder(String.format(Locale.ROOT, "%-24s", "detector"));
    for (WorldResult w : worlds) {
      detectorHeader.append(String.format(Locale.ROOT, " %13s", w.world().name()));
    }
    sb.append(detectorHeader).append('\n');
    Set<String> detectors = falsePositiveDetectors();
    if (detectors.isEmpty()) {
      sb.append("(none)\n");
    }
    for (String d : detectors) {
      sb.append(String.format(Locale.ROOT, "%-24s", d));
      for (WorldResult w : worlds) {
        sb.append(String.format(Locale.ROOT, " %13d",
            w.report().falsePositivesPerDetector().getOrDefault(d, 0L)));
      }
      sb.append('\n');
    }
    sb.append('\n');
    appendLaw(sb, "long visits, by the simulator's law of a visit's length (LengthLawOracle)", "long_session",
        WorldResult::lengthLaw, w -> LengthLawOracle.whyNot(w.world()));
    appendLaw(sb, "fast visits, by the simulator's law of a visit's gaps (PaceLawOracle)", "fast_pace",
        WorldResult::paceLaw, w -> PaceLawOracle.whyNot(w.world()));
    sb.append(String.format(Locale.ROOT,
        "targets (every world): precision >= %s, recall >= %s, FPR on normal users <= %s, every group >= %s%n",
        fraction(TARGET_PRECISION), fraction(TARGET_RECALL), percent(TARGET_FALSE_POSITIVE_RATE),
        fraction(TARGET_GROUP_RECALL)));
    double total = 0;
    for (WorldResult w : worlds) {
      List<String> missed = missedTargets(w);
      sb.append(String.format(Locale.ROOT, "%-13s %s%n", w.world().name(),
          missed.isEmpty() ? "meets all" : "misses: " + String.join("; ", missed)));
      total += w.seconds();
    }
    sb.append(String.format(Locale.ROOT, "%nseed %d; %d worlds in %.0f s (generate, job, score)%n",
        seed, worlds.size(), total));
    return sb.toString();
  }

  /**
   * The attack visits a detector that knew one of the simulator's laws would catch, beside the
   * job's, per world and added up; nothing when no world has that law or could have had it.
   */
  private void appendLaw(StringBuilder sb, String title, String scenario, Function<WorldResult, LawBound> bound,
      Function<WorldResult, String> whyNoLaw) {
    if (worlds.stream().noneMatch(w -> bound.apply(w) != null || whyNoLaw.apply(w) != null)) {
      return;
    }
    sb.append(String.format(Locale.ROOT, "%s at 2^-%s a user-day (docs/evaluation.md)%n", title,
        java.math.BigDecimal.valueOf(lawBudgetBits).stripTrailingZeros().toPlainString()));
    sb.append(String.format(Locale.ROOT, "%-13s %9s %15s %15s %13s %13s%n", "world", "bar bits", "normal flagged",
        "(by the law)", "law catches", "job catches"));
    Group group = GROUPS.stream().filter(g -> scenario.equals(g.scenario())).findFirst().orElseThrow();
    int lawCaught = 0;
    int lawVisits = 0;
    Recall job = Recall.NONE;
    int withLaw = 0;
    for (WorldResult w : worlds) {
      LawBound r = bound.apply(w);
      if (r == null) {
        sb.append(String.format(Locale.ROOT, "%-13s %s%n", w.world().name(),
            whyNoLaw.apply(w) != null ? "(" + whyNoLaw.apply(w) + ": no exact law)" : "(no normal user's visit scored)"));
        continue;
      }
      Recall jobHere = recall(w, group);
      sb.append(String.format(Locale.ROOT, "%-13s %9.1f %15s %14.3f%% %13s %13s%n", w.world().name(), r.barBits(),
          r.normalFlagged() + "/" + r.normalUsers(), 100 * r.flaggedShare(), r.caught() + "/" + r.attackVisits(),
          jobHere.flagged() + "/" + jobHere.users()));
      lawCaught += r.caught();
      lawVisits += r.attackVisits();
      job = job.plus(jobHere);
      withLaw++;
    }
    if (withLaw > 1) {
      sb.append(String.format(Locale.ROOT, "%-13s %9s %15s %15s %13s %13s%n", "all worlds", "", "", "",
          lawCaught + "/" + lawVisits, job.flagged() + "/" + job.users()));
    }
    sb.append('\n');
  }

  private static void appendRow(StringBuilder sb, String name, int users, EvalReport.Metrics m,
      EvalReport.NewUsers fresh, java.util.function.Function<Group, Recall> recall) {
    sb.append(String.format(Locale.ROOT, "%-13s %,7d %,7d %9s %7s %7s %13s %11s",
        name, users, m.truePositives() + m.falsePositives() + m.falseNegatives() + m.trueNegatives(),
        percent(m.precision()), percent(m.recall()), percent(m.falsePositiveRate()),
        m.falsePositives() + "/" + (m.falsePositives() + m.trueNegatives()),
        fresh.flagged() + "/" + fresh.users()));
    for (Group g : GROUPS) {
      Recall r = recall.apply(g);
      String cell = r.users() == 0 ? "n/a" : fraction(r.rate()) + " (" + r.users() + ")";
      sb.append(String.format(Locale.ROOT, " %" + groupWidth(g) + "s", cell));
    }
    sb.append('\n');
  }

  private static int groupWidth(Group g) {
    return Math.max(10, g.name().length());
  }

  static String percent(double x) {
    return Double.isNaN(x) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * x);
  }

  /** Three decimals, so that a miss never prints as equal to its target. */
  static String exact(double x) {
    return Double.isNaN(x) ? "n/a" : String.format(Locale.ROOT, "%.3f", x);
  }

  static String fraction(double x) {
    return Double.isNaN(x) ? "n/a" : String.format(Locale.ROOT, "%.2f", x);
  }

  /** The content of {@link #toTable()} as JSON, with each world's law bounds; undefined ratios are null. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("seed", seed);
    root.put("law_budget_bits", lawBudgetBits);
    ArrayNode list = root.putArray("worlds");
    for (WorldResult w : worlds) {
      ObjectNode n = list.addObject();
      n.put("world", w.world().name());
      n.put("description", w.world().description());
      n.put("users", w.world().users());
      n.put("days", w.world().days());
      n.put("events", w.events());
      n.put("seconds", w.seconds());
      EvalReport.putMetrics(n, w.report().ours());
      n.put("new_normal_users", w.report().newNormalUsers().users());
      n.put("new_normal_users_flagged", w.report().newNormalUsers().flagged());
      ObjectNode groups = n.putObject("groups");
      for (Group g : GROUPS) {
        Recall r = recall(w, g);
        ObjectNode gn = groups.putObject(g.name());
        gn.put("users", r.users());
        gn.put("flagged", r.flagged());
        EvalReport.putRatio(gn, "recall", r.rate());
      }
      ObjectNode fp = n.putObject("normal_users_flagged_per_detector");
      w.report().falsePositivesPerDetector().forEach(fp::put);
      ArrayNode missed = n.putArray("missed_targets");
      missedTargets(w).forEach(missed::add);
      ObjectNode laws = n.putObject("laws");
      putLaw(laws, "long_session", w.lengthLaw());
      putLaw(laws, "fast_pace", w.paceLaw());
    }
    ObjectNode all = root.putObject("all_worlds");
    EvalReport.putMetrics(all, pooled());
    all.put("new_normal_users", pooledNewUsers().users());
    all.put("new_normal_users_flagged", pooledNewUsers().flagged());
    ObjectNode allGroups = all.putObject("groups");
    for (Group g : GROUPS) {
      Recall r = pooledRecall(g);
      ObjectNode gn = allGroups.putObject(g.name());
      gn.put("users", r.users());
      gn.put("flagged", r.flagged());
      EvalReport.putRatio(gn, "recall", r.rate());
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A simulator-law oracle's bound under {@code name} in {@code laws} (nothing when the world has no such law). */
  private static void putLaw(ObjectNode laws, String name, LawBound law) {
    if (law == null) {
      return;
    }
    ObjectNode l = laws.putObject(name);
    l.put("bar_bits", law.barBits());
    l.put("normal_users", law.normalUsers());
    l.put("normal_flagged", law.normalFlagged());
    l.put("normal_flagged_share_by_law", law.flaggedShare());
    l.put("attack_visits", law.attackVisits());
    l.put("caught", law.caught());
  }
}
