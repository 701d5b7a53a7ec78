package io.surprisal.sim;

import java.util.SplittableRandom;

/**
 * Derives independent random streams from the seed and a few coordinates (user, day, visit), so
 * that each draw is the same whatever order the simulator generates things in.
 */
final class Rng {
  static final long USER = 0x55534552L;
  static final long PROFILE = 0x50524f46L;
  static final long SCENARIO = 0x5343454eL;
  static final long ASSIGN = 0x41535347L;
  static final long DAY = 0x44415900L;
  static final long VISIT = 0x56495349L;
  static final long BREAK = 0x42524b00L;
  static final long SESSION = 0x53455353L;
  static final long WORLD = 0x574f524cL;
  static final long CHURN = 0x43485552L;
  static final long STRETCH = 0x53545245L;
  static final long CHAIN = 0x43484149L;
  static final long PACE = 0x50414345L;
  static final long SPEND = 0x5350454eL;

  private Rng() {}

  /** SplitMix64's finaliser. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  static long hash(long seed, long tag, long... coordinates) {
    long h = mix(seed ^ mix(tag + 0x9e3779b97f4a7c15L));
    for (long c : coordinates) {
      h = mix(h ^ mix(c + 0x632be59bd9b4e019L));
    }
    return h;
  }

  static SplittableRandom of(long seed, long tag, long... coordinates) {
    return new SplittableRandom(hash(seed, tag, coordinates));
  }

  /**
   * A standard normal draw (Box-Muller; one value per call keeps the stream simple). StrictMath so
   * that output is identical on every JVM and CPU.
   */
  static double gaussian(SplittableRandom rng) {
    double u1 = 1.0 - rng.nextDouble(); // (0, 1]
    double u2 = rng.nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2 * StrictMath.PI * u2);
  }
}
