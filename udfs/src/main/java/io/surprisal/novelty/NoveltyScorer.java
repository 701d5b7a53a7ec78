package io.surprisal.novelty;

import io.surprisal.config.SurprisalConfig.NoveltyConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The login-novelty model: how much more likely a login is to come from someone else than from its
 * user, in bits (after Freeman et al., "Who Are You?", NDSS 2016), with each user's evidence growing
 * with their history (see docs/login-novelty.md for the derivation and a worked example).
 *
 * <p>Per attribute value v with parent value p (chain rule within a group: country, region, city,
 * ASN, prefix are one place; device, OS, browser, version one client):
 *
 * <pre>
 *   P(v)    = (U(v) + 1/2) / (U(p) + 1)         share of v among the values users newly show under p
 *   ρ       = the population's rate of new values at returning logins of users with as much
 *             history under p, who had (or had not) shown a new value here before, and, for the
 *             network (ASN, prefix), with a client as new or familiar as this one
 *   P(new)  = max(ρ, (new_u + s·ρ) / (trials_u + s))   the user's own rate, blended with ρ
 *   user    = P(new) · P(v)                      for a value new to the user
 *           = (1 - P(new)) · c(v) / c(p)         for a value the user has shown
 *   other   = max(P(v), 2^-floor)                someone else: the population, with no value rarer
 *                                                than 2^-floor (countries, ASNs, devices, OS, browsers)
 *   bits    = log2(other / user), never negative
 * </pre>
 *
 * For a new value this is -log2 P(new) (user history) plus max(0, -log2 P(v) - floor) (rarity). A
 * value under a parent new to the user, or of a user with no history, adds only its rarity: the
 * parent already paid. The user-history bits of one group are capped at {@code max-group-bits}
 * (people do get a new phone, do travel); rarity is not. The hour of day is scored on a circle and
 * weighted; impossible travel adds its own bits ({@link ImpossibleTravel}). Plain Java, no Flink.
 */
public final class NoveltyScorer {
    private static final double LN2 = Math.log(2);
    private static final double MIN_SHOWN_BITS = 0.05;
    /** The client first: the place's new-value rate depends on whether the client is new. */
    private static final Feature[][] GROUPS = {
        {Feature.DEVICE, Feature.OS, Feature.BROWSER, Feature.BROWSER_VERSION},
        {Feature.COUNTRY, Feature.REGION, Feature.CITY, Feature.ASN, Feature.PREFIX},
    };
    /** The place levels from the most specific, to tell whether the login's place is new to the user. */
    private static final Feature[] PLACE_LEVELS = {Feature.CITY, Feature.REGION, Feature.COUNTRY};

    private final NoveltyConfig config;
    private final double halfLifeMs;
    private final double floorShare;
    private final ImpossibleTravel travel;

    public NoveltyScorer(NoveltyConfig config) {
        this.config = config;
        this.halfLifeMs = config.halfLife().toMillis();
        this.floorShare = Math.pow(2, -config.rarityFloorBits());
        this.travel = new ImpossibleTravel(config.impossibleTravel());
    }

    /** The impossible-travel rule this scorer applies. */
    public ImpossibleTravel travel() {
        return travel;
    }

    /** Scores login {@code a} of a user with profile {@code profile} (before learning it). */
    public NoveltyScore score(LoginProfile profile, LoginAttributes a, PopulationLogins population) {
        LoginOutcome outcome = outcome(profile, a);
        List<NoveltyScore.Contribution> parts = new ArrayList<>(4);
        double total = 0;
        for (Feature[] group : GROUPS) {
            total += scoreGroup(group, profile, a, population, outcome, parts);
        }
        if (outcome.returning() && config.hourWeight() > 0) {
            total += scoreHour(profile, a, population, parts);
        }
        NoveltyScore.Travel t = null;
        if (outcome.returning()) {
            t = travel.judge(profile, a, newPlace(a, outcome));
            if (t != null) {
                total += t.bits();
            }
        }
        parts.sort((x, y) -> Double.compare(y.bits(), x.bits()));
        return new NoveltyScore(total, !outcome.returning(), profile.logins, parts, t, outcome);
    }

