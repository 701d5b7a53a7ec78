package io.surprisal.sim;

import java.util.SplittableRandom;

/**
 * Who is who: the profile and scenario of every user, fixed up front (two bytes per user) so that
 * counts can be guaranteed; everything else about a user is re-derived on demand by {@link
 * #user(int)}.
 */
final class Population {
  private static final Profile[] PROFILES = Profile.values();
  private static final Scenario[] SCENARIOS = Scenario.values();

  final SimulatorConfig config;
  private final byte[] profiles;
  private final byte[] scenarios;

  Population(SimulatorConfig config) {
    this.config = config;
    int n = config.users();
    profiles = new byte[n];
    scenarios = new byte[n];
    int[] counts = new int[PROFILES.length];
    double[] shares = new double[PROFILES.length];
    for (Profile p : PROFILES) {
      shares[p.ordinal()] = config.world().profileShare(p);
    }
    for (int i = 0; i < n; i++) {
      Profile p = drawProfile(Rng.of(config.seed(), Rng.PROFILE, i).nextDouble(), shares);
      profiles[i] = (byte) p.ordinal();
      counts[p.ordinal()]++;
    }
    // Users in a seeded random order: candidates for conversions and scenarios, so that the
    // chosen ones are not the low ids.
    int[] order = shuffledIndices(n, Rng.of(config.seed(), Rng.ASSIGN));
    int cursor = 0;
    for (Profile p : PROFILES) {
      if (!p.abnormal()) {
        continue;
      }
      while (counts[p.ordinal()] < config.minPerKind() && cursor < n) {
        int i = order[cursor++];
        Profile current = PROFILES[profiles[i]];
        if (!current.abnormal() && counts[current.ordinal()] > config.minPerKind()) {
          profiles[i] = (byte) p.ordinal();
          counts[current.ordinal()]--;
          counts[p.ordinal()]++;
        }
      }
    }
    assignScenarios(order, cursor);
  }

  private void assignScenarios(int[] order, int firstCandidate) {
    int n = config.users();
    if (config.days() <= config.firstScoredDay()) {
      return; // scenarios happen on scored days only
    }
    int normals = 0;
    for (byte p : profiles) {
      if (!PROFILES[p].abnormal()) {
        normals++;
      }
    }
    int cursor = 0;
    // Rotate the order so scenarios do not reuse the conversion candidates' positions.
    for (Scenario s : SCENARIOS) {
      if (s == Scenario.NONE) {
        continue;
      }
      double share = config.world().scenarioShare(s);
      if (share == 0) {
        continue; // switched off in this world, whatever the minimums
      }
      int want = (int) Math.round(share * normals);
      if (s.attack() && n >= 200) {
        want = Math.max(want, 1);
      }
      want = Math.max(want, config.minPerKind());
      int given = 0;
      while (given < want && cursor < n) {
        int i = order[(firstCandidate + cursor++) % n];
        if (!PROFILES[profiles[i]].abnormal() && scenarios[i] == 0) {
          scenarios[i] = (byte) s.ordinal();
          given++;
        }
      }
    }
  }

  private static Profile drawProfile(double u, double[] shares) {
    for (Profile p : PROFILES) {
      u -= shares[p.ordinal()];
      if (u < 0) {
        return p;
      }
    }
    return Profile.BUYER;
  }

  private static int[] shuffledIndices(int n, SplittableRandom rng) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  int size() {
    return profiles.length;
  }

  Profile profile(int index) {
    return PROFILES[profiles[index]];
  }

  Scenario scenario(int index) {
    return SCENARIOS[scenarios[index]];
  }

  /**
   * The full attributes of one user (re-derived each call; cheap, but in a world of personal chains
   * it draws the user's chain again: a gamma draw per next state of every row).
   */
  SimUser user(int index) {
    return new SimUser(config, index, profile(index), scenario(index));
  }

  /** The index of the user with id {@code id} ({@link #userId}). */
  static int index(String id) {
    return Integer.parseInt(id.substring(1)) - 1;
  }

  /** The neutral id of the user with this index: {@code u} and seven or more digits. */
  static String userId(int index) {
    String digits = Integer.toString(index + 1);
    if (digits.length() >= 7) {
      return "u" + digits;
    }
    return "u" + "0000000".substring(digits.length()) + digits;
  }
}
