package io.surprisal.sim.eval;

import java.util.HashMap;
import java.util.Map;

/**
 * The seed notebook's transition surprisal (cerebraljam/find_outliers_in_logs), learned on the
 * learning days and used as the baseline.
 *
 * <p>For each {@code path} (the action) and {@code prev_path} (the user's previous action, "" for
 * the user's first event) it counts successes and failures; {@code denum} is the number of events
 * with that path. Then {@code ssurprisal = log2(denum / max(1, success))} and {@code fsurprisal =
 * log2(denum / max(1, fail))}; an unseen path costs {@code log2(events learned)} and a seen path
 * with an unseen prev_path costs {@code log2(count of that path)}.
 *
 * <p>An event costs {@code ssurprisal} when its status is success and {@code fsurprisal}
 * otherwise. The notebook's code compared the status with Python's {@code is} and therefore always
 * used {@code fsurprisal}; we implement the intended method.
 */
public final class SeedNotebookBaseline {
  private static final double LN2 = Math.log(2);

  private static final class PathStats {
    long count;
    final Map<String, long[]> byPrevious = new HashMap<>();
  }

  private final Map<String, PathStats> paths = new HashMap<>();
  private long learned;

  /** Counts one learning-day event. */
  public void learn(String path, String previousPath, boolean success) {
    PathStats stats = paths.computeIfAbsent(path, p -> new PathStats());
    stats.count++;
    long[] successFail = stats.byPrevious.computeIfAbsent(previousPath, p -> new long[2]);
    successFail[success ? 0 : 1]++;
    learned++;
  }

  /** Number of events learned. */
  public long learned() {
    return learned;
  }

  /** Surprisal in bits of one event. */
  public double surprisal(String path, String previousPath, boolean success) {
    PathStats stats = paths.get(path);
    if (stats == null) {
      return log2(Math.max(1, learned));
    }
    long[] successFail = stats.byPrevious.get(previousPath);
    if (successFail == null) {
      return log2(stats.count);
    }
    long matching = success ? successFail[0] : successFail[1];
    return log2((double) stats.count / Math.max(1, matching));
  }

  static double log2(double x) {
    return Math.log(x) / LN2;
  }
}
