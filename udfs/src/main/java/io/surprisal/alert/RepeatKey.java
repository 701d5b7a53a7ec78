package io.surprisal.alert;

import io.surprisal.event.UserKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * An alert's repeat key: the first 16 hex digits (64 bits) of the SHA-256 of the detector, the
 * user's key ({@link UserKey}: tenant and user) and the detector's repeat parts, each on its own
 * line. Short enough for a URL or a record key; a collision between two of one user's alerts needs
 * about 2^32 different repeat parts.
 */
public final class RepeatKey {
    private static final HexFormat HEX = HexFormat.of();
    /** Hex digits kept of the hash. */
    public static final int LENGTH = 16;

    private RepeatKey() {}

    public static String of(String detector, String tenant, String user, List<String> parts) {
        StringBuilder sb = new StringBuilder(detector).append('\n').append(UserKey.of(tenant, user));
        for (String p : parts) {
            // A part may contain line breaks (it can be input text): its length keeps parts apart.
            sb.append('\n').append(p == null ? -1 : p.length()).append(':').append(p);
        }
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        return HEX.formatHex(hash, 0, LENGTH / 2);
    }
}
