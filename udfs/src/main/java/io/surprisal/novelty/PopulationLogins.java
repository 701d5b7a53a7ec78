package io.surprisal.novelty;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The population's counts of login attribute values (all hierarchical keys of every feature, and
 * logins per UTC hour), learned online. Bounded: past {@code maxValues} distinct keys, new keys are
 * not counted (they stay as rare as they nearly are). Plain Java; one per operator instance.
 */
public final class PopulationLogins {
    /** Key of the total number of logins. */
    public static final String TOTAL = "*";
    private static final String HOUR_PREFIX = "H";

    private final int maxValues;
    private final Map<String, long[]> counts = new HashMap<>();
    private final long[] hours = new long[24];
    private long total;

    public PopulationLogins(int maxValues) {
        this.maxValues = maxValues;
    }

    /** Logins counted. */
    public long total() {
        return total;
    }

    /** Count of {@code key} of feature {@code f}. */
    public long count(Feature f, String key) {
        long[] c = counts.get(mapKey(f, key));
        return c == null ? 0 : c[0];
    }

    /** Logins counted at UTC hour {@code h}. */
    public long hourCount(int h) {
        return hours[h];
    }

    /** Distinct keys held. */
    public int size() {
        return counts.size();
    }

    /** Counts one login's attributes. */
    public void observe(LoginAttributes a) {
        total++;
        hours[a.hour()]++;
        String[] keys = a.keys();
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                add(Feature.VALUES[i].ordinal() + keys[i], 1);
            }
        }
    }

    private void add(String mapKey, long n) {
        long[] c = counts.get(mapKey);
        if (c == null) {
            if (counts.size() >= maxValues) {
                return;
            }
            c = new long[1];
            counts.put(mapKey, c);
        }
        c[0] += n;
    }

    private static String mapKey(Feature f, String key) {
        return f.ordinal() + key;
    }

    /** All counts, for a checkpoint. */
    public List<LoginCount> entries() {
        List<LoginCount> out = new ArrayList<>(counts.size() + 25);
        out.add(new LoginCount(TOTAL, total));
        for (int h = 0; h < 24; h++) {
            if (hours[h] > 0) {
                out.add(new LoginCount(HOUR_PREFIX + h, hours[h]));
            }
        }
        for (var e : counts.entrySet()) {
            out.add(new LoginCount(e.getKey(), e.getValue()[0]));
        }
        return out;
    }

    /** Adds counts from a checkpoint or another instance. */
    public void addAll(Iterable<LoginCount> entries) {
        for (LoginCount c : entries) {
            if (TOTAL.equals(c.key)) {
                total += c.count;
            } else if (c.key.startsWith(HOUR_PREFIX)) {
                int h = Integer.parseInt(c.key.substring(HOUR_PREFIX.length()));
                hours[h] += c.count;
            } else {
                add(c.key, c.count);
            }
        }
    }
}