    /**
     * The bits of one group's attributes: per attribute log2(other / user), the user-history parts
     * together capped at {@code max-group-bits} (scaled down alike), rarity added in full.
     */
    private double scoreGroup(Feature[] group, LoginProfile profile, LoginAttributes a, PopulationLogins population,
            LoginOutcome outcome, List<NoveltyScore.Contribution> parts) {
        String[] keys = a.keys();
        double[] history = new double[group.length];
        double[] rarity = new double[group.length];
        double[] pNew = new double[group.length];
        double[] rho = new double[group.length];
        Arrays.fill(pNew, Double.NaN);
        Arrays.fill(rho, Double.NaN);
        double historySum = 0;
        for (int j = 0; j < group.length; j++) {
            Feature f = group[j];
            int i = f.ordinal();
            if (keys[i] == null) {
                continue;
            }
            Feature p = f.parent();
            String parentKey = p == null ? "" : keys[p.ordinal()];
            double share = population.share(f, keys[i], parentKey);
            double other = f.rarityCounts() ? Math.max(share, floorShare) : share;
            double c = profile.count(f, keys[i]);
            int bucket = outcome.trialBucket()[i];
            if (bucket >= 0) {
                rho[j] = population.newRate(f, bucket, outcome.clientSide(f), outcome.changed()[i]);
                pNew[j] = newProbability(profile, i, rho[j]);
                if (outcome.isNew()[i]) {
                    history[j] = -log2(pNew[j]);
                    rarity[j] = log2(other / share);
                } else {
                    double n = p == null ? profile.logins : profile.count(p, parentKey);
                    double user = Math.max(1e-12, (1 - pNew[j]) * Math.min(1.0, c / Math.max(n, c)));
                    history[j] = Math.max(0.0, log2(other / user));
                }
            } else if (outcome.isNew()[i]) {
                rarity[j] = log2(other / share);
            }
            historySum += history[j];
        }
        double scale = historySum > config.maxGroupBits() ? config.maxGroupBits() / historySum : 1.0;
        double total = 0;
        for (int j = 0; j < group.length; j++) {
            double bits = history[j] * scale + rarity[j];
            if (bits < MIN_SHOWN_BITS) {
                continue;
            }
            Feature f = group[j];
            int i = f.ordinal();
            Feature p = f.parent();
            String parentKey = p == null ? "" : keys[p.ordinal()];
            total += bits;
            parts.add(new NoveltyScore.Contribution(f, a.shown()[i], bits, rarity[j], profile.count(f, keys[i]),
                    p == null ? profile.logins : profile.count(p, parentKey), p == null ? null : a.shown()[p.ordinal()],
                    pNew[j], profile.news[i], profile.trials[i], rho[j], population.count(f, keys[i]),
                    population.share(f, keys[i], parentKey)));
        }
        return total;
    }

    /**
     * The user's probability that a login shows a new value of feature {@code i}: the population's
     * rate {@code rho} for users with as much history, raised by the user's own record of new values
     * (blended with {@code rho} as {@code new-value-prior-logins} trials). Never below {@code rho}:
     * that rate already describes users with this much history, most of whom showed nothing new.
     */
    double newProbability(LoginProfile profile, int i, double rho) {
        double s = config.newValuePriorLogins();
        return Math.max(rho, (profile.news[i] + s * rho) / (profile.trials[i] + s));
    }

