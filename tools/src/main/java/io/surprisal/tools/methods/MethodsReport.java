package io.surprisal.tools.methods;

import io.surprisal.sim.UserLabel;
import io.surprisal.sim.eval.MatrixReport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The seeds' methods beside the job on the same scored users: recall per abnormal group (the
 * simulator's labelled groups), the normal users each flagged, and overall precision, recall and
 * false-positive rate; then the job's detectors one by one.
 *
 * @param scoredUsers the users scored, each with its label
 * @param jobByDetector the scored users each job detector flagged in the scored days, by detector
 * @param comparison what each of the seeds' methods did, on which features
 * @param falseAlarmBudget the share of normal calibration users each threshold allowed above it
 */
public record MethodsReport(Map<String, UserLabel> scoredUsers, Map<String, Set<String>> jobByDetector,
    MethodComparison.Comparison comparison, double falseAlarmBudget) {

  /** A column: its name and the users it flagged. */
  record Column(String name, Set<String> flagged) {}

  public MethodsReport {
    scoredUsers = Map.copyOf(scoredUsers);
    jobByDetector = new LinkedHashMap<>(jobByDetector);
  }

  /** Users any job detector flagged. */
  public Set<String> jobFlagged() {
    Set<String> all = new HashSet<>();
    jobByDetector.values().forEach(all::addAll);
    return all;
  }

  /** Scored users in {@code group}. */
  static boolean inGroup(UserLabel label, MatrixReport.Group group) {
    return group.profile() != null ? group.profile().equals(label.type())
        : group.scenario().equals(label.scenario());
  }

  /** The two tables and the methods' fitting notes. */
  public String toTable() {
    StringBuilder sb = new StringBuilder();
    List<MethodComparison.MethodRun> methods = comparison.runs();
    List<Column> main = new ArrayList<>();
    main.add(new Column("job", jobFlagged()));
    methods.forEach(m -> main.add(new Column(m.name(), m.flagged())));
    sb.append("the seeds' methods on the job's session vectors, beside the job, on the same scored users\n");
    table(sb, main, true);
    sb.append('\n');
    sb.append(String.format(Locale.ROOT, "%d features: %s%n", comparison.features().size(),
        String.join(", ", comparison.features())));
    if (!comparison.leftOut().isEmpty()) {
      sb.append(String.format(Locale.ROOT, "left out, missing in more than %.0f%% of the fit sessions: %s%n",
          100 * MethodComparison.MAX_MISSING_SHARE, String.join(", ", comparison.leftOut())));
    }
    for (MethodComparison.MethodRun m : methods) {
      sb.append(String.format(Locale.ROOT,
          "%-8s fit on %,d sessions; threshold %.4g (at most %s of %,d normal calibration users above it); %.1f s%n",
          m.name(), m.fitSessions(), m.threshold(),
          String.format(Locale.ROOT, "%.1f%%", 100 * falseAlarmBudget), m.calibrationUsers(), m.seconds()));
    }
    if (!jobByDetector.isEmpty()) {
      sb.append("\nthe job's detectors, one by one, on the same users\n");
      List<Column> detectors = new ArrayList<>();
      jobByDetector.forEach((d, users) -> detectors.add(new Column(d, users)));
      table(sb, detectors, false);
    }
    return sb.toString();
  }

  private void table(StringBuilder sb, List<Column> columns, boolean withJobMissed) {
    int width = 12;
    for (Column c : columns) {
      width = Math.max(width, c.name().length() + 1);
    }
    String cell = "%" + width + "s";
    sb.append(String.format(Locale.ROOT, "%-20s %6s", "group", "users"));
    columns.forEach(c -> sb.append(String.format(Locale.ROOT, cell, c.name())));
    sb.append('\n');
    for (MatrixReport.Group g : MatrixReport.GROUPS) {
      List<String> users = new ArrayList<>();
      scoredUsers.forEach((u, l) -> {
        if (inGroup(l, g)) {
          users.add(u);
        }
      });
      if (users.isEmpty()) {
        continue;
      }
      sb.append(String.format(Locale.ROOT, "%-20s %6d", g.name(), users.size()));
      for (Column c : columns) {
        int n = count(users, c.flagged());
        sb.append(String.format(Locale.ROOT, cell, String.format(Locale.ROOT, "%.2f (%d)", (double) n / users.size(), n)));
      }
      sb.append('\n');
    }
    List<String> normal = new ArrayList<>();
    List<String> positive = new ArrayList<>();
    scoredUsers.forEach((u, l) -> (l.positive() ? positive : normal).add(u));
    sb.append(String.format(Locale.ROOT, "%-20s %6d", "normal users flagged", normal.size()));
    columns.forEach(c -> sb.append(String.format(Locale.ROOT, cell, count(normal, c.flagged()))));
    sb.append('\n');
    sb.append(String.format(Locale.ROOT, "%-27s", "precision"));
    for (Column c : columns) {
      int tp = count(positive, c.flagged());
      int fp = count(normal, c.flagged());
      sb.append(String.format(Locale.ROOT, cell, percent(tp, tp + fp)));
    }
    sb.append('\n');
    sb.append(String.format(Locale.ROOT, "%-27s", "recall"));
    columns.forEach(c -> sb.append(String.format(Locale.ROOT, cell, percent(count(positive, c.flagged()), positive.size()))));
    sb.append('\n');
    sb.append(String.format(Locale.ROOT, "%-27s", "FPR (normal users)"));
    columns.forEach(c -> sb.append(String.format(Locale.ROOT, cell, percent(count(normal, c.flagged()), normal.size()))));
    sb.append('\n');
    if (!withJobMissed) {
      return;
    }
    // where a column beats the job as a whole: abnormal users it flags and no job detector does
    Set<String> job = jobFlagged();
    List<String> missed = new ArrayList<>();
    positive.forEach(u -> {
      if (!job.contains(u)) {
        missed.add(u);
      }
    });
    sb.append(String.format(Locale.ROOT, "%-20s %6d", "abnormal, job missed", missed.size()));
    columns.forEach(c -> sb.append(String.format(Locale.ROOT, cell, count(missed, c.flagged()))));
    sb.append('\n');
  }

  private static int count(List<String> users, Set<String> flagged) {
    int n = 0;
    for (String u : users) {
      if (flagged.contains(u)) {
        n++;
      }
    }
    return n;
  }

  private static String percent(int num, int den) {
    return den == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100.0 * num / den);
  }
}
