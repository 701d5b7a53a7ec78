package io.surprisal.novelty;

import io.surprisal.config.SurprisalConfig.AllowlistConfig;
import io.surprisal.config.SurprisalConfig.UserAllowlistConfig;
import io.surprisal.event.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Networks, ASNs and countries whose logins never raise a login-novelty alert, globally or per user:
 * the configured entries plus those added at run time. Immutable once built; the operator rebuilds
 * it when an update arrives (rare), so matching is cheap on the hot path.
 */
public final class Allowlist {
    /** Entries for everyone or for one user. */
    private static final class Scope {
        final List<Cidr> networks = new ArrayList<>();
        final Set<Long> asns = new HashSet<>();
        final Set<String> countries = new HashSet<>();

        String match(Event e) {
            if (e.country != null && countries.contains(e.country.toUpperCase(java.util.Locale.ROOT))) {
                return "country " + e.country;
            }
            if (e.asn != null && asns.contains(e.asn)) {
                return "AS" + e.asn;
            }
            for (Cidr c : networks) {
                if (c.contains(e.ip)) {
                    return "network " + c;
                }
            }
            return null;
        }
    }

    private final Scope global = new Scope();
    private final Map<String, Scope> users = new HashMap<>();

    private Allowlist() {}

    /** The configured entries (throws IllegalArgumentException on a malformed one). */
    public static List<AllowlistEntry> entriesOf(AllowlistConfig config) {
        List<AllowlistEntry> out = new ArrayList<>();
        addAll(out, "", config.networks(), config.asns(), config.countries());
        if (config.users() != null) {
            for (Map.Entry<String, UserAllowlistConfig> u : config.users().entrySet()) {
                UserAllowlistConfig c = u.getValue();
                if (c != null) {
                    addAll(out, u.getKey(), c.networks(), c.asns(), c.countries());
                }
            }
        }
        return out;
    }

    private static void addAll(List<AllowlistEntry> out, String user, List<String> networks, List<Long> asns, List<String> countries) {
        if (networks != null) {
            for (String n : networks) {
                out.add(new AllowlistEntry(user, AllowlistEntry.NETWORK, Cidr.parse(n).toString()));
            }
        }
        if (asns != null) {
            for (Long a : asns) {
                out.add(new AllowlistEntry(user, AllowlistEntry.ASN, Long.toString(a)));
            }
        }
        if (countries != null) {
            for (String c : countries) {
                out.add(new AllowlistEntry(user, AllowlistEntry.COUNTRY, AllowlistEntry.country(c)));
            }
        }
    }

    /** The configured allowlist alone. */
    public static Allowlist fromConfig(AllowlistConfig config) {
        return of(entriesOf(config));
    }

    /** An allowlist of {@code entries}. */
    public static Allowlist of(Iterable<AllowlistEntry> entries) {
        Allowlist a = new Allowlist();
        for (AllowlistEntry e : entries) {
            Scope s = e.user == null || e.user.isEmpty() ? a.global : a.users.computeIfAbsent(e.user, k -> new Scope());
            switch (e.kind) {
                case AllowlistEntry.NETWORK -> s.networks.add(Cidr.parse(e.value));
                case AllowlistEntry.ASN -> s.asns.add(Long.parseLong(e.value));
                case AllowlistEntry.COUNTRY -> s.countries.add(e.value);
                default -> throw new IllegalArgumentException("unknown allowlist kind " + e.kind);
            }
        }
        return a;
    }

    /** What allowlists {@code e} for its user ("network 10.0.0.0/8", "AS7922", ...), or null. */
    public String match(Event e) {
        String m = global.match(e);
        if (m != null) {
            return m;
        }
        Scope s = e.user == null ? null : users.get(e.user);
        return s == null ? null : s.match(e);
    }
}
