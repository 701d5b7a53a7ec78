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
    private static final int FORMAT = 1;
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

    /** What {@link #type} found: every group's fit, best first; empty when there are no groups. */
    public record Typing(List<Fit> fits, long steps, double klBiasBits) {
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

    private record Seed(String userKey, Steps steps) {}

    private record Teaching(long group, Steps steps) {}

    private final GroupsModelConfig config;
    /** This parallel instance's index: part of every id it founds, so ids never collide across instances. */
    private final int instance;
    private final List<Group> groups = new ArrayList<>();
    private final TreeSet<String> vocabulary = new TreeSet<>();
    /** Ids of groups merged away, and the group that took them in. */
    private final Map<Long, Long> aliases = new LinkedHashMap<>();
    private long nextSeq = 1;

    private long pendingTs = Long.MIN_VALUE;
    private final List<Seed> pendingSeeds = new ArrayList<>();
    private final List<Teaching> pendingTeachings = new ArrayList<>();
    private final Map<Long, Long> pendingMembers = new HashMap<>();

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

    /** The id a group goes by now (a merged group's survivor), or the id itself; {@link UserGroup#NONE} if unknown. */
    public long resolve(long id) {
        long current = id;
        for (int hops = 0; hops <= aliases.size() && aliases.containsKey(current); hops++) {
            current = aliases.get(current);
        }
        return group(current) == null ? UserGroup.NONE : current;
    }

    private Group group(long id) {
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
        if (groups.isEmpty() || steps.total() == 0) {
            return new Typing(List.of(), steps.total(), 0);
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
        double[] logPosterior = new double[groups.size()];
        double[] kl = new double[groups.size()];
        double max = Double.NEGATIVE_INFINITY;
        for (int gi = 0; gi < groups.size(); gi++) {
            Group g = groups.get(gi);
            double logLikelihood = 0;
            for (int i = 0; i < steps.size(); i++) {
                if (steps.count[i] > 0) {
                    logLikelihood += steps.count[i] * log2(probability(g, steps.from[i], steps.to[i], v));
                }
            }
            kl[gi] = Math.max(0, -logLikelihood / n - entropyBits);
            logPosterior[gi] = log2(share(g.id)) + logLikelihood;
            max = Math.max(max, logPosterior[gi]);
        }
        double sum = 0;
        for (double lp : logPosterior) {
            sum += Math.pow(2, lp - max);
        }
        List<Fit> fits = new ArrayList<>(groups.size());
        for (int gi = 0; gi < groups.size(); gi++) {
            fits.add(new Fit(groups.get(gi).id, Math.pow(2, logPosterior[gi] - max) / sum, kl[gi]));
        }
        fits.sort(Comparator.comparingDouble((Fit f) -> -f.posterior));
        return new Typing(List.copyOf(fits), steps.total(), bias);
    }

    /** The divergence that counts against the KL limit: the measured one less a sample of this size's bias. */
    public static double correctedKl(Fit f, Typing t) {
        return Math.max(0, f.klBits() - t.klBiasBits());
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

    /** Whether a new group could still be founded (counting those waiting to be). */
    public boolean hasRoom() {
        return groups.size() + pendingSeeds.size() < config.maxGroups();
    }

    /**
     * Proposes a group founded on a user's steps, once event time moves on: founded then unless an
     * earlier proposal of the same instant (by user key) founded one within the limit of them.
     */
    public void propose(String userKey, Steps steps) {
        if (hasRoom()) {
            pendingSeeds.add(new Seed(userKey, steps.capped(SEED_WEIGHT * config.maxTeachPerSession())));
        }
    }

    private void flush() {
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
        pendingSeeds.sort(Comparator.comparing(Seed::userKey));
        for (Seed s : pendingSeeds) {
            Typing t = type(s.steps);
            Fit best = t.best();
            if (best != null && correctedKl(nearest(t), t) <= config.klLimitBits()) {
                continue; // an earlier founder of this instant already stands for them
            }
            if (groups.size() < config.maxGroups()) {
                Group g = new Group((nextSeq++ << 16) | (instance & 0xFFFF));
                g.addAll(s.steps);
                groups.add(g);
                learnVocabulary(s.steps);
            }
        }
        pendingSeeds.clear();
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
            Group keep = groups.get(bestA);
            Group gone = groups.remove(bestB);
            for (Map.Entry<String, Map<String, Long>> from : gone.counts.entrySet()) {
                for (Map.Entry<String, Long> to : from.getValue().entrySet()) {
                    keep.add(from.getKey(), to.getKey(), to.getValue());
                }
            }
            keep.members += gone.members;
            alias(gone.id, keep.id);
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
            out.groups.addAll(m.groups);
            out.vocabulary.addAll(m.vocabulary);
            out.aliases.putAll(m.aliases);
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static GroupModel fromBytes(GroupsModelConfig config, int instance, byte[] bytes) {
        GroupModel m = new GroupModel(config, instance);
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            int format = in.readInt();
            if (format != FORMAT) {
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
