package io.surprisal.novelty;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the population of one parallel instance tells login novelty, learned online:
 *
 * <ul>
 *   <li>per attribute value, how many times a user showed it for the first time (a user counts once
 *       per value, however often they log in with it; a value counted under its parent value, with
 *       the parent's total, so a count over its parent's total is the share of the value among the
 *       new values users show under that parent);
 *   <li>per attribute, history bucket, whether the client was new and whether the user had shown a
 *       new value of the attribute before: the returning logins that were a trial of the new-value
 *       rate, and how many of them showed a new value;
 *   <li>logins per UTC hour, all logins, distinct users and returning logins.
 * </ul>
 *
 * Bounded: past {@code maxValues} distinct keys, new keys are not counted (they stay as rare as they
 * nearly are). Plain Java; one per operator instance.
 */
public final class PopulationLogins {
    /** Key of the total number of logins. */
    public static final String TOTAL = "*";
    private static final String HOUR_PREFIX = "H";
    private static final String USERS = "U";
    private static final String RETURNING = "L";
    private static final String TRIALS_PREFIX = "T";
    private static final String NEWS_PREFIX = "N";
    private static final String PARENT_PREFIX = "P";

    /** History buckets of a trial: the user's logins with the parent value, 1, 2, 3-5, 6-11, 12-23, 24-47, 48+. */
    public static final int BUCKETS = 7;
    /** Per attribute and bucket: (new client or not) x (the user changed before or not). */
    private static final int SIDES = 4;
    private static final int CELLS = Feature.CATEGORICAL * BUCKETS * SIDES;

    private final int maxValues;
    private final Map<String, long[]> counts = new HashMap<>();
    private final long[] hours = new long[24];
    private final long[] trials = new long[CELLS];
    private final long[] news = new long[CELLS];
    private long total;
    private long users;
    private long returning;

    public PopulationLogins(int maxValues) {
        this.maxValues = maxValues;
    }

    /** The rate cell of feature {@code f}, history bucket {@code bucket}, with or without a new client, of users who changed before or not. */
    static int cell(Feature f, int bucket, boolean newClient, boolean changed) {
        return (f.ordinal() * BUCKETS + bucket) * SIDES + side(newClient, changed);
    }

    private static int side(boolean newClient, boolean changed) {
        return (newClient ? 1 : 0) + (changed ? 2 : 0);
    }

    /** Logins counted. */
    public long total() {
        return total;
    }

    /** Distinct users counted (each user's first learned login). */
    public long users() {
        return users;
    }

    /** Logins counted of users who had logged in before. */
    public long returningLogins() {
        return returning;
    }

    /**
     * Whether the population has seen enough returning logins to judge anyone by: {@code
     * minReturning}, or {@code perUser} for each distinct user it has seen, whichever is fewer; at
     * least one.
     */
    public boolean ready(long minReturning, double perUser) {
        return returning >= Math.max(1.0, Math.min(minReturning, Math.ceil(perUser * users)));
    }

    /** Times a user showed {@code key} of feature {@code f} for the first time. */
    public long count(Feature f, String key) {
        long[] c = counts.get(f.ordinal() + key);
        return c == null ? 0 : c[0];
    }

    /** Times a user showed a value of {@code f} new to them under parent key {@code parentKey} ("" for top level). */
    public long parentTotal(Feature f, String parentKey) {
        long[] c = counts.get(parentKey(f, parentKey));
        return c == null ? 0 : c[0];
    }

    /** The share of {@code key} among the values of {@code f} under {@code parentKey}, smoothed by a half count. */
    public double share(Feature f, String key, String parentKey) {
        return Math.min(1.0, (count(f, key) + 0.5) / (parentTotal(f, parentKey) + 1.0));
    }

