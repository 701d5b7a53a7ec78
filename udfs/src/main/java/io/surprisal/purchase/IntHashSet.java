package io.surprisal.purchase;

import java.util.Arrays;

/**
 * A small open-addressing set of non-negative ints (linear probing, backward-shift deletion), used
 * for adjacency lists: no boxing, and iteration is a plain scan of {@link #slots()}.
 */
final class IntHashSet {

    static final int EMPTY = -1;

    private int[] slots;
    private int size;

    IntHashSet() {
        slots = new int[4];
        Arrays.fill(slots, EMPTY);
    }

    int size() {
        return size;
    }

    /** The raw table: every entry that is not {@link #EMPTY} is a member. Do not modify. */
    int[] slots() {
        return slots;
    }

    boolean contains(int value) {
        int mask = slots.length - 1;
        for (int i = mix(value) & mask; ; i = (i + 1) & mask) {
            int slot = slots[i];
            if (slot == value) {
                return true;
            }
            if (slot == EMPTY) {
                return false;
            }
        }
    }

    /** Adds a value; returns false when it was already present. */
    boolean add(int value) {
        if ((size + 1) * 4 > slots.length * 3) { // keep load <= 3/4
            resize(slots.length * 2);
        }
        int mask = slots.length - 1;
        for (int i = mix(value) & mask; ; i = (i + 1) & mask) {
            int slot = slots[i];
            if (slot == value) {
                return false;
            }
            if (slot == EMPTY) {
                slots[i] = value;
                size++;
                return true;
            }
        }
    }

    /** Removes a value; returns false when it was absent. */
    boolean remove(int value) {
        int mask = slots.length - 1;
        int i = mix(value) & mask;
        while (true) {
            int slot = slots[i];
            if (slot == EMPTY) {
                return false;
            }
            if (slot == value) {
                break;
            }
            i = (i + 1) & mask;
        }
        // Backward-shift deletion: move later entries of the probe run into the hole when allowed.
        int hole = i;
        for (int j = (hole + 1) & mask; slots[j] != EMPTY; j = (j + 1) & mask) {
            int home = mix(slots[j]) & mask;
            // The entry at j may fill the hole only if its home is not cyclically in (hole, j].
            boolean homeBetween = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
            if (!homeBetween) {
                slots[hole] = slots[j];
                hole = j;
            }
        }
        slots[hole] = EMPTY;
        size--;
        return true;
    }

    private void resize(int capacity) {
        int[] old = slots;
        slots = new int[capacity];
        Arrays.fill(slots, EMPTY);
        size = 0;
        for (int value : old) {
            if (value != EMPTY) {
                add(value);
            }
        }
    }

    private static int mix(int value) {
        int h = value * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
