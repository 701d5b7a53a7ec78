package io.surprisal.tools.groups;

import io.surprisal.alert.Alert;
import io.surprisal.event.UserKey;
import io.surprisal.groups.GroupModel;
import io.surprisal.groups.UserGroup;
import io.surprisal.sim.UserLabel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How well behaviour groups match the simulator's true types.
 *
 * <ul>
 *   <li>A group's type: the type most of its users have (ties: the first in table order).
 *   <li>Purity of a type (the headline): of the users in the groups whose type it is, plus the
 *       type's untyped users, the share of that type in those groups. An untyped user counts as a
 *       miss: a type whose users mostly stay untyped has a low purity however clean its groups.
 *   <li>Purity of the typed: the same without the untyped users, the textbook cluster purity
 *       (empty when no group has the type: it was never told apart).
 *   <li>Typed: the share of the type's users the evidence rule has typed (untyped: too few steps,
 *       no decisive posterior, or no group within the limit).
 *   <li>Coverage of a type: the share of its typed users in groups of that type.
 *   <li>Group changes: users with a {@code group-change} alert, per type and scenario; takeover
 *       users are the ones it is for, normal users without an attack scenario are its false alarms.
 * </ul>
 */
public final class GroupsReport {
    static final List<String> TYPES = List.of("buyer", "merchant", "bot", "spammer", "fraudster", "attacker");

    /** One type's figures. */
    public record TypeRow(String type, int users, int untyped, int inOwnGroups, int ownGroupsMembers) {
        /** The headline purity: untyped users of the type count as misses. */
        public double purity() {
            int judged = ownGroupsMembers + untyped;
            return judged == 0 ? Double.NaN : (double) inOwnGroups / judged;
        }

        /** Purity among the typed users only (untyped users left out). */
        public double typedPurity() {
            return ownGroupsMembers == 0 ? Double.NaN : (double) inOwnGroups / ownGroupsMembers;
        }

        /** The share of the type's users that have a group. */
        public double typed() {
            return users == 0 ? Double.NaN : (double) (users - untyped) / users;
        }

        public double coverage() {
            int typed = users - untyped;
            return typed == 0 ? Double.NaN : (double) inOwnGroups / typed;
        }
    }

    private final Map<String, Map<String, Integer>> confusion; // type -> group -> users
    private final Map<String, String> groupType;
    private final List<TypeRow> rows;
    private final Map<String, int[]> changes; // "type/scenario" -> {users, with group-change}
    private final int groups;
    private final List<String> descriptions = new ArrayList<>();

    private GroupsReport(Map<String, Map<String, Integer>> confusion, Map<String, String> groupType, List<TypeRow> rows,
            Map<String, int[]> changes, int groups) {
        this.confusion = confusion;
        this.groupType = groupType;
        this.rows = rows;
        this.changes = changes;
        this.groups = groups;
    }

    public static GroupsReport of(GroupsReplay.Result r, Map<String, UserLabel> labels) {
        Map<String, Map<String, Integer>> confusion = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> byGroup = new TreeMap<>();
        Map<String, int[]> untyped = new HashMap<>();
        Map<String, Integer> usersOfType = new HashMap<>();
        for (Map.Entry<String, UserGroup> e : r.users().entrySet()) {
            UserLabel label = labels.get(e.getKey());
            if (label == null) {
                continue;
            }
            usersOfType.merge(label.type(), 1, Integer::sum);
            if (e.getValue().group == UserGroup.NONE) {
                untyped.computeIfAbsent(label.type(), t -> new int[1])[0]++;
                continue;
            }
            String g = GroupModel.name(e.getValue().group);
            confusion.computeIfAbsent(label.type(), t -> new TreeMap<>()).merge(g, 1, Integer::sum);
            byGroup.computeIfAbsent(g, x -> new HashMap<>()).merge(label.type(), 1, Integer::sum);
        }
        Map<String, String> groupType = new TreeMap<>();
        Map<String, Integer> groupSize = new HashMap<>();
        byGroup.forEach((g, types) -> {
            String best = null;
            int size = 0;
            for (String t : order(types.keySet())) {
                size += types.get(t);
                if (best == null || types.get(t) > types.get(best)) {
                    best = t;
                }
            }
            groupType.put(g, best);
            groupSize.put(g, size);
        });
        List<TypeRow> rows = new ArrayList<>();
        for (String t : order(usersOfType.keySet())) {
            int in = 0;
            int members = 0;
            for (Map.Entry<String, String> gt : groupType.entrySet()) {
                if (gt.getValue().equals(t)) {
                    members += groupSize.get(gt.getKey());
                    in += byGroup.get(gt.getKey()).getOrDefault(t, 0);
                }
            }
            int[] u = untyped.get(t);
            rows.add(new TypeRow(t, usersOfType.get(t), u == null ? 0 : u[0], in, members));
        }
        Set<String> changed = new HashSet<>();
        for (Alert a : r.changes()) {
            changed.add(UserKey.of(a.tenant, a.user));
        }
        Map<String, int[]> changes = new TreeMap<>();
        for (String user : r.users().keySet()) {
            UserLabel label = labels.get(user);
            if (label != null) {
                int[] c = changes.computeIfAbsent(label.type() + "/" + label.scenario(), k -> new int[2]);
                c[0]++;
                c[1] += changed.contains(user) ? 1 : 0;
            }
        }
        int groups = 0;
        for (GroupModel m : r.models()) {
            groups += m.size();
        }
        GroupsReport rep = new GroupsReport(confusion, groupType, rows, changes, groups);
        for (GroupModel m : r.models()) {
            for (long id : m.ids()) {
                rep.descriptions.add(String.format(Locale.ROOT, "%-7s %5d users  %s", GroupModel.name(id), m.members(id), m.describe(id, 4)));
            }
        }
        return rep;
    }

