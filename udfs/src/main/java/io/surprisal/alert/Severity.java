package io.surprisal.alert;

import java.util.Locale;

/** How urgently a person should look; ordered from least to most urgent. */
public enum Severity {
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Severity from how far a score passes its threshold, in bits: each 4 bits past it is one step. */
    public static Severity fromExcessBits(double excess) {
        if (excess >= 12) {
            return CRITICAL;
        }
        if (excess >= 6) {
            return HIGH;
        }
        if (excess >= 2) {
            return MEDIUM;
        }
        return LOW;
    }
}
