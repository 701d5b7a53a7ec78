package io.surprisal.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.Well19937c;

/**
 * A profile's state machine: for each state, the next states and their probabilities.
 *
 * <p>States are written {@code action:status} or just {@code action} (meaning success). Rows that
 * do not sum to exactly one are normalised when sampling. Iteration order is the declaration order,
 * so sampling is deterministic for a given random stream.
 */
final class MarkovChain {

  /** One row: next states in declaration order with cumulative (un-normalised) weights. */
  private record Row(String[] next, double[] cumulative) {
    String sample(SplittableRandom rng) {
      double total = cumulative[cumulative.length - 1];
      double u = rng.nextDouble() * total;
      for (int i = 0; i < cumulative.length; i++) {
        if (u < cumulative[i]) {
          return next[i];
        }
      }
      return next[next.length - 1];
    }
  }

  private final Map<String, Row> rows;

  private MarkovChain(Map<String, Row> rows) {
    this.rows = rows;
  }

  /**
   * Parses one row per line: {@code state: next p, next p, ...}. An empty right-hand side (as for
   * {@code end}) declares a terminal state.
   */
  static MarkovChain parse(String spec) {
    Map<String, Row> rows = new LinkedHashMap<>();
    for (String rawLine : spec.strip().split("\n")) {
      String line = rawLine.strip();
      if (line.isEmpty()) {
        continue;
      }
      int colon = line.indexOf(": ");
      if (colon < 0 && line.endsWith(":")) {
        colon = line.length() - 1;
      }
      String state = line.substring(0, colon).strip();
      String rhs = line.substring(Math.min(line.length(), colon + 1)).strip();
      if (rhs.isEmpty()) {
        continue; // terminal state: no row
      }
      List<String> next = new ArrayList<>();
      List<Double> weights = new ArrayList<>();
      for (String part : rhs.split(",")) {
        String[] tokens = part.strip().split("\\s+");
        next.add(tokens[0]);
        weights.add(Double.parseDouble(tokens[1]));
      }
      double[] cumulative = new double[weights.size()];
      double sum = 0;
      for (int i = 0; i < cumulative.length; i++) {
        sum += weights.get(i);
        cumulative[i] = sum;
      }
      rows.put(state, new Row(next.toArray(String[]::new), cumulative));
    }
    return new MarkovChain(Collections.unmodifiableMap(rows));
  }

  /**
   * A chain of one's own around this one: each row's probabilities p drawn from a Dirichlet of
   * parameters {@code concentration} x p (independent gamma draws, normalised), from the stream
   * {@code seed}. Next states and their order stay as they are; a row whose draws are all zero
   * (possible only with tiny parameters) keeps this chain's.
   */
  MarkovChain personal(long seed, double concentration) {
    Well19937c random = new Well19937c(seed);
    Map<String, Row> own = new LinkedHashMap<>();
    for (Map.Entry<String, Row> e : rows.entrySet()) {
      Row row = e.getValue();
      double total = row.cumulative[row.cumulative.length - 1];
      double[] cumulative = new double[row.cumulative.length];
      double sum = 0;
      for (int i = 0; i < cumulative.length; i++) {
        double p = (row.cumulative[i] - (i == 0 ? 0 : row.cumulative[i - 1])) / total;
        sum += new GammaDistribution(random, concentration * p, 1.0).sample();
        cumulative[i] = sum;
      }
      own.put(e.getKey(), sum > 0 ? new Row(row.next, cumulative) : row);
    }
    return new MarkovChain(Collections.unmodifiableMap(own));
  }

  /** The next state, or {@code null} when the state has no row (the visit then ends). */
  String next(String state, SplittableRandom rng) {
    Row row = rows.get(state);
    return row == null ? null : row.sample(rng);
  }

  /** The states that have a row, in declaration order. */
  List<String> states() {
    return List.copyOf(rows.keySet());
  }

  /** The next states of {@code from}'s row, in declaration order, once each (empty without a row). */
  List<String> targets(String from) {
    Row row = rows.get(from);
    return row == null ? List.of() : List.copyOf(new LinkedHashSet<>(List.of(row.next)));
  }

  /** The normalised probability of {@code from -> to} (0 when absent). */
  double probability(String from, String to) {
    Row row = rows.get(from);
    if (row == null) {
      return 0;
    }
    double total = row.cumulative[row.cumulative.length - 1];
    double p = 0;
    for (int i = 0; i < row.next.length; i++) {
      if (row.next[i].equals(to)) {
        p += row.cumulative[i] - (i == 0 ? 0 : row.cumulative[i - 1]);
      }
    }
    return p / total;
  }

  /** The action of a state: the part before ':'. */
  static String action(String state) {
    int colon = state.indexOf(':');
    return colon < 0 ? state : state.substring(0, colon);
  }

  /** The status of a state: the part after ':', or {@code success} when there is none. */
  static String status(String state) {
    int colon = state.indexOf(':');
    return colon < 0 ? "success" : state.substring(colon + 1);
  }
}
