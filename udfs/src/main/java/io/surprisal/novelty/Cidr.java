package io.surprisal.novelty;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}); a bare
 * address is a /32 or /128. Only literals are parsed: a host name is rejected, never resolved.
 */
public final class Cidr {
    private final byte[] network;
    private final int bits;

    private Cidr(byte[] network, int bits) {
        this.network = network;
        this.bits = bits;
    }

    /** Parses {@code text}; throws IllegalArgumentException when it is not a CIDR literal. */
    public static Cidr parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        byte[] addr = parseLiteral(slash < 0 ? t : t.substring(0, slash));
        if (addr == null) {
            throw new IllegalArgumentException("not an IP network: " + text);
        }
        int bits = addr.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("bad prefix length in " + text);
            }
            if (bits < 0 || bits > addr.length * 8) {
                throw new IllegalArgumentException("bad prefix length in " + text);
            }
        }
        return new Cidr(addr, bits);
    }

    /** Whether {@code ip} (a literal) lies in this network. */
    public boolean contains(String ip) {
        byte[] a = ip == null ? null : parseLiteral(ip);
        if (a == null || a.length != network.length) {
            return false;
        }
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (a[full] & mask) == (network[full] & mask);
    }

    /** The bytes of an IPv4 or IPv6 literal, or null when {@code s} is anything else. */
    static byte[] parseLiteral(String s) {
        if (s.isEmpty() || s.length() > 45) {
            return null;
        }
        if (s.indexOf(':') < 0) {
            return parseIpv4(s);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
                return null; // also rejects zone ids and names, so InetAddress never does a lookup
            }
        }
        try {
            byte[] b = InetAddress.getByName(s).getAddress();
            return b.length == 16 ? b : null;
        } catch (UnknownHostException | RuntimeException ex) {
            return null;
        }
    }

    private static byte[] parseIpv4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int value = -1;
        for (int i = 0; i <= s.length(); i++) {
            char c = i == s.length() ? '.' : s.charAt(i);
            if (c == '.') {
                if (value < 0 || part > 3) {
                    return null;
                }
                out[part++] = (byte) value;
                value = -1;
            } else if (c >= '0' && c <= '9') {
                value = value < 0 ? c - '0' : value * 10 + (c - '0');
                if (value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return part == 4 ? out : null;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + bits;
        } catch (UnknownHostException ex) {
            return "?/" + bits;
        }
    }
}
