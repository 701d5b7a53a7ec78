package io.surprisal.novelty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;

/**
 * One allowlist entry: a network (CIDR), an ASN or a country, for everyone ({@code user} empty) or
 * for one user. A Flink POJO, kept in broadcast state.
 *
 * <p>Update lines (JSON, one per line): {@code {"op":"add","network":"203.0.113.0/24"}},
 * {@code {"op":"add","user":"jane","country":"PT"}}, {@code {"op":"remove","asn":7922}}; {@code op}
 * defaults to add; exactly one of network, asn, country.
 */
public class AllowlistEntry {
    public static final String NETWORK = "network";
    public static final String ASN = "asn";
    public static final String COUNTRY = "country";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_LINE = 4096;

    /** The user it applies to, or "" for everyone. */
    public String user = "";
    /** {@link #NETWORK}, {@link #ASN} or {@link #COUNTRY}. */
    public String kind;
    /** CIDR text, ASN number as text, or upper-case country code. */
    public String value;
    /** False for a removal (only on the wire; never stored). */
    public boolean add = true;

    public AllowlistEntry() {}

    public AllowlistEntry(String user, String kind, String value) {
        this.user = user == null ? "" : user;
        this.kind = kind;
        this.value = value;
    }

    /** The broadcast-state key: one entry per (user, kind, value). */
    public String id() {
        return user + "\u001f" + kind + "\u001f" + value;
    }

    /** Parses an update line; throws IllegalArgumentException with a reason when it is not one. */
    public static AllowlistEntry parse(String line) {
        if (line.length() > MAX_LINE) {
            throw new IllegalArgumentException("line longer than " + MAX_LINE + " characters");
        }
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not JSON");
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        AllowlistEntry e = new AllowlistEntry();
        String op = text(n, "op");
        if (op != null && !op.equals("add") && !op.equals("remove")) {
            throw new IllegalArgumentException("op must be add or remove");
        }
        e.add = !"remove".equals(op);
        String user = text(n, "user");
        e.user = user == null ? "" : user;
        int kinds = 0;
        if (n.hasNonNull(NETWORK)) {
            kinds++;
            e.kind = NETWORK;
            e.value = Cidr.parse(text(n, NETWORK)).toString();
        }
        if (n.hasNonNull(ASN)) {
            kinds++;
            e.kind = ASN;
            JsonNode a = n.get(ASN);
            String digits = a.asText().toUpperCase(Locale.ROOT).replaceFirst("^AS", "");
            try {
                e.value = Long.toString(Long.parseLong(digits));
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("asn must be a number");
            }
        }
        if (n.hasNonNull(COUNTRY)) {
            kinds++;
            e.kind = COUNTRY;
            e.value = country(text(n, COUNTRY));
        }
        if (kinds != 1) {
            throw new IllegalArgumentException("exactly one of network, asn, country is required");
        }
        return e;
    }

    static String country(String code) {
        if (code == null || code.length() != 2) {
            throw new IllegalArgumentException("country must be an ISO alpha-2 code");
        }
        return code.toUpperCase(Locale.ROOT);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
