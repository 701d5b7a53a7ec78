package io.surprisal.novelty;

import io.surprisal.config.SurprisalConfig.NoveltyConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The login-novelty model (after Freeman et al., "Who Are You?", NDSS 2016). For each attribute
 * value v of a login, with parent value p (none for a top-level attribute):
 *
 * <pre>
 *   P  = (C(v) + 1/2) / (C(p) + 1)               population share of v among logins with p
 *   q  = (c(v) + k·P) / (c(p) + k)                the user's share, smoothed towards P
 *   novelty = log2(P / q), in [0, cap]            0 during the user's cold start
 *   rarity  = max(0, -log2 P - floor) · k / (c(v) + k)   for country, ASN, device, OS, browser
 * </pre>
 *
 * C are population counts, c the user's decayed counts. A value the user never showed under a
 * parent the user knows costs log2(1 + c(p)/k) bits; under a parent that is itself new it costs
 * nothing more (the parent already paid), which is the hierarchical smoothing: a traveller's new
 * city, ASN and prefix add nothing beyond the new country. Rarity lets a value the population
 * rarely sees count even without user history, and fades as the user shows it. The hour of day
 * is scored the same way on a circle, with the user's counts spread by a triangular kernel, times
 * a weight. The login's risk is the sum, in bits. Plain Java, no Flink.
 */
public final class NoveltyScorer {
    private static final double LN2 = Math.log(2);
    private static final double MIN_SHOWN_BITS = 0.05;

    private final NoveltyConfig config;
    private final double halfLifeMs;

    public NoveltyScorer(NoveltyConfig config) {
        this.config = config;
        this.halfLifeMs = config.halfLife().toMillis();
    }

    /** Scores login {@code a} of a user with profile {@code profile} (before learning it). */
    public NoveltyScore score(LoginProfile profile, LoginAttributes a, PopulationLogins population) {
        boolean cold = profile.learned < config.minUserLogins();
        double k = config.priorStrength();
        List<NoveltyScore.Contribution> parts = new ArrayList<>(4);
        double total = 0;
        String[] keys = a.keys();
        for (int i = 0; i < keys.length; i++) {
            String key = keys[i];
            if (key == null) {
                continue;
            }
            Feature f = Feature.VALUES[i];
            Feature p = f.parent();
            String parentKey = p == null ? null : keys[p.ordinal()];
            double populationParent = p == null ? population.total() : population.count(p, parentKey);
            double share = (population.count(f, key) + 0.5) / (populationParent + 1.0);
            double n = p == null ? profile.logins : profile.count(p, parentKey);
            double c = profile.count(f, key);
            double bits = 0;
            if (!cold) {
                bits += novelty(share * (n + k) / (c + k * share));
            }
            if (f.rarityCounts()) {
                bits += Math.max(0.0, -log2(share) - config.rarityFloorBits()) * k / (c + k);
            }
            if (bits >= MIN_SHOWN_BITS) {
                total += bits;
                parts.add(new NoveltyScore.Contribution(f, a.shown()[i], bits, c, n,
                        populationParent == 0 ? 0 : population.count(f, key) / populationParent,
                        p == null ? null : a.shown()[p.ordinal()]));
            }
        }
        if (!cold && config.hourWeight() > 0) {
            int h = a.hour();
            double populationShare = (population.hourCount(h) + 1.0) / (population.total() + 24.0);
            double c = hourCount(profile, h);
            double bits = config.hourWeight()
                    * novelty(populationShare * (profile.logins + k) / (c + k * populationShare));
            if (bits >= MIN_SHOWN_BITS) {
                total += bits;
                parts.add(new NoveltyScore.Contribution(Feature.HOUR, String.format(Locale.ROOT, "%02d:00 UTC", h), bits, c,
                        profile.logins, population.total() == 0 ? 0 : population.hourCount(h) / (double) population.total(), null));
            }
        }
        parts.sort((x, y) -> Double.compare(y.bits(), x.bits()));
        return new NoveltyScore(total, cold, profile.logins, parts);
    }

    /**
     * The user-history bits of a likelihood ratio: never negative (a familiar value cannot hide a
     * new one) and at most {@code max-attribute-bits}: people do show a new value of any one
     * attribute now and then (travel, a new phone), however long their history, so one new
     * attribute alone stays below the threshold unless the population rarely sees it.
     */
    private double novelty(double ratio) {
        return Math.min(config.maxAttributeBits(), Math.max(0.0, log2(ratio)));
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

    /** Teaches {@code profile} login {@code a} at event time {@code ts}, after decaying old habits. */
    public void learn(LoginProfile profile, LoginAttributes a, long ts) {
        if (profile.learned > 0 && ts > profile.decayedTo) {
            profile.scale(Math.pow(0.5, (ts - profile.decayedTo) / halfLifeMs));
        }
        profile.decayedTo = Math.max(profile.decayedTo, ts);
        String[] keys = a.keys();
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                profile.add(Feature.VALUES[i], keys[i], config.topK());
            }
        }
        profile.hours[a.hour()] += 1.0;
        profile.logins += 1.0;
        profile.learned++;
    }

    /**
     * One line per contribution, e.g. {@code country UA: never seen for jane (0 of 143 logins),
     * 0.01% of all logins}. {@code user} is shown as given: escape where displayed.
     */
    public static String explain(NoveltyScore.Contribution c, String user) {
        StringBuilder sb = new StringBuilder();
        String where = c.context() == null ? "" : " with " + c.context();
        if (c.userCount() < 0.5) {
            sb.append("never seen for ").append(user);
        } else {
            sb.append("seen ").append(count(c.userCount())).append(" times for ").append(user);
        }
        sb.append(" (").append(count(c.userCount())).append(" of ").append(count(c.userContext())).append(" logins")
                .append(where).append("), ").append(percent(c.populationShare()))
                .append(c.context() == null ? " of all logins" : " of logins" + where);
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
        return String.format(Locale.ROOT, "%.3f%%", pct);
    }

    static double log2(double x) {
        return Math.log(x) / LN2;
    }
}
