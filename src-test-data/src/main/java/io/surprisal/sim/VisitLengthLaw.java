package io.surprisal.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The exact law of an ordinary visit's length, in events with its closing {@code end} included, of
 * a profile in a world whose visits are not stretched ({@link WorldKnobs#visitStretchSigma} 0): the
 * time the profile's Markov chain takes from its start state to {@code end}, capped at {@code
 * maxEvents} as {@link Visit} caps it. A state without a row ends the visit at the next event, as
 * {@link Visit} does. Computed by stepping the chain's distribution, not sampled: the yardstick an
 * evaluation holds the detectors' length measures against (docs/evaluation.md).
 */
public final class VisitLengthLaw {
  private static final double LN2 = Math.log(2);

  /** atLeast[l] = P(a visit has at least l events), l = 0..maxEvents; 0 beyond. */
  private final double[] atLeast;

  private VisitLengthLaw(double[] atLeast) {
    this.atLeast = atLeast;
  }

  /** The law of {@code profile}'s ordinary visits, capped at {@code maxEvents} events. */
  public static VisitLengthLaw of(Profile profile, int maxEvents) {
    MarkovChain chain = profile.chain();
    List<String> states = new ArrayList<>();
    Map<String, Integer> index = new HashMap<>();
    List<String> pending = new ArrayList<>(List.of(profile.startState()));
    while (!pending.isEmpty()) {
      String s = pending.remove(pending.size() - 1);
      if (s.equals("end") || index.containsKey(s)) {
        continue;
      }
      index.put(s, states.size());
      states.add(s);
      pending.addAll(chain.targets(s));
    }
    int n = states.size();
    double[][] move = new double[n][n];
    double[] ends = new double[n];
    for (int i = 0; i < n; i++) {
      List<String> targets = chain.targets(states.get(i));
      if (targets.isEmpty()) {
        ends[i] = 1; // no row: the visit's next event is its end
      }
      for (String t : targets) {
        double p = chain.probability(states.get(i), t);
        if (t.equals("end")) {
          ends[i] += p;
        } else {
          move[i][index.get(t)] += p;
        }
      }
    }
    // Where the visit is after e events, not yet ended; every visit has at least one event.
    double[] at = new double[n];
    at[index.get(profile.startState())] = 1;
    double[] atLeast = new double[maxEvents + 2];
    double open = 1;
    atLeast[0] = 1;
    for (int e = 1; e <= maxEvents; e++) {
      atLeast[e] = open;
      if (e == maxEvents) {
        break; // the cap: the last event is an end
      }
      double[] next = new double[n];
      double ended = 0;
      for (int i = 0; i < n; i++) {
        if (at[i] == 0) {
          continue;
        }
        ended += at[i] * ends[i];
        for (int j = 0; j < n; j++) {
          next[j] += at[i] * move[i][j];
        }
      }
      open -= ended;
      at = next;
    }
    return new VisitLengthLaw(atLeast);
  }

  /** P(a visit has at least {@code events} events). */
  public double atLeast(int events) {
    return events <= 0 ? 1 : events >= atLeast.length ? 0 : Math.max(0, atLeast[events]);
  }

  /** -log2 {@link #atLeast}: the visit's tail in bits (infinite beyond the cap). */
  public double tailBits(int events) {
    return -Math.log(atLeast(events)) / LN2;
  }

  /** The fewest events a visit can have whose tail reaches {@code bits}, or Integer.MAX_VALUE when none does. */
  public int eventsReaching(double bits) {
    for (int e = 1; e < atLeast.length - 1; e++) {
      if (tailBits(e) >= bits) {
        return e;
      }
    }
    return Integer.MAX_VALUE;
  }
}
