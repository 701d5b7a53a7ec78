package io.surprisal.novelty;

/**
 * One user's login habits: per categorical feature at most {@code topK} values with decayed counts,
 * the user's own record of new values per feature (decayed trials and new values), a decayed
 * 24-hour histogram, the decayed number of logins, and where and when the user last logged in.
 * Flat arrays so that the state is one small RocksDB value a Flink POJO serializer writes without
 * Kryo; bounded by construction ({@code 9 * topK + 42} numbers), whatever the user does.
 */
public class LoginProfile {
    /** Feature ordinal of each slot. */
    public byte[] features = new byte[0];
    /** Hierarchical value key of each slot ({@link LoginAttributes}). */
    public String[] values = new String[0];
    /** Decayed count of each slot. */
    public double[] counts = new double[0];
    /** Per categorical feature: decayed returning logins that were a trial of the user's new-value rate. */
    public double[] trials = new double[Feature.CATEGORICAL];
    /** Per categorical feature: decayed trials that showed a value new to the user. */
    public double[] news = new double[Feature.CATEGORICAL];
    /** Decayed logins per UTC hour. */
    public double[] hours = new double[24];
    /** Decayed number of logins learned. */
    public double logins;
    /** Logins learned, not decayed (cold start counts these). */
    public long learned;
    /** Event time of the last decay, epoch ms. */
    public long decayedTo;
    /** Coordinates of the last learned login that had them (NaN when none), its event time and place. */
    public double lastLat = Double.NaN;
    public double lastLon = Double.NaN;
    public long lastLocatedTs = Long.MIN_VALUE;
    public String lastPlace;
    /** Session id of the last event seen, to notice the first event of a session. */
    public String lastSession;
    /** Session of the last alert, so a session raises at most one. */
    public String lastAlertSession;
    /** Failed logins since the last login learned ({@link LoginFeatures#FAILURES_BEFORE}). */
    public int failedSinceLogin;

    public LoginProfile() {}

    /** The slot of {@code key} in feature {@code f}, or -1. */
    int slot(Feature f, String key) {
        byte o = (byte) f.ordinal();
        for (int i = 0; i < values.length; i++) {
            if (features[i] == o && values[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    /** The decayed count of {@code key} for feature {@code f} (0 when not kept). */
    public double count(Feature f, String key) {
        int i = slot(f, key);
        return i < 0 ? 0.0 : counts[i];
    }

    /** Number of slots in use (all features). */
    public int size() {
        return values.length;
    }

    /** Multiplies every count by {@code factor} (decay). */
    void scale(double factor) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] *= factor;
        }
        for (int h = 0; h < 24; h++) {
            hours[h] *= factor;
        }
        for (int f = 0; f < trials.length; f++) {
            trials[f] *= factor;
            news[f] *= factor;
        }
        logins *= factor;
    }

    /**
     * Adds one to {@code key}; when the feature already holds {@code topK} values, the least
     * counted one makes room (an old habit that faded is forgotten first).
     */
    void add(Feature f, String key, int topK) {
        int i = slot(f, key);
        if (i >= 0) {
            counts[i] += 1.0;
            return;
        }
        byte o = (byte) f.ordinal();
        int held = 0;
        int weakest = -1;
        for (int j = 0; j < values.length; j++) {
            if (features[j] == o) {
                held++;
                if (weakest < 0 || counts[j] < counts[weakest]) {
                    weakest = j;
                }
            }
        }
        if (held >= topK) {
            values[weakest] = key;
            counts[weakest] = 1.0;
            return;
        }
        int n = values.length;
        features = java.util.Arrays.copyOf(features, n + 1);
        values = java.util.Arrays.copyOf(values, n + 1);
        counts = java.util.Arrays.copyOf(counts, n + 1);
        features[n] = o;
        values[n] = key;
        counts[n] = 1.0;
    }
}