    /**
     * The population's rate of new values of {@code f} at returning logins in history bucket {@code
     * bucket}, with or without a new client, of users who had shown a new value of {@code f} before
     * or not: an empirical-Bayes estimate, each level (new + m·prior) / (trials + m) with its prior
     * taken from the data outside it and worth as much as that data, at most {@value
     * #PRIOR_TRIALS} trials: the cell's prior is the same kind of login and user in the other
     * buckets, whose prior is the other kinds of login and user, whose prior is 1/2 worth one
     * trial (a Krichevsky-Trofimov estimate). No count is used twice, and a cell with few trials
     * says little beyond its prior.
     */
    public double newRate(Feature f, int bucket, boolean newClient, boolean changed) {
        long allTrials = 0;
        long allNews = 0;
        long sideTrials = 0;
        long sideNews = 0;
        int side = side(newClient, changed);
        for (int b = 0; b < BUCKETS; b++) {
            for (int c = 0; c < SIDES; c++) {
                int i = (f.ordinal() * BUCKETS + b) * SIDES + c;
                allTrials += trials[i];
                allNews += news[i];
                if (c == side) {
                    sideTrials += trials[i];
                    sideNews += news[i];
                }
            }
        }
        int i = cell(f, bucket, newClient, changed);
        // Outside the side: other kinds of login and user, from the uninformed 1/2 worth one trial.
        double otherSides = (allNews - sideNews + 0.5) / (allTrials - sideTrials + 1.0);
        double otherSidesWeight = Math.min(PRIOR_TRIALS, allTrials - sideTrials + 1.0);
        // The same side in the other buckets, with that prior.
        long otherBucketsTrials = sideTrials - trials[i];
        double otherBuckets = (sideNews - news[i] + otherSidesWeight * otherSides) / (otherBucketsTrials + otherSidesWeight);
        double otherBucketsWeight = Math.min(PRIOR_TRIALS, otherBucketsTrials + otherSidesWeight);
        return (news[i] + otherBucketsWeight * otherBuckets) / (trials[i] + otherBucketsWeight);
    }

    /** The most a prior weighs, in trials of the rate it is the prior of. */
    static final double PRIOR_TRIALS = 4;

    /** Trials counted in the cell of {@code f}, {@code bucket}, {@code newClient}, {@code changed}. */
    public long trials(Feature f, int bucket, boolean newClient, boolean changed) {
        return trials[cell(f, bucket, newClient, changed)];
    }

    /** Logins counted at UTC hour {@code h}. */
    public long hourCount(int h) {
        return hours[h];
    }

    /** Distinct keys held. */
    public int size() {
        return counts.size();
    }

    /**
     * Counts one login. {@code teach} false (a login judged novel) counts it only as a login of its
     * user: the population's values and rates describe legitimate logins.
     */
    public void observe(LoginAttributes a, LoginOutcome o, boolean teach) {
        if (o.returning()) {
            returning++;
        } else {
            users++;
        }
        if (!teach) {
            return;
        }
        total++;
        hours[a.hour()]++;
        String[] keys = a.keys();
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == null) {
                continue;
            }
            Feature f = Feature.VALUES[i];
            if (o.isNew()[i]) {
                add(f.ordinal() + keys[i], 1);
                Feature p = f.parent();
                add(parentKey(f, p == null ? "" : keys[p.ordinal()]), 1);
            }
            if (o.trialBucket()[i] >= 0) {
                int c = o.cell(f);
                trials[c]++;
                if (o.isNew()[i]) {
                    news[c]++;
                }
            }
        }
    }

    private static String parentKey(Feature f, String parentKey) {
        return PARENT_PREFIX + f.ordinal() + parentKey;
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

    /** All counts, for a checkpoint. */
    public List<LoginCount> entries() {
        List<LoginCount> out = new ArrayList<>(counts.size() + 27);
        out.add(new LoginCount(TOTAL, total));
        out.add(new LoginCount(USERS, users));
        out.add(new LoginCount(RETURNING, returning));
        for (int h = 0; h < 24; h++) {
            if (hours[h] > 0) {
                out.add(new LoginCount(HOUR_PREFIX + h, hours[h]));
            }
        }
        for (int i = 0; i < CELLS; i++) {
            if (trials[i] > 0) {
                out.add(new LoginCount(TRIALS_PREFIX + i, trials[i]));
            }
            if (news[i] > 0) {
                out.add(new LoginCount(NEWS_PREFIX + i, news[i]));
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
            String k = c.key;
            if (TOTAL.equals(k)) {
                total += c.count;
            } else if (USERS.equals(k)) {
                users += c.count;
            } else if (RETURNING.equals(k)) {
                returning += c.count;
            } else if (k.startsWith(HOUR_PREFIX)) {
                hours[Integer.parseInt(k.substring(HOUR_PREFIX.length()))] += c.count;
            } else if (k.startsWith(TRIALS_PREFIX)) {
                trials[Integer.parseInt(k.substring(TRIALS_PREFIX.length()))] += c.count;
            } else if (k.startsWith(NEWS_PREFIX)) {
                news[Integer.parseInt(k.substring(NEWS_PREFIX.length()))] += c.count;
            } else {
                add(k, c.count);
            }
        }
    }
}
