package io.surprisal.groups;

import io.surprisal.config.SurprisalConfig.GroupsModelConfig;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Behaviour groups learned from the population: each group a centroid of transition counts (a
 * Markov chain over {@code action:status} states, additively smoothed over the model's vocabulary
 * so that every probability is positive and every KL divergence finite) and the number of users
 * typed into it.
 *
 * <p>A user's distance to a group is the KL divergence, in bits per step, of the user's empirical
 * transition distribution from the group's chain: {@code D = sum_ab p(a,b) log2(p(b|a) / q(b|a))}.
 * The naive-Bayes log-likelihood of the user's steps under the group is {@code sum_ab n(a,b) log2
 * q(b|a) = -N (H + D)}, so the posterior over groups ranks them as the divergence does, weighed by
 * evidence and the groups' sizes. Plain Java, no Flink.
 *
 * <p>What is taught waits until event time moves past the instant it was taught at ({@link
 * #advanceTo}), and new groups are founded in user-key order then, so the order in which users of
 * one instant are processed changes nothing.
 */
public final class GroupModel {
    /** The checkpoint layout: 2 adds the sessions typed per group of their users; 1 is still read. */
    private static final int FORMAT = 2;
    /**
     * The pseudo-sessions of a group's row of session rates ({@link #sessionRate}), spread over the
     * groups by their shares of users: the rate a group's users show before any of their sessions is counted.
     */
    static final double RATE_PRIOR_SESSIONS = 1.0;
    /** The bit that marks a provisional id ({@link #propose}); founded groups' ids never reach it. */
    static final long PROVISIONAL = 1L << 62;
    /** A founder's steps weigh as much as this many sessions' teaching. */
    static final int SEED_WEIGHT = 4;

    /** One group: its id, centroid counts and members. */
    static final class Group {
        final long id;
        final Map<String, Map<String, Long>> counts = new HashMap<>();
        final Map<String, Long> fromTotals = new HashMap<>();
        long steps;
        long members;

        Group(long id) {
            this.id = id;
        }

        long count(String from, String to) {
            Map<String, Long> next = counts.get(from);
            if (next == null) {
                return 0;
            }
            Long c = next.get(to);
            return c == null ? 0 : c;
        }

        long fromTotal(String from) {
            Long c = fromTotals.get(from);
            return c == null ? 0 : c;
        }

        void add(String from, String to, long n) {
            if (n <= 0) {
                return;
            }
            counts.computeIfAbsent(from, k -> new HashMap<>()).merge(to, n, Long::sum);
            fromTotals.merge(from, n, Long::sum);
            steps += n;
        }

        void addAll(Steps s) {
            for (int i = 0; i < s.size(); i++) {
                add(s.from[i], s.to[i], s.count[i]);
            }
        }
    }

    /** A group's posterior and the user's divergence from it. */
    public record Fit(long group, double posterior, double klBits) {}

    /**
     * What {@link #type} found: every group's fit, best first (empty when there are no groups), and
     * the posterior of the alternative that the steps come from none of them but from a chain of
     * their own ({@code newPosterior}; 1 when there are no groups). The posteriors sum to 1.
     */
    public record Typing(List<Fit> fits, long steps, double klBiasBits, double newPosterior) {
        public Fit best() {
            return fits.isEmpty() ? null : fits.get(0);
        }

        /** The fit of {@code group}, or null. */
        public Fit of(long group) {
            for (Fit f : fits) {
                if (f.group == group) {
                    return f;
                }
            }
            return null;
        }
    }

    /** A proposal: the proposer's steps (their evidence) and the capped share of them a group is founded on. */
    private record Seed(String userKey, long provisional, Steps evidence, Steps steps) {}

    private record Teaching(long group, Steps steps) {}

    private record TypedSession(long userGroup, long sessionGroup) {}

    private final GroupsModelConfig config;
    /** This parallel instance's index: part of every id it founds, so ids never collide across instances. */
    private final int instance;
    private final List<Group> groups = new ArrayList<>();
    private final TreeSet<String> vocabulary = new TreeSet<>();
    /** Ids of groups merged away, and the group that took them in. */
    private final Map<Long, Long> aliases = new LinkedHashMap<>();
    /**
     * Sessions typed into each group, by the group of their user at the time: {@code
     * sessions.get(g0).get(g)} is {typed, exposed}: of the sessions of users typed g0 counted while
     * g existed (exposed), typed sessions were typed g. At most max-groups squared entries; rows
     * and columns follow merges and go with retired groups.
     */
    private final Map<Long, Map<Long, long[]>> sessions = new HashMap<>();
    private long nextSeq = 1;

    private long pendingTs = Long.MIN_VALUE;
    private final List<Seed> pendingSeeds = new ArrayList<>();
    private final List<Teaching> pendingTeachings = new ArrayList<>();
    private final Map<Long, Long> pendingMembers = new HashMap<>();
    private final List<TypedSession> pendingSessions = new ArrayList<>();
    /** Pairs of groups a user's posterior was split between: merged at the next flush if they are one group. */
    private final TreeSet<String> pendingMerges = new TreeSet<>();

    public GroupModel(GroupsModelConfig config, int instance) {
        this.config = config;
        this.instance = instance;
    }

    /** The readable name of a group id, e.g. {@code g3.0} (the third group founded by instance 0). */
    public static String name(long id) {
        return id == UserGroup.NONE ? "-" : "g" + (id >>> 16) + "." + (id & 0xFFFF);
    }

    /** Moves to event time {@code ts}: what was taught before it joins the model. */
    public void advanceTo(long ts) {
        if (ts > pendingTs) {
            flush();
            pendingTs = ts;
        }
    }

    public int size() {
        return groups.size();
    }

    /** Group ids, in founding order. */
    public List<Long> ids() {
        List<Long> out = new ArrayList<>(groups.size());
        for (Group g : groups) {
            out.add(g.id);
        }
        return out;
    }

    /**
     * What a group does, for people: its {@code limit} most frequent transitions with their share
     * of the group's steps, e.g. {@code view_item:success>view_item:success 62%}.
     */
    public String describe(long id, int limit) {
        Group g = group(resolve(id));
        if (g == null) {
            return "-";
        }
        List<Map.Entry<String, Long>> pairs = new ArrayList<>();
        for (Map.Entry<String, Map<String, Long>> from : new java.util.TreeMap<>(g.counts).entrySet()) {
            for (Map.Entry<String, Long> to : new java.util.TreeMap<>(from.getValue()).entrySet()) {
                pairs.add(Map.entry(from.getKey() + ">" + to.getKey(), to.getValue()));
            }
        }
        pairs.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(limit, pairs.size()); i++) {
            sb.append(i == 0 ? "" : ", ").append(pairs.get(i).getKey())
                    .append(String.format(java.util.Locale.ROOT, " %.0f%%", 100.0 * pairs.get(i).getValue() / g.steps));
        }
        return sb.toString();
    }

    /** Users typed into the group (0 for an unknown id). */
    public long members(long id) {
        Group g = group(resolve(id));
        return g == null ? 0 : g.members;
    }

    /** The group's share of the users typed into any group, smoothed: (members + 1) / (all + groups). */
    public double share(long id) {
        long all = 0;
        for (Group g : groups) {
            all += g.members;
        }
        Group g = group(resolve(id));
        return ((g == null ? 0 : g.members) + 1.0) / (all + Math.max(1, groups.size()));
    }

    /**
     * How often the sessions of users typed {@code userGroup} are typed {@code sessionGroup}: the
     * population's rate, {@code (c(g0, g) + a share(g)) / (e(g0, g) + a)}, of the e sessions of
     * g0's users counted ({@link #countSession}) while g existed, c typed g, with a = {@link
     * #RATE_PRIOR_SESSIONS} pseudo-session at g's share of users (a beta prior). What a session of
     * group g costs a user of g0 who is still what they were: measured on the same population, a
     * typing ordinary users of g0 often get keeps its rate; a group founded lately is judged by
     * the sessions typed since, not by those that could not be typed into it.
     */
    public double sessionRate(long userGroup, long sessionGroup) {
        long g = resolve(sessionGroup);
        long[] cell = cell(userGroup, g);
        return (cell[0] + RATE_PRIOR_SESSIONS * share(g)) / (cell[1] + RATE_PRIOR_SESSIONS);
    }

    /** Sessions of users typed {@code userGroup} counted as typed {@code sessionGroup} (0 for unknown ids). */
    public long sessionsTyped(long userGroup, long sessionGroup) {
        return cell(userGroup, sessionGroup)[0];
    }

    /** Sessions of users typed {@code userGroup} counted while {@code sessionGroup} existed (0 for unknown ids). */
    public long sessionsExposed(long userGroup, long sessionGroup) {
        return cell(userGroup, sessionGroup)[1];
    }

    private long[] cell(long userGroup, long sessionGroup) {
        long[] cell = sessions.getOrDefault(resolve(userGroup), Map.of()).get(resolve(sessionGroup));
        return cell == null ? new long[2] : cell;
    }

    /**
     * A session of a user typed {@code userGroup} was typed {@code sessionGroup} (decisively): it
     * counts towards {@link #sessionRate} once event time moves on.
     */
    public void countSession(long userGroup, long sessionGroup) {
        if (userGroup != UserGroup.NONE && sessionGroup != UserGroup.NONE) {
            pendingSessions.add(new TypedSession(userGroup, sessionGroup));
        }
    }

    private void addSessions(long userGroup, long sessionGroup, long typed, long exposed) {
        long[] cell = sessions.computeIfAbsent(userGroup, k -> new HashMap<>()).computeIfAbsent(sessionGroup, k -> new long[2]);
        cell[0] += typed;
        cell[1] += exposed;
    }

    /** The id a group goes by now (a merged group's survivor), or the id itself; {@link UserGroup#NONE} if unknown. */
    public long resolve(long id) {
        long current = id;
        for (int hops = 0; hops <= aliases.size() && aliases.containsKey(current); hops++) {
            current = aliases.get(current);
        }
        return group(current) == null ? UserGroup.NONE : current;
    }

    Group group(long id) {
        for (Group g : groups) {
            if (g.id == id) {
                return g;
            }
        }
        return null;
    }

    /**
     * The smoothed q(to | from) of a group: {@code smoothing} pseudo-steps out of every state, shared
     * evenly by the {@code vocabularySize} states, so that a group with few steps is not flattened.
     */
    double probability(Group g, String from, String to, int vocabularySize) {
        double s = config.smoothing();
        return (g.count(from, to) + s / vocabularySize) / (g.fromTotal(from) + s);
    }

    /** The vocabulary the steps are judged over: the model's, plus the steps' states it does not know. */
    private int vocabularySize(Steps steps) {
        int unknown = 0;
        TreeSet<String> extra = new TreeSet<>();
        for (int i = 0; i < steps.size(); i++) {
            if (!vocabulary.contains(steps.to[i]) && extra.add(steps.to[i])) {
                unknown++;
            }
        }
        return Math.max(1, vocabulary.size() + unknown);
    }

    /**
     * Every group's posterior for {@code steps} (prior: the groups' smoothed shares of users) and the
     * steps' KL divergence from it, best first (ties: the older group). {@code klBiasBits}: the
     * divergence a sample of this size shows from its own chain on average (Miller-Madow: the
     * distinct next states seen after each state, less one, summed, over 2N ln 2).
     */
    public Typing type(Steps steps) {
        if (steps.total() == 0) {
            return new Typing(List.of(), 0, 0, groups.isEmpty() ? 1 : 0);
        }
        int v = vocabularySize(steps);
        Map<String, Long> fromTotals = new HashMap<>();
        Map<String, Integer> outcomes = new HashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            if (steps.count[i] > 0) {
                fromTotals.merge(steps.from[i], steps.count[i], Long::sum);
                outcomes.merge(steps.from[i], 1, Integer::sum);
            }
        }
        double n = steps.total();
        double entropyBits = 0; // conditional entropy of the steps' own distribution, bits per step
        for (int i = 0; i < steps.size(); i++) {
            long c = steps.count[i];
            if (c > 0) {
                entropyBits -= c / n * log2((double) c / fromTotals.get(steps.from[i]));
            }
        }
        int freeParameters = 0;
        for (int k : outcomes.values()) {
            freeParameters += k - 1;
        }
        double bias = freeParameters / (2 * n * Math.log(2));
        if (groups.isEmpty()) {
            return new Typing(List.of(), steps.total(), bias, 1);
        }
        double[] logPosterior = new double[groups.size()];
        double[] kl = new double[groups.size()];
        // Which group: naive Bayes among the groups, their shares of users the prior.
        double all = allMembers() + groups.size() + 1;
        double max = Double.NEGATIVE_INFINITY;
        double[] logBeyond = new double[groups.size()];
        boolean anyWithin = false;
        for (int gi = 0; gi < groups.size(); gi++) {
            Group g = groups.get(gi);
            double logLikelihood = 0;
            for (int i = 0; i < steps.size(); i++) {
                if (steps.count[i] > 0) {
                    logLikelihood += steps.count[i] * log2(probability(g, steps.from[i], steps.to[i], v));
                }
            }
            kl[gi] = Math.max(0, -logLikelihood / n - entropyBits);
            double logPrior = log2((g.members + 1.0) / all);
            logPosterior[gi] = logPrior + logLikelihood;
            // Beyond the limit, a group is judged by its centroid (less the divergence a sample of
            // this size shows from its own chain, which its own chain gets for free).
            double beyond = Math.max(0, kl[gi] - bias);
            anyWithin |= within(beyond, n);
            logBeyond[gi] = logPrior - n * (entropyBits + beyond);
            max = Math.max(max, logPosterior[gi]);
        }
        double sum = 0;
        for (double lp : logPosterior) {
            sum += Math.pow(2, lp - max);
        }
        // Whether any group at all. Steps within the limit of a group are of it (a group founded on
        // them would be that group). Steps beyond every one: against a chain of their own, drawn
        // from the prior the groups' smoothing assumes around the population's chain (its
        // probabilities integrated out, Dirichlet-multinomial), with one user's prior weight.
        double newPosterior = 0;
        if (!anyWithin) {
            double logNew = log2(1 / all) + logMarginalOfOwnChain(steps, fromTotals, v);
            double maxOwn = logNew;
            for (double lb : logBeyond) {
                maxOwn = Math.max(maxOwn, lb);
            }
            double sumOwn = Math.pow(2, logNew - maxOwn);
            for (double lb : logBeyond) {
                sumOwn += Math.pow(2, lb - maxOwn);
            }
            newPosterior = Math.pow(2, logNew - maxOwn) / sumOwn;
        }
        List<Fit> fits = new ArrayList<>(groups.size());
        for (int gi = 0; gi < groups.size(); gi++) {
            fits.add(new Fit(groups.get(gi).id, (1 - newPosterior) * Math.pow(2, logPosterior[gi] - max) / sum, kl[gi]));
        }
        fits.sort(Comparator.comparingDouble((Fit f) -> -f.posterior));
        return new Typing(List.copyOf(fits), steps.total(), bias, newPosterior);
    }

    /**
     * log2 of the probability of {@code steps} under a chain of their own whose rows are unknown:
     * each row drawn from a Dirichlet around the population's row (all groups' counts pooled,
     * smoothed as a group's are) with the groups' smoothing as its concentration, the row's
     * probabilities integrated out: per state left, {@code lnG(s) - lnG(s + n_a) + sum_b lnG(s q0(b|a)
     * + n_ab) - lnG(s q0(b|a))}. A chain of the steps' own pays for every row it learns, so a short
     * history is explained better by an existing group unless it differs from all of them.
     */
    double logMarginalOfOwnChain(Steps steps, Map<String, Long> fromTotals, int v) {
        double s = config.smoothing();
        double ln = 0;
        Map<String, Long> pooledFrom = new HashMap<>();
        for (String a : fromTotals.keySet()) {
            long c = 0;
            for (Group g : groups) {
                c += g.fromTotal(a);
            }
            pooledFrom.put(a, c);
            ln += lnGamma(s) - lnGamma(s + fromTotals.get(a));
        }
        for (int i = 0; i < steps.size(); i++) {
            if (steps.count[i] > 0) {
                long c = 0;
                for (Group g : groups) {
                    c += g.count(steps.from[i], steps.to[i]);
                }
                double q0 = (c + s / v) / (pooledFrom.get(steps.from[i]) + s);
                ln += lnGamma(s * q0 + steps.count[i]) - lnGamma(s * q0);
            }
        }
        return ln / Math.log(2);
    }

    private static final double[] LANCZOS = {0.99999999999980993, 676.5203681218851, -1259.1392167224028,
        771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
        9.9843695780195716e-6, 1.5056327351493116e-7};

    /** ln Gamma(x) for x > 0 (Lanczos, g = 7; about 15 significant digits). */
    static double lnGamma(double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
        }
        double z = x - 1;
        double sum = LANCZOS[0];
        for (int i = 1; i < LANCZOS.length; i++) {
            sum += LANCZOS[i] / (z + i);
        }
        double t = z + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }

    private long allMembers() {
        long all = 0;
        for (Group g : groups) {
            all += g.members;
        }
        return all;
    }

    /** The divergence that counts against the KL limit: the measured one less a sample of this size's bias. */
    public static double correctedKl(Fit f, Typing t) {
        return Math.max(0, f.klBits() - t.klBiasBits());
    }

    /**
     * The KL divergence, in bits in all, that steps drawn from group {@code g}'s chain show from
     * it on average when they leave each state {@code a} as often as {@code visits} says: per
     * state, {@code n_a (H(q_a) - E[H^(n_a)])}, the row's entropy less the expected entropy of the
     * empirical distribution of n_a draws from it. A state left once adds the row's entropy (one
     * draw is at the row's surprisal of it from the row); a state left often adds about (k - 1) /
     * (2 ln 2), Miller-Madow's term, k the row's outcomes. Exact for every n_a.
     */
    double sampleDivergenceBits(Group g, Map<String, Long> visits, int v) {
        double s = config.smoothing();
        double total = 0;
        for (Map.Entry<String, Long> e : new java.util.TreeMap<>(visits).entrySet()) {
            long n = e.getValue();
            Map<String, Long> next = new java.util.TreeMap<>(g.counts.getOrDefault(e.getKey(), Map.of()));
            double denominator = g.fromTotal(e.getKey()) + s;
            double entropy = 0;
            double expected = 0;
            for (long c : next.values()) {
                double q = (c + s / v) / denominator;
                entropy -= q * log2(q);
                expected += expectedPlugIn(n, q);
            }
            int unseen = Math.max(0, v - next.size());
            if (unseen > 0) {
                double q = (s / v) / denominator;
                entropy -= unseen * q * log2(q);
                expected += unseen * expectedPlugIn(n, q);
            }
            total += n * Math.max(0, entropy - expected);
        }
        return total;
    }

    /**
     * From this variance of X, {@link #expectedPlugIn} is its expansion in 1/n, not a sum of about 18
     * standard deviations' terms: two merge candidates' rows are summed over every state and outcome
     * at each check. The expansion's remainder is about 1e-10 bits at this bound, and smaller beyond
     * it than the sum's own rounding once n passes 10^5.
     */
    static final double PLUG_IN_EXPANSION_MIN_VARIANCE = 100;

    /**
     * E[(X / n) log2(n / X)] for X ~ Binomial(n, q) (0 where X = 0): one outcome's term of the
     * expected entropy of n draws' empirical distribution. Summed outwards from the mode until the
     * probabilities fall below 1e-17 of the mode's; for a large n q (1 - q), the expansion
     * -q ln q - (1 - q) / 2n - (1/q - q) / 12n^2 - (1/q^2 - 1/q) / 12n^3 (nats), whose sum over the
     * outcomes is Harris's (1975) for the plug-in entropy.
     */
    static double expectedPlugIn(long n, double q) {
        if (n <= 0 || q <= 0 || q >= 1) {
            return 0;
        }
        if (n * q * (1 - q) >= PLUG_IN_EXPANSION_MIN_VARIANCE) {
            double m = n;
            return (-q * Math.log(q) - (1 - q) / (2 * m) - (1 / q - q) / (12 * m * m)
                    - (1 / (q * q) - 1 / q) / (12 * m * m * m)) / Math.log(2);
        }
        return expectedPlugInBySum(n, q);
    }

    /** {@link #expectedPlugIn} as the sum over X, for any n. */
    static double expectedPlugInBySum(long n, double q) {
        if (n <= 0 || q <= 0 || q >= 1) {
            return 0;
        }
        long mode = Math.min(n, (long) Math.floor((n + 1) * q));
        double atMode = Math.exp(lnGamma(n + 1.0) - lnGamma(mode + 1.0) - lnGamma(n - mode + 1.0)
                + mode * Math.log(q) + (n - mode) * Math.log1p(-q));
        double odds = q / (1 - q);
        double sum = atMode * plugInTerm(mode, n);
        double p = atMode;
        for (long k = mode; k < n; k++) {
            p *= (double) (n - k) / (k + 1) * odds;
            if (p < 1e-17 * atMode) {
                break;
            }
            sum += p * plugInTerm(k + 1, n);
        }
        p = atMode;
        for (long k = mode; k > 1; k--) {
            p *= (double) k / (n - k + 1) / odds;
            if (p < 1e-17 * atMode) {
                break;
            }
            sum += p * plugInTerm(k - 1, n);
        }
        return sum;
    }

    private static double plugInTerm(long k, long n) {
        return k == 0 ? 0 : (double) k / n * log2((double) n / k);
    }

    /**
     * Whether the steps lie within the KL limit of the fit's group: unless they are decisively
     * beyond it, i.e. their own chain explains them better than any chain within the limit of the
     * centroid by more than min-posterior's odds (n (D - limit) bits above log2(p / (1 - p))). A
     * short history is judged within unless it says otherwise; a long one must be close.
     */
    public boolean within(Fit f, Typing t) {
        return within(correctedKl(f, t), t.steps());
    }

    /**
     * Whether the steps more likely lie within the KL limit of the fit's group than beyond it: the
     * statistic of {@link #within} at even odds, not at min-posterior's (their corrected divergence
     * at most the limit). What a session must show to teach its user's group: a short history not
     * decisively beyond a group is typed into it, but it moves the centroid only once its steps say
     * it belongs, so that a thin group is not taught another kind's steps by a few users too short
     * to be told apart from it.
     */
    public boolean likelyWithin(Fit f, Typing t) {
        return correctedKl(f, t) <= config.klLimitBits();
    }

    private boolean within(double correctedKlBits, double steps) {
        double decisive = log2(config.minPosterior() / (1 - config.minPosterior()));
        return steps * (correctedKlBits - config.klLimitBits()) <= decisive;
    }

    /** Teaches group {@code id} these steps (capped at max-teach-per-session), once event time moves on. */
    public void teach(long id, Steps steps) {
        if (steps.total() > 0) {
            pendingTeachings.add(new Teaching(id, steps.capped(config.maxTeachPerSession())));
        }
    }

    /** A user moves from group {@code from} to group {@code to} (either may be {@link UserGroup#NONE}). */
    public void move(long from, long to) {
        if (from != UserGroup.NONE) {
            pendingMembers.merge(from, -1L, Long::sum);
        }
        if (to != UserGroup.NONE) {
            pendingMembers.merge(to, 1L, Long::sum);
        }
    }

    /** The id a proposal of {@code userKey} goes by until it is founded (then an alias of its group). */
    static long provisionalId(String userKey) {
        return PROVISIONAL | (userKey.hashCode() & 0xFFFFFFFFL);
    }

    /**
     * Proposes a group founded on a user's steps, once event time moves on, and returns the id the
     * user's group goes by meanwhile: at the flush it becomes an alias of the group founded, or of
     * the group an earlier proposal of the same instant (by user key) founded within the limit of
     * these steps; it resolves to no group if none could be founded.
     */
    public long propose(String userKey, Steps steps) {
        long id = provisionalId(userKey);
        pendingSeeds.add(new Seed(userKey, id, steps, steps.capped(SEED_WEIGHT * config.maxTeachPerSession())));
        return id;
    }

    /**
     * A user's posterior was split between groups {@code a} and {@code b}: at the next flush they
     * are merged if each centroid lies within the KL limit of the other (the same group, founded twice).
     */
    public void splitBetween(long a, long b) {
        if (a != b && a != UserGroup.NONE && b != UserGroup.NONE) {
            pendingMerges.add(Math.min(a, b) + ":" + Math.max(a, b));
        }
    }

    private void flush() {
        pendingSeeds.sort(Comparator.comparing(Seed::userKey));
        for (Seed s : pendingSeeds) {
            // Judged on all the proposer's steps, as at their close: a bot's thousands of steps
            // capped to a founder's weight would lie within the limit of groups they are far from.
            Typing t = type(s.evidence);
            Fit near = nearest(t);
            if (near != null && within(near, t)) {
                alias(s.provisional, near.group()); // an earlier founder of this instant already stands for them
                continue;
            }
            if (groups.size() >= config.maxGroups()) {
                makeRoom();
            }
            if (groups.size() < config.maxGroups()) {
                Group g = new Group((nextSeq++ << 16) | (instance & 0xFFFF));
                g.addAll(s.steps);
                groups.add(g);
                learnVocabulary(s.steps);
                alias(s.provisional, g.id);
            }
        }
        pendingSeeds.clear();
        for (Map.Entry<Long, Long> e : new java.util.TreeMap<>(pendingMembers).entrySet()) {
            Group g = group(resolve(e.getKey()));
            if (g != null) {
                g.members = Math.max(0, g.members + e.getValue());
            }
        }
        pendingMembers.clear();
        for (Teaching t : pendingTeachings) {
            Group g = group(resolve(t.group));
            if (g != null) {
                g.addAll(t.steps);
                learnVocabulary(t.steps);
            }
        }
        pendingTeachings.clear();
        for (TypedSession t : pendingSessions) {
            long from = resolve(t.userGroup);
            long to = resolve(t.sessionGroup);
            if (from != UserGroup.NONE && to != UserGroup.NONE) {
                for (Group g : groups) {
                    addSessions(from, g.id, g.id == to ? 1 : 0, 1);
                }
            }
        }
        pendingSessions.clear();
        for (String pair : pendingMerges) {
            String[] ab = pair.split(":");
            Group a = group(resolve(Long.parseLong(ab[0])));
            Group b = group(resolve(Long.parseLong(ab[1])));
            if (a != null && b != null && a != b && sameGroup(a, b)) {
                merge(a, b);
            }
        }
        pendingMerges.clear();
    }

    /**
     * Whether each centroid lies within the KL limit of the other, as a user's steps are judged:
     * not decisively beyond it ({@link #within}), its divergence from the other less what a sample
     * of the other's chain with as many visits to each state shows by chance ({@link
     * #excessDivergence}). A centroid of a few dozen steps is as much a sample as a user's history.
     */
    boolean sameGroup(Group a, Group b) {
        return withinGroup(a, b) && withinGroup(b, a);
    }

    private boolean withinGroup(Group a, Group b) {
        if (a.steps == 0) {
            return true;
        }
        int v = Math.max(1, vocabulary.size());
        double bits = divergenceBits(a, b, v);
        // A sample's expected divergence is at most its expected chi-square, (outcomes - 1) nats per
        // state left: steps beyond the limit even after that much are beyond it (no sum needed).
        double most = 0;
        for (String from : a.fromTotals.keySet()) {
            most += (Math.max(v, b.counts.getOrDefault(from, Map.of()).size()) - 1) / Math.log(2);
        }
        return within(Math.max(0, (bits - most) / a.steps), a.steps)
                && within(Math.max(0, (bits - sampleDivergenceBits(b, a.fromTotals, v)) / a.steps), a.steps);
    }

    /**
     * How far group {@code a}'s chain lies from group {@code b}'s beyond chance, in bits per step:
     * the KL divergence of a's counts (a's own transition distribution, as a user's steps are
     * compared) from b's chain, less the divergence steps drawn from b's chain with a's visits to
     * each state show from it on average ({@link #sampleDivergenceBits}). A centroid is a sample
     * too: one founded on a few dozen steps differs from another group of its kind by about that
     * much by chance.
     */
    double excessDivergence(Group a, Group b) {
        if (a.steps == 0) {
            return 0;
        }
        int v = Math.max(1, vocabulary.size());
        return Math.max(0, (divergenceBits(a, b, v) - sampleDivergenceBits(b, a.fromTotals, v)) / a.steps);
    }

    /** The KL divergence of a's counts (its own transition distribution) from b's chain, in bits in all. */
    private double divergenceBits(Group a, Group b, int v) {
        double bits = 0;
        for (Map.Entry<String, Map<String, Long>> from : new java.util.TreeMap<>(a.counts).entrySet()) {
            double leaving = a.fromTotal(from.getKey());
            for (Map.Entry<String, Long> to : new java.util.TreeMap<>(from.getValue()).entrySet()) {
                bits += to.getValue() * log2(to.getValue() / leaving / probability(b, from.getKey(), to.getKey(), v));
            }
        }
        return bits;
    }

    /**
     * At the bound, room for a founder: the closest pair of groups that are one group (each within
     * the limit of the other) merged; else a group no user is typed into retired (of those, the one
     * with the fewest steps). A group that holds users is never dropped for a newcomer.
     */
    private void makeRoom() {
        Group bestA = null;
        Group bestB = null;
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < groups.size(); i++) {
            for (int j = i + 1; j < groups.size(); j++) {
                Group a = groups.get(i);
                Group b = groups.get(j);
                if (!sameGroup(a, b)) {
                    continue;
                }
                double apart = excessDivergence(a, b) + excessDivergence(b, a);
                if (apart < best) {
                    best = apart;
                    bestA = a;
                    bestB = b;
                }
            }
        }
        if (bestA != null) {
            merge(bestA, bestB);
            return;
        }
        Group idle = null;
        for (Group g : groups) {
            if (g.members == 0 && (idle == null || g.steps < idle.steps)) {
                idle = g;
            }
        }
        if (idle != null) {
            groups.remove(idle);
            forgetSessions(idle.id);
        }
    }

    /** Merges {@code b} into {@code a}, or {@code a} into {@code b} when {@code b} holds more users. */
    private void merge(Group a, Group b) {
        Group keep = b.members > a.members ? b : a;
        Group gone = keep == a ? b : a;
        for (Map.Entry<String, Map<String, Long>> from : gone.counts.entrySet()) {
            for (Map.Entry<String, Long> to : from.getValue().entrySet()) {
                keep.add(from.getKey(), to.getKey(), to.getValue());
            }
        }
        keep.members += gone.members;
        groups.remove(gone);
        alias(gone.id, keep.id);
        // Columns first: sessions typed into either, exposed while either existed (both, mostly: the longer).
        for (Map<Long, long[]> row : sessions.values()) {
            long[] c = row.remove(gone.id);
            if (c != null) {
                long[] k = row.computeIfAbsent(keep.id, x -> new long[2]);
                k[0] += c[0];
                k[1] = Math.max(k[1], c[1]);
            }
        }
        // Then rows: the sessions of either group's users.
        Map<Long, long[]> goneRow = sessions.remove(gone.id);
        if (goneRow != null) {
            goneRow.forEach((to, c) -> addSessions(keep.id, to, c[0], c[1]));
        }
    }

    /** A retired group's row and column of typed sessions go with it. */
    private void forgetSessions(long id) {
        sessions.remove(id);
        for (Map<Long, long[]> row : sessions.values()) {
            row.remove(id);
        }
    }

    /** The fit of least divergence. */
    public static Fit nearest(Typing t) {
        Fit out = null;
        for (Fit f : t.fits()) {
            if (out == null || f.klBits() < out.klBits()) {
                out = f;
            }
        }
        return out;
    }

    private void learnVocabulary(Steps s) {
        for (int i = 0; i < s.size(); i++) {
            if (vocabulary.size() >= config.maxVocabulary()) {
                return;
            }
            vocabulary.add(s.from[i]);
            vocabulary.add(s.to[i]);
        }
    }

    /**
     * The divergence of group {@code a}'s chain from group {@code b}'s, weighted by how often
     * {@code a} leaves each state, in bits per step.
     */
    double divergence(Group a, Group b) {
        int v = Math.max(1, vocabulary.size());
        double d = 0;
        if (a.steps == 0) {
            return 0;
        }
        for (Map.Entry<String, Long> from : new java.util.TreeMap<>(a.fromTotals).entrySet()) {
            double weight = (double) from.getValue() / a.steps;
            for (String to : vocabulary) {
                double p = probability(a, from.getKey(), to, v);
                d += weight * p * log2(p / probability(b, from.getKey(), to, v));
            }
        }
        return d;
    }

    /** Merges the closest pairs of groups (symmetric divergence) until at most {@code max} remain. */
    void mergeDownTo(int max) {
        while (groups.size() > max) {
            int bestA = -1;
            int bestB = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int i = 0; i < groups.size(); i++) {
                for (int j = i + 1; j < groups.size(); j++) {
                    double d = divergence(groups.get(i), groups.get(j)) + divergence(groups.get(j), groups.get(i));
                    if (d < best) {
                        best = d;
                        bestA = i;
                        bestB = j;
                    }
                }
            }
            merge(groups.get(bestA), groups.get(bestB));
        }
    }

    private void alias(long gone, long survivor) {
        aliases.put(gone, survivor);
        // Bounded: the oldest aliases go first (users typed into such old groups are typed afresh).
        while (aliases.size() > 8 * config.maxGroups()) {
            aliases.remove(aliases.keySet().iterator().next());
        }
    }

    // Checkpoints: the whole model, pending included, tagged with the instance and parallelism.

    public byte[] toTaggedBytes(int owner, int parallelism) {
        GroupModel copy = fromBytes(config, instance, toBytes());
        copy.pendingMembers.putAll(pendingMembers);
        copy.pendingTeachings.addAll(pendingTeachings);
        copy.pendingSeeds.addAll(pendingSeeds);
        copy.pendingMerges.addAll(pendingMerges);
        copy.pendingSessions.addAll(pendingSessions);
        copy.flush();
        byte[] body = copy.toBytes();
        return ByteBuffer.allocate(8 + body.length).putInt(owner).putInt(parallelism).put(body).array();
    }

    public static int ownerOf(byte[] tagged) {
        return ByteBuffer.wrap(tagged).getInt(0);
    }

    public static int parallelismOf(byte[] tagged) {
        return ByteBuffer.wrap(tagged).getInt(4);
    }

    /**
     * The model of this instance restored from checkpoint entries ({@code InstanceShares}): its own
     * entry at the same parallelism; after a rescale, every old instance's groups with their counts
     * divided among {@code owners}, merged down to max-groups.
     */
    public static GroupModel restore(GroupsModelConfig config, int instance, List<byte[]> tagged, int owners) {
        if (tagged.size() == 1) {
            GroupModel m = fromBytes(config, instance, java.util.Arrays.copyOfRange(tagged.get(0), 8, tagged.get(0).length));
            if (owners > 1) {
                m.shareCounts(owners);
            }
            return m;
        }
        GroupModel out = new GroupModel(config, instance);
        for (byte[] t : tagged) {
            GroupModel m = fromBytes(config, instance, java.util.Arrays.copyOfRange(t, 8, t.length));
            m.shareCounts(owners);
            for (Group g : m.groups) {
                // A group several instances hold (all of them restored one model after a rescale
                // up) comes back once, with their shares added.
                Group same = out.group(g.id);
                if (same == null) {
                    out.groups.add(g);
                } else {
                    g.counts.forEach((from, next) -> next.forEach((to, n) -> same.add(from, to, n)));
                    same.members += g.members;
                }
            }
            out.vocabulary.addAll(m.vocabulary);
            out.aliases.putAll(m.aliases);
            m.sessions.forEach((from, row) -> row.forEach((to, c) -> out.addSessions(from, to, c[0], c[1])));
            out.nextSeq = Math.max(out.nextSeq, m.nextSeq);
        }
        out.groups.sort(Comparator.comparingLong(g -> g.id));
        while (out.vocabulary.size() > config.maxVocabulary()) {
            out.vocabulary.pollLast();
        }
        out.mergeDownTo(config.maxGroups());
        return out;
    }

    private void shareCounts(int owners) {
        for (Group g : groups) {
            Group shared = new Group(g.id);
            for (Map.Entry<String, Map<String, Long>> from : g.counts.entrySet()) {
                for (Map.Entry<String, Long> to : from.getValue().entrySet()) {
                    shared.add(from.getKey(), to.getKey(), (to.getValue() + owners - 1) / owners);
                }
            }
            g.counts.clear();
            g.counts.putAll(shared.counts);
            g.fromTotals.clear();
            g.fromTotals.putAll(shared.fromTotals);
            g.steps = shared.steps;
            g.members = (g.members + owners - 1) / owners;
        }
        for (Map<Long, long[]> row : sessions.values()) {
            for (long[] c : row.values()) {
                c[0] = (c[0] + owners - 1) / owners;
                c[1] = (c[1] + owners - 1) / owners;
            }
        }
    }

    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(FORMAT);
            out.writeLong(nextSeq);
            out.writeInt(vocabulary.size());
            for (String s : vocabulary) {
                out.writeUTF(s);
            }
            out.writeInt(aliases.size());
            for (Map.Entry<Long, Long> a : aliases.entrySet()) {
                out.writeLong(a.getKey());
                out.writeLong(a.getValue());
            }
            out.writeInt(groups.size());
            for (Group g : groups) {
                out.writeLong(g.id);
                out.writeLong(g.members);
                int pairs = 0;
                for (Map<String, Long> next : g.counts.values()) {
                    pairs += next.size();
                }
                out.writeInt(pairs);
                for (Map.Entry<String, Map<String, Long>> from : new java.util.TreeMap<>(g.counts).entrySet()) {
                    for (Map.Entry<String, Long> to : new java.util.TreeMap<>(from.getValue()).entrySet()) {
                        out.writeUTF(from.getKey());
                        out.writeUTF(to.getKey());
                        out.writeLong(to.getValue());
                    }
                }
            }
            int cells = 0;
            for (Map<Long, long[]> row : sessions.values()) {
                cells += row.size();
            }
            out.writeInt(cells);
            for (Map.Entry<Long, Map<Long, long[]>> from : new java.util.TreeMap<>(sessions).entrySet()) {
                for (Map.Entry<Long, long[]> to : new java.util.TreeMap<>(from.getValue()).entrySet()) {
                    out.writeLong(from.getKey());
                    out.writeLong(to.getKey());
                    out.writeLong(to.getValue()[0]);
                    out.writeLong(to.getValue()[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static GroupModel fromBytes(GroupsModelConfig config, int instance, byte[] bytes) {
        GroupModel m = new GroupModel(config, instance);
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            int format = in.readInt();
            if (format != FORMAT && format != 1) {
                throw new IllegalStateException("unknown behaviour-groups format " + format);
            }
            m.nextSeq = in.readLong();
            for (int i = in.readInt(); i > 0; i--) {
                m.vocabulary.add(in.readUTF());
            }
            for (int i = in.readInt(); i > 0; i--) {
                m.aliases.put(in.readLong(), in.readLong());
            }
            for (int i = in.readInt(); i > 0; i--) {
                Group g = new Group(in.readLong());
                g.members = in.readLong();
                for (int j = in.readInt(); j > 0; j--) {
                    g.add(in.readUTF(), in.readUTF(), in.readLong());
                }
                m.groups.add(g);
            }
            // Layout 1 counted no typed sessions: the rates start from their prior.
            for (int i = format >= 2 ? in.readInt() : 0; i > 0; i--) {
                m.addSessions(in.readLong(), in.readLong(), in.readLong(), in.readLong());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
