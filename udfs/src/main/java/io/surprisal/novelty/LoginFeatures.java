package io.surprisal.novelty;

import java.util.ArrayList;
import java.util.List;

/**
 * A login as a vector of named numbers (docs/login-vectors.md), made by login novelty from what it
 * has just computed for the login: per categorical attribute whether its value is new to the user
 * and its novelty bits against the user's history and against the population; the hour's and
 * impossible travel's bits and the total; whether the login failed, the failed logins since the
 * user's last login, the hours since it, the distance and speed from the last located login, the
 * hour of day and the user's logins so far. The order of {@link #NAMES} is the vector's; new
 * features only ever join at the end, so files and models made before keep their meaning. Plain
 * Java, no Flink.
 */
public final class LoginFeatures {
    /** Per categorical attribute, in {@link Feature} order: new, user bits, population bits. */
    public static final int PER_ATTRIBUTE = 3;
    public static final int HOUR_BITS = Feature.CATEGORICAL * PER_ATTRIBUTE;
    public static final int TRAVEL_BITS = HOUR_BITS + 1;
    public static final int NOVELTY_BITS = TRAVEL_BITS + 1;
    public static final int FAILED = NOVELTY_BITS + 1;
    public static final int FAILURES_BEFORE = FAILED + 1;
    public static final int HOURS_SINCE_LAST_LOGIN = FAILURES_BEFORE + 1;
    public static final int DISTANCE_KM = HOURS_SINCE_LAST_LOGIN + 1;
    public static final int SPEED_KMH = DISTANCE_KM + 1;
    public static final int HOUR = SPEED_KMH + 1;
    public static final int USER_LOGINS = HOUR + 1;
    public static final int COUNT = USER_LOGINS + 1;

    /** Speed is distance over at least this long: two logins at one instant are not infinitely fast. */
    static final double MIN_TRAVEL_HOURS = 1.0 / 60;

    /** The features' names, by index. */
    public static final String[] NAMES = names();

    private LoginFeatures() {}

    /** An attribute's name in the vector: its label, spaces as underscores ({@code ip_prefix}). */
    public static String attributeName(Feature f) {
        return f.label().replace(' ', '_');
    }

    /** Index of attribute {@code f}'s "is new to the user" feature; user bits follow, then population bits. */
    public static int newIndex(Feature f) {
        return f.ordinal() * PER_ATTRIBUTE;
    }

    private static String[] names() {
        List<String> n = new ArrayList<>(COUNT);
        for (int i = 0; i < Feature.CATEGORICAL; i++) {
            String a = attributeName(Feature.VALUES[i]);
            n.add(a + "_new");
            n.add(a + "_user_bits");
            n.add(a + "_population_bits");
        }
        n.add("hour_bits");
        n.add("travel_bits");
        n.add("novelty_bits");
        n.add("failed");
        n.add("failures_before");
        n.add("hours_since_last_login");
        n.add("distance_km");
        n.add("speed_kmh");
        n.add("hour");
        n.add("user_logins");
        return n.toArray(String[]::new);
    }

    /**
     * Login {@code a} of a user with {@code profile} (before it learns the login), scored {@code
     * score}, as a vector. NaN where the login has nothing to say: an attribute it lacks ({@code
     * _new}), the hours since the last login of a user with none, distance and speed without two
     * located logins.
     */
    public static double[] vector(LoginProfile profile, LoginAttributes a, NoveltyScore score, boolean failed) {
        double[] v = new double[COUNT];
        for (int i = 0; i < Feature.CATEGORICAL; i++) {
            v[i * PER_ATTRIBUTE] = a.keys()[i] == null ? Double.NaN : score.outcome().isNew()[i] ? 1 : 0;
        }
        for (NoveltyScore.Contribution c : score.contributions()) {
            if (c.feature() == Feature.HOUR) {
                v[HOUR_BITS] = c.bits();
            } else if (c.feature().ordinal() < Feature.CATEGORICAL) {
                int at = c.feature().ordinal() * PER_ATTRIBUTE;
                v[at + 1] = c.bits() - c.rarityBits();
                v[at + 2] = c.rarityBits();
            }
        }
        v[TRAVEL_BITS] = score.travel() == null ? 0 : score.travel().bits();
        v[NOVELTY_BITS] = score.bits();
        v[FAILED] = failed ? 1 : 0;
        v[FAILURES_BEFORE] = profile.failedSinceLogin;
        v[HOURS_SINCE_LAST_LOGIN] = profile.learned > 0 ? Math.max(0L, a.ts() - profile.decayedTo) / 3_600_000.0 : Double.NaN;
        if (a.located() && !Double.isNaN(profile.lastLat) && !Double.isNaN(profile.lastLon)) {
            double km = ImpossibleTravel.distanceKm(profile.lastLat, profile.lastLon, a.lat(), a.lon());
            v[DISTANCE_KM] = km;
            v[SPEED_KMH] = km / Math.max(MIN_TRAVEL_HOURS, (a.ts() - profile.lastLocatedTs) / 3_600_000.0);
        } else {
            v[DISTANCE_KM] = Double.NaN;
            v[SPEED_KMH] = Double.NaN;
        }
        v[HOUR] = Math.floorMod(a.ts(), 86_400_000L) / 3_600_000.0;
        v[USER_LOGINS] = profile.learned;
        return v;
    }
}
