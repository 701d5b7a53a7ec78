package io.surprisal.novelty;

/**
 * The network prefix of an IP address as text: the /24 of an IPv4 address ({@code 73.12.5.0/24}),
 * the /48 of an IPv6 address. Parses literals only (never resolves names): the field is
 * attacker-controlled.
 */
public final class IpPrefix {
    private IpPrefix() {}

    /** The prefix of {@code ip}, or null when it is not an IP literal. */
    public static String of(String ip) {
        if (ip == null) {
            return null;
        }
        byte[] b = Cidr.parseLiteral(ip);
        if (b == null) {
            return null;
        }
        if (b.length == 4) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + ".0/24";
        }
        return String.format("%x:%x:%x::/48", (b[0] & 0xff) << 8 | (b[1] & 0xff), (b[2] & 0xff) << 8 | (b[3] & 0xff),
                (b[4] & 0xff) << 8 | (b[5] & 0xff));
    }
}
