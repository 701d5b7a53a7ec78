package io.surprisal.dashboard;

import java.util.List;
import java.util.Locale;

/** The alert contract's severities, in rising order; the rank orders and filters them. */
final class Severity {
    static final List<String> NAMES = List.of("low", "medium", "high", "critical");

    private Severity() {}

    /** 0..3, or -1 for a name the contract does not have. */
    static int rank(String name) {
        return name == null ? -1 : NAMES.indexOf(name.toLowerCase(Locale.ROOT));
    }
}