    /**
     * The hour of day: log2(P_pop(h) / q), q the user's kernel-spread share of logins at h smoothed
     * towards the population's by {@code hour-prior-strength} logins, times {@code hour-weight}, within
     * [0, hour-max-bits]: weak evidence, never enough to tip a login with one new group over.
     */
    private double scoreHour(LoginProfile profile, LoginAttributes a, PopulationLogins population, List<NoveltyScore.Contribution> parts) {
        int h = a.hour();
        double k = config.hourPriorStrength();
        double populationShare = (population.hourCount(h) + 1.0) / (population.total() + 24.0);
        double c = hourCount(profile, h);
        double ratio = populationShare * (profile.logins + k) / (c + k * populationShare);
        double bits = Math.min(config.hourMaxBits(), config.hourWeight() * Math.max(0.0, log2(ratio)));
        if (bits < MIN_SHOWN_BITS) {
            return 0;
        }
        parts.add(new NoveltyScore.Contribution(Feature.HOUR, String.format(Locale.ROOT, "%02d:00 UTC", h), bits, 0, c,
                profile.logins, null, Double.NaN, 0, 0, Double.NaN, population.hourCount(h),
                population.total() == 0 ? 0 : population.hourCount(h) / (double) population.total()));
        return bits;
    }

    /** The user's logins at hour {@code h}, spread over neighbouring hours by a triangular kernel. */
    double hourCount(LoginProfile profile, int h) {
        int w = config.hourSpread();
        double norm = (w + 1.0) * (w + 1.0);
        double sum = 0;
        for (int d = -w; d <= w; d++) {
            sum += profile.hours[Math.floorMod(h + d, 24)] * (w + 1 - Math.abs(d)) / norm;
        }
        return sum;
    }

