package io.surprisal.event;

/**
 * Cuts and cleans text that came from the input so that every output can encode it: a cut never
 * splits a surrogate pair, and a lone surrogate (a JSON escape such as {@code "\ud83d"} with no
 * partner) becomes U+FFFD, which UTF-8 can encode.
 */
public final class SafeText {
    /** What stands for a lone surrogate. */
    public static final char REPLACEMENT = '\uFFFD';

    private SafeText() {}

    /** The first {@code max} characters at most, one fewer when the cut would split a surrogate pair. */
    public static String prefix(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        return s.substring(0, cutPoint(s, max));
    }

    /**
     * At most {@code max} characters: longer text is cut (never inside a surrogate pair) and ends
     * with a marker saying how many characters were left out, e.g. {@code …[+1048000 chars]}.
     * Lone surrogates become U+FFFD.
     */
    public static String truncate(String s, int max) {
        if (s == null) {
            return null;
        }
        String clean = withoutLoneSurrogates(s);
        if (clean.length() <= max) {
            return clean;
        }
        // The marker's own length depends on the count it shows; a bound on it is enough.
        int keep = cutPoint(clean, Math.max(0, max - marker(clean.length()).length()));
        return clean.substring(0, keep) + marker(clean.length() - keep);
    }

    private static String marker(int leftOut) {
        return "\u2026[+" + leftOut + " chars]";
    }

    /** {@code max}, or {@code max - 1} when the character before it is the first half of a pair. */
    static int cutPoint(String s, int max) {
        if (max > 0 && max < s.length() && Character.isHighSurrogate(s.charAt(max - 1)) && Character.isLowSurrogate(s.charAt(max))) {
            return max - 1;
        }
        return max;
    }

    /** True when some surrogate has no partner. */
    public static boolean hasLoneSurrogate(String s) {
        if (s == null) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** The text with every lone surrogate replaced by U+FFFD (the same string when there is none). */
    public static String withoutLoneSurrogates(String s) {
        if (!hasLoneSurrogate(s)) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else {
                sb.append(Character.isSurrogate(c) ? REPLACEMENT : c);
            }
        }
        return sb.toString();
    }

    /**
     * Text for a log line: control and invisible (format, Cf) characters and lone surrogates as
     * {@code \\uXXXX}, so nobody can forge or hide log lines; at most 2,000 characters.
     */
    public static String log(String s) {
        if (s == null) {
            return "null";
        }
        String cut = prefix(s, 2000);
        StringBuilder sb = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); ) {
            int c = cut.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT || (c <= 0xFFFF && Character.isSurrogate((char) c))) {
                sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", c));
            } else {
                sb.appendCodePoint(c);
            }
        }
        return sb.toString();
    }
}
