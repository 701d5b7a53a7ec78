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
    if (maxEvents < 1) {
      throw new IllegalArgumentException("maxEvents must be at least 1: " + maxEvents);
    }
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
    // Between two states a visit goes on; what a row does not move on (its end, or all of it for a
    // state without a row, whose next event is the end) leaves the visit.
    double[][] move = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (String t : chain.targets(states.get(i))) {
        if (!t.equals("end")) {
          move[i][index.get(t)] += chain.probability(states.get(i), t);
        }
      }
    }
    // at: where a visit still open after e - 1 events is; every visit has at least one event. The
    // share still open is summed from it, not taken as 1 less the share ended, which rounding
    // would leave at nothing tens of bits out.
    double[] at = new double[n];
    at[index.get(profile.startState())] = 1;
    double[] atLeast = new double[maxEvents + 2];
    atLeast[0] = 1;
    atLeast[1] = 1;
    for (int e = 1; e < maxEvents; e++) {
      double[] next = new double[n];
      double open = 0;
      for (int i = 0; i < n; i++) {
        if (at[i] == 0) {
          continue;
        }
        for (int j = 0; j < n; j++) {
          next[j] += at[i] * move[i][j];
        }
      }
      for (double p : next) {
        open += p;
      }
      atLeast[e + 1] = open; // the cap: a visit open after maxEvents - 1 events ends with the next
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
    int last = atLeast.length - 2; // the cap: no visit is longer
    if (tailBits(last) < bits) {
      return Integer.MAX_VALUE;
    }
    int low = 1;
    int high = last;
    while (low < high) { // the tail never falls as a visit grows
      int mid = (low + high) >>> 1;
      if (tailBits(mid) >= bits) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return low;
  }
}
