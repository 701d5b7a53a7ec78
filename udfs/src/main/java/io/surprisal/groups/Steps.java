package io.surprisal.groups;

import io.surprisal.model.UserProfile;
import java.util.ArrayList;
import java.util.List;

/**
 * Transition counts of one user or one session, by state name: {@code from[i] -> to[i]}, {@code
 * count[i]} times. What a group's centroid is compared with, and what teaches it.
 */
public final class Steps {
    final String[] from;
    final String[] to;
    final long[] count;
    final long total;

    public Steps(String[] from, String[] to, long[] count) {
        if (from.length != to.length || from.length != count.length) {
            throw new IllegalArgumentException("from, to and count must have the same length");
        }
        this.from = from;
        this.to = to;
        this.count = count;
        long n = 0;
        for (long c : count) {
            n += c;
        }
        this.total = n;
    }

    /** Every transition the profile counts (its whole, bounded history). */
    public static Steps of(UserProfile p) {
        return since(p, new int[0]);
    }

    /**
     * The profile's transitions since {@code seen} ({@link #countsOf} of the same profile, earlier):
     * a profile only ever appends transitions and raises counts, so the difference is what happened since.
     */
    public static Steps since(UserProfile p, int[] seen) {
        long[] now = p.transitions;
        long[] counts = new long[now.length];
        for (int i = 0; i < now.length; i++) {
            counts[i] = (now[i] & 0xFFFFFFFFL) - (i < seen.length ? (seen[i] & 0xFFFFFFFFL) : 0);
        }
        return of(p, counts);
    }

    /** The profile's transitions as they were counted at {@code seen} ({@link #countsOf} of the same profile, earlier). */
    public static Steps at(UserProfile p, int[] seen) {
        long[] counts = new long[Math.min(p.transitions.length, seen.length)];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = seen[i] & 0xFFFFFFFFL;
        }
        return of(p, counts);
    }

    /** The profile's transitions {@code i} with {@code counts[i] > 0}, counted so. */
    private static Steps of(UserProfile p, long[] counts) {
        List<String> f = new ArrayList<>();
        List<String> t = new ArrayList<>();
        List<Long> c = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                f.add(p.states[(int) (p.transitions[i] >>> 48) & 0xFFFF]);
                t.add(p.states[(int) (p.transitions[i] >>> 32) & 0xFFFF]);
                c.add(counts[i]);
            }
        }
        long[] out = new long[c.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = c.get(i);
        }
        return new Steps(f.toArray(new String[0]), t.toArray(new String[0]), out);
    }

    /** The profile's transition counts, by position, to diff against later ({@link #since}). */
    public static int[] countsOf(UserProfile p) {
        int[] out = new int[p.transitions.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) (p.transitions[i] & 0xFFFFFFFFL);
        }
        return out;
    }

    /** Steps in all. */
    public long total() {
        return total;
    }

    public int size() {
        return count.length;
    }

    /**
     * These steps weighing at most {@code max} in all: each count scaled by max / total, rounded
     * down (integers, so that models learn the same whatever the order they are taught in).
     */
    public Steps capped(int max) {
        if (total <= max) {
            return this;
        }
        long[] scaled = new long[count.length];
        for (int i = 0; i < count.length; i++) {
            scaled[i] = count[i] * max / total;
        }
        return new Steps(from, to, scaled);
    }
}