    private static List<String> order(Set<String> types) {
        List<String> out = new ArrayList<>();
        for (String t : TYPES) {
            if (types.contains(t)) {
                out.add(t);
            }
        }
        for (String t : new TreeMap<>(toMap(types)).keySet()) {
            if (!out.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    private static Map<String, Boolean> toMap(Set<String> s) {
        Map<String, Boolean> m = new HashMap<>();
        s.forEach(x -> m.put(x, true));
        return m;
    }

    /** Groups over all parallel instances. */
    public int groups() {
        return groups;
    }

    public List<TypeRow> rows() {
        return rows;
    }

    /** Users of {@code type}/{@code scenario}, and those with a group-change alert. */
    public int[] changes(String type, String scenario) {
        return changes.getOrDefault(type + "/" + scenario, new int[2]);
    }

    /** Normal users (buyers and merchants) without an attack scenario, and those with a group-change alert. */
    public int[] normalChanges() {
        int[] out = new int[2];
        changes.forEach((k, c) -> {
            String[] ts = k.split("/", 2);
            boolean normalType = ts[0].equals("buyer") || ts[0].equals("merchant");
            boolean attack = !ts[1].equals("none") && io.surprisal.sim.Scenario.valueOf(ts[1].toUpperCase(Locale.ROOT)).attack();
            if (normalType && !attack) {
                out[0] += c[0];
                out[1] += c[1];
            }
        });
        return out;
    }

    /** The takeover users, and those with a group-change alert. */
    public int[] takeoverChanges() {
        return new int[] {changes("buyer", "takeover")[0] + changes("merchant", "takeover")[0],
                changes("buyer", "takeover")[1] + changes("merchant", "takeover")[1]};
    }

    /** The tables: purity and coverage per type, the confusion table (type x group), group changes. */
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        sb.append("purity: untyped users count as misses; purity of the typed: without them\n");
        sb.append(String.format(Locale.ROOT, "%-10s %7s %8s %7s %7s %16s %9s%n", "type", "users", "untyped", "typed", "purity",
                "purity of typed", "coverage"));
        for (TypeRow r : rows) {
            sb.append(String.format(Locale.ROOT, "%-10s %7d %8d %7s %7s %16s %9s%n", r.type(), r.users(), r.untyped(),
                    ratio(r.typed()), ratio(r.purity()), ratio(r.typedPurity()), ratio(r.coverage())));
        }
        sb.append(String.format(Locale.ROOT, "%d groups over all parallel instances%n%n", groups));
        List<String> cols = new ArrayList<>(groupType.keySet());
        sb.append(String.format(Locale.ROOT, "%-10s", "type"));
        for (String g : cols) {
            sb.append(String.format(Locale.ROOT, " %7s", g));
        }
        sb.append('\n');
        sb.append(String.format(Locale.ROOT, "%-10s", "(majority)"));
        for (String g : cols) {
            String t = groupType.get(g);
            sb.append(String.format(Locale.ROOT, " %7s", t.length() > 7 ? t.substring(0, 7) : t));
        }
        sb.append('\n');
        for (String t : order(confusion.keySet())) {
            sb.append(String.format(Locale.ROOT, "%-10s", t));
            for (String g : cols) {
                sb.append(String.format(Locale.ROOT, " %7d", confusion.get(t).getOrDefault(g, 0)));
            }
            sb.append('\n');
        }
        sb.append("\ngroups (users typed into each at the end; most frequent transitions)\n");
        descriptions.forEach(d -> sb.append(d).append('\n'));
        sb.append('\n').append(String.format(Locale.ROOT, "%-28s %7s %12s%n", "group-change alerts", "users", "with alert"));
        changes.forEach((k, c) -> {
            if (c[1] > 0 || k.endsWith("/takeover")) {
                sb.append(String.format(Locale.ROOT, "%-28s %7d %12d%n", k, c[0], c[1]));
            }
        });
        int[] n = normalChanges();
        sb.append(String.format(Locale.ROOT, "%-28s %7d %12d (%s)%n", "normal users, no attack", n[0], n[1],
                ratio(n[0] == 0 ? Double.NaN : (double) n[1] / n[0])));
        return sb.toString();
    }

    /** A type's headline purity and its typed users, e.g. {@code 0.947 (36/38 typed)}; "-" without users of it. */
    public String cell(String type) {
        for (TypeRow r : rows) {
            if (r.type().equals(type)) {
                return String.format(Locale.ROOT, "%s (%d/%d)", ratio(r.purity()), r.users() - r.untyped(), r.users());
            }
        }
        return "-";
    }

    /** The abnormal types, in the order of the summaries. */
    public static final List<String> ABNORMAL = List.of("bot", "spammer", "fraudster", "attacker");

    /** The header of {@link #summaryLine}. */
    public static String summaryHeader(String first) {
        return String.format(Locale.ROOT, "%-13s %-15s %-15s %-15s %-15s %6s %10s %14s", first, "bots", "spammers", "fraudsters",
                "attackers", "groups", "takeovers", "normal flagged");
    }

    /**
     * One line: per abnormal type its purity (untyped as misses) and typed users, the groups, and
     * the takeover users and normal users with a group-change alert.
     */
    public String summaryLine(String first) {
        int[] t = takeoverChanges();
        int[] n = normalChanges();
        return String.format(Locale.ROOT, "%-13s %-15s %-15s %-15s %-15s %6d %10s %14s", first, cell("bot"), cell("spammer"),
                cell("fraudster"), cell("attacker"), groups, t[1] + "/" + t[0], n[1] + "/" + n[0]);
    }

    public static String ratio(double x) {
        return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%.3f", x);
    }
}
