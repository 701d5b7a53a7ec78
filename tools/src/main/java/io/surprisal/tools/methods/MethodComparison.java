package io.surprisal.tools.methods;

import io.surprisal.sim.UserLabel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * The seeds' comparison on the job's session vectors: each method is fitted on sessions of the
 * learning days, its threshold is calibrated on other users of the learning days, and it flags the
 * scored users of the scored days.
 *
 * <ul>
 *   <li>Split: the users active in the learning days fall, by a seeded hash of their id, into a
 *       fit half and a calibration half.
 *   <li>Fit: up to {@link MethodsConfig#fitSample()} sessions of the fit half, sampled uniformly,
 *       whatever their labels (unsupervised, as the job learns from everyone).
 *   <li>Features: a feature missing (NaN) in more than {@link #MAX_MISSING_SHARE} of the fit
 *       sessions is left out. Imputed, it would put that share of the sessions on one value and
 *       make every real value look rare to the distance-based methods (the gap before a session is
 *       missing for every user's first session, so on a one-day history for half of them).
 *   <li>Threshold: a user's score is their highest session score. Of the calibration half's normal
 *       users (labels of the learning days only), at most {@link
 *       MethodsConfig#falseAlarmBudget()} may score above the threshold: it is the (b+1)-th highest
 *       of their scores, b = floor(budget x users). No label of the scored days is read.
 *   <li>Flagged: a scored user with a session of the scored days scoring above the threshold.
 * </ul>
 */
public final class MethodComparison {

  /** The largest share of fit sessions a feature may be missing in and still be used. */
  public static final double MAX_MISSING_SHARE = 0.25;

  private MethodComparison() {}

  /** What one method did. */
  public record MethodRun(String name, Set<String> flagged, double threshold, int fitSessions,
      int calibrationUsers, double seconds) {}

  /**
   * The methods' runs and the features they used.
   *
   * @param features the features used, in column order
   * @param leftOut the features left out for being missing too often
   * @param runs one per method, in the order given
   */
  public record Comparison(List<String> features, List<String> leftOut, List<MethodRun> runs) {}

  /** The seeds' four methods with {@code cfg}'s parameters, in table order. */
  public static List<OutlierMethod> seedMethods(MethodsConfig cfg) {
    return List.of(new ZScore(), new LocalOutlierFactor(cfg.lofNeighbours()),
        new IsolationForest(cfg.seed()), new OneClassSvm(cfg.svmNu(), cfg.seed()));
  }

  /**
   * Runs each of {@code methods} over {@code vectors}; sessions at or after {@code scoredStart}
   * are scored, for the users in {@code scoredUsers} only.
   */
  public static Comparison run(List<OutlierMethod> methods, SessionVectors vectors,
      Map<String, UserLabel> labels, Instant scoredStart, Set<String> scoredUsers, MethodsConfig cfg) {
    List<SessionVector> fitPool = new ArrayList<>();
    Map<String, List<double[]>> calibration = new HashMap<>();
    Map<String, List<double[]>> scored = new HashMap<>();
    for (SessionVector s : vectors.sessions()) {
      if (s.ts().isBefore(scoredStart)) {
        if (inFitHalf(s.user(), cfg.seed())) {
          fitPool.add(s);
        } else {
          UserLabel label = labels.get(s.user());
          if (label != null && !label.positive()) {
            calibration.computeIfAbsent(s.user(), u -> new ArrayList<>()).add(s.features());
          }
        }
      } else if (scoredUsers.contains(s.user())) {
        scored.computeIfAbsent(s.user(), u -> new ArrayList<>()).add(s.features());
      }
    }
    if (fitPool.size() < 2) {
      throw new IllegalArgumentException("fewer than 2 sessions to fit on before " + scoredStart);
    }
    if (calibration.isEmpty()) {
      throw new IllegalArgumentException("no normal user of the learning days to calibrate on");
    }
    double[][] sampled = sample(fitPool, cfg.fitSample(), new Random(cfg.seed()));
    int[] keep = mostlyPresent(sampled);
    List<String> used = new ArrayList<>();
    List<String> leftOut = new ArrayList<>(vectors.featureNames());
    for (int j : keep) {
      used.add(vectors.featureNames().get(j));
    }
    leftOut.removeAll(used);
    double[][] fit = project(sampled, keep);
    calibration.replaceAll((u, rows) -> List.of(project(rows.toArray(double[][]::new), keep)));
    scored.replaceAll((u, rows) -> List.of(project(rows.toArray(double[][]::new), keep)));
    List<MethodRun> out = new ArrayList<>();
    for (OutlierMethod method : methods) {
      long begin = System.nanoTime();
      OutlierMethod.Fitted fitted = method.fit(fit);
      double threshold = threshold(userScores(fitted, calibration).values(), cfg.falseAlarmBudget());
      Set<String> flagged = new TreeSet<>();
      userScores(fitted, scored).forEach((user, score) -> {
        if (score > threshold) {
          flagged.add(user);
        }
      });
      out.add(new MethodRun(method.name(), Collections.unmodifiableSet(flagged), threshold,
          fit.length, calibration.size(), (System.nanoTime() - begin) / 1e9));
    }
    return new Comparison(used, leftOut, out);
  }

  /** The columns missing (NaN) in at most {@link #MAX_MISSING_SHARE} of {@code rows}. */
  static int[] mostlyPresent(double[][] rows) {
    int d = rows[0].length;
    List<Integer> keep = new ArrayList<>();
    for (int j = 0; j < d; j++) {
      int missing = 0;
      for (double[] row : rows) {
        missing += Double.isNaN(row[j]) ? 1 : 0;
      }
      if (missing <= MAX_MISSING_SHARE * rows.length) {
        keep.add(j);
      }
    }
    return keep.stream().mapToInt(Integer::intValue).toArray();
  }

  private static double[][] project(double[][] rows, int[] columns) {
    double[][] out = new double[rows.length][columns.length];
    for (int i = 0; i < rows.length; i++) {
      for (int c = 0; c < columns.length; c++) {
        out[i][c] = rows[i][columns[c]];
      }
    }
    return out;
  }

  /** The highest session score of each user. */
  static Map<String, Double> userScores(OutlierMethod.Fitted fitted, Map<String, List<double[]>> sessions) {
    Map<String, Double> out = new HashMap<>();
    sessions.forEach((user, rows) -> {
      double max = Double.NEGATIVE_INFINITY;
      for (double[] row : rows) {
        double s = fitted.score(row);
        max = Double.isNaN(s) ? max : Math.max(max, s);
      }
      out.put(user, max);
    });
    return out;
  }

  /** The (b+1)-th highest score, b = floor(budget x n): at most b of them lie above it. */
  static double threshold(java.util.Collection<Double> userScores, double budget) {
    double[] sorted = userScores.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int allowed = (int) Math.floor(budget * sorted.length);
    return sorted[sorted.length - 1 - Math.min(allowed, sorted.length - 1)];
  }

  /** Whether {@code user} is in the fit half (the rest calibrates). */
  static boolean inFitHalf(String user, long seed) {
    long h = seed * 0x9E3779B97F4A7C15L + user.hashCode();
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return (h & 1) == 0;
  }

  private static double[][] sample(List<SessionVector> pool, int max, Random random) {
    List<SessionVector> copy = new ArrayList<>(pool);
    if (copy.size() > max) {
      Collections.shuffle(copy, random);
      copy = copy.subList(0, max);
    }
    double[][] out = new double[copy.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = Arrays.copyOf(copy.get(i).features(), copy.get(i).features().length);
    }
    return out;
  }
}