    /**
     * Which of the login's values are new to the user, and where it is a trial of the user's
     * new-value rate: the user has history there (any login for a top-level attribute, the parent
     * value for the others).
     */
    public static LoginOutcome outcome(LoginProfile profile, LoginAttributes a) {
        boolean returning = profile.learned > 0;
        String[] keys = a.keys();
        boolean[] isNew = new boolean[Feature.CATEGORICAL];
        byte[] trial = new byte[Feature.CATEGORICAL];
        Arrays.fill(trial, (byte) -1);
        boolean[] changed = new boolean[Feature.CATEGORICAL];
        boolean newClient = false;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == null) {
                continue;
            }
            Feature f = Feature.VALUES[i];
            isNew[i] = profile.count(f, keys[i]) <= 0;
            if (!returning) {
                continue;
            }
            Feature p = f.parent();
            double n = p == null ? profile.logins : profile.count(p, keys[p.ordinal()]);
            if (p == null || n > 0) {
                trial[i] = (byte) bucket(n);
                changed[i] = profile.news[i] >= 0.5;
            }
            newClient |= isNew[i] && f.newClient();
        }
        return new LoginOutcome(returning, newClient, isNew, trial, changed);
    }

    /** Upper bounds of the history buckets, between whole counts: a count just decayed stays in its bucket. */
    private static final double[] BUCKET_BOUNDS = {1.5, 2.5, 5.5, 11.5, 23.5, 47.5};

    /** The history bucket of {@code n} (decayed) logins: 1, 2, 3-5, 6-11, 12-23, 24-47, 48 or more. */
    static int bucket(double n) {
        int b = 0;
        while (b < BUCKET_BOUNDS.length && n >= BUCKET_BOUNDS[b]) {
            b++;
        }
        return b;
    }

    /** Whether the login's most specific place (city, else region, else country) is new to the user. */
    private static boolean newPlace(LoginAttributes a, LoginOutcome outcome) {
        for (Feature f : PLACE_LEVELS) {
            if (a.keys()[f.ordinal()] != null) {
                return outcome.isNew()[f.ordinal()];
            }
        }
        return false;
    }

    /** Teaches {@code profile} login {@code a} at event time {@code ts} (computing its outcome first). */
    public void learn(LoginProfile profile, LoginAttributes a, long ts) {
        learn(profile, a, ts, outcome(profile, a));
    }

    /** Teaches both the user's profile and the population login {@code a} (tests, benchmarks). */
    public void observe(LoginProfile profile, PopulationLogins population, LoginAttributes a, long ts) {
        LoginOutcome o = outcome(profile, a);
        population.observe(a, o, true);
        learn(profile, a, ts, o);
    }

    /** Teaches {@code profile} login {@code a} at event time {@code ts}, after decaying old habits. */
    public void learn(LoginProfile profile, LoginAttributes a, long ts, LoginOutcome o) {
        if (profile.learned > 0 && ts > profile.decayedTo) {
            profile.scale(Math.pow(0.5, (ts - profile.decayedTo) / halfLifeMs));
        }
        profile.decayedTo = Math.max(profile.decayedTo, ts);
        String[] keys = a.keys();
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                profile.add(Feature.VALUES[i], keys[i], config.topK());
                if (o.trialBucket()[i] >= 0) {
                    profile.trials[i] += 1.0;
                    if (o.isNew()[i]) {
                        profile.news[i] += 1.0;
                    }
                }
            }
        }
        profile.hours[a.hour()] += 1.0;
        profile.logins += 1.0;
        profile.learned++;
        profile.failedSinceLogin = 0;
        if (a.located()) {
            profile.lastLat = a.lat();
            profile.lastLon = a.lon();
            profile.lastLocatedTs = ts;
            profile.lastPlace = a.place();
        }
    }

    /**
     * One line per contribution, e.g. {@code never seen for jane (0 of 43 logins); jane showed a new
     * country at 0 of 42 logins, users with that history at 0.31%: P(new) 0.012%; 3 users have shown
     * it, 0.030% of countries}. {@code user} is shown as given: escape where displayed.
     */
    public static String explain(NoveltyScore.Contribution c, String user) {
        StringBuilder sb = new StringBuilder();
        String where = c.context() == null ? "" : " with " + c.context();
        if (c.feature() == Feature.HOUR) {
            return sb.append(count(c.userCount())).append(" of ").append(count(c.userContext())).append(" logins for ")
                    .append(user).append(" near this hour, ").append(percent(c.populationShare())).append(" of all logins")
                    .toString();
        }
        if (c.userCount() <= 0) {
            sb.append("never seen for ").append(user);
        } else {
            sb.append("seen ").append(count(c.userCount())).append(" times for ").append(user);
        }
        sb.append(" (").append(count(c.userCount())).append(" of ").append(count(c.userContext())).append(" logins")
                .append(where).append(')');
        if (!Double.isNaN(c.newProbability())) {
            sb.append("; ").append(user).append(" showed a new ").append(c.feature().label()).append(" at ")
                    .append(count(c.userNew())).append(" of ").append(count(c.userTrials()))
                    .append(" logins, users with that history at ").append(percent(c.populationNewRate()))
                    .append(": P(new) ").append(percent(c.newProbability()));
        }
        sb.append("; ").append(c.populationCount()).append(c.populationCount() == 1 ? " user has" : " users have")
                .append(" shown it, ").append(percent(c.populationShare())).append(" of ").append(c.feature().label())
                .append(" values").append(where);
        if (c.rarityBits() >= MIN_SHOWN_BITS) {
            sb.append(String.format(Locale.ROOT, " (%.1f bits of rarity)", c.rarityBits()));
        }
        return sb.toString();
    }

    private static String count(double c) {
        return c > 0 && c < 0.5 ? "<1" : String.format(Locale.ROOT, "%.0f", c);
    }

    static String percent(double share) {
        double pct = share * 100;
        if (pct == 0) {
            return "0%";
        }
        if (pct >= 1) {
            return String.format(Locale.ROOT, "%.1f%%", pct);
        }
        if (pct >= 0.01) {
            return String.format(Locale.ROOT, "%.2f%%", pct);
        }
        if (pct >= 0.001) {
            return String.format(Locale.ROOT, "%.3f%%", pct);
        }
        return "<0.001%";
    }

    static double log2(double x) {
        return Math.log(x) / LN2;
    }
}
