package io.surprisal.tools.train;

import java.nio.charset.StandardCharsets;

/** Stable assignment of users to held-out sets and folds: the same seed and user always give the same place. */
public final class Splits {
    private Splits() {}

    /** A 64-bit FNV-1a hash of the seed and the text, mixed. */
    public static long hash(long seed, String text) {
        long h = 0xcbf29ce484222325L ^ seed;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    /** Whether {@code user} is held out of training: {@code percent} of users, by hash. */
    public static boolean heldOut(long seed, String user, int percent) {
        return Math.floorMod(hash(seed, "holdout:" + user), 100) < percent;
    }
}
