package io.surprisal.job.mail;

import io.surprisal.event.SafeText;
import java.util.Locale;

/**
 * Escaping of attacker-controlled text (user names, user agents, reasons) for the places a mail
 * shows it: HTML bodies, header values, plain-text lines and log lines. Everywhere, invisible
 * format characters (bidirectional overrides and isolates, zero-width spaces and joiners, the
 * byte-order mark: Unicode category Cf) are shown as {@code [U+202E]}, so text cannot reorder
 * or hide itself; a lone surrogate becomes U+FFFD; a cut never splits a character.
 */
public final class MailText {
    private MailText() {}

    /** Text for an HTML body or attribute value: {@code & < > " '} escaped, control characters as spaces. */
    public static String html(String s) {
        return html(s, Integer.MAX_VALUE);
    }

    /** As {@link #html(String)}, the text first cut at {@code max} characters with an ellipsis. */
    public static String html(String s, int max) {
        if (s == null) {
            return "";
        }
        String cut = cut(s, max);
        StringBuilder sb = new StringBuilder(cut.length() + 16);
        for (int i = 0; i < cut.length(); ) {
            int c = cut.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> appendShown(sb, c);
            }
        }
        return sb.toString();
    }

    /**
     * Text for one header value or one line of a plain-text body: CR, LF and every other control
     * character become a space, so a value can never start a new header (or a new recipient).
     * Cut at {@code max} characters with an ellipsis.
     */
    public static String line(String s, int max) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(Math.min(s.length(), max) + 16);
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            appendShown(sb, c);
            if (sb.length() > max) {
                return SafeText.prefix(sb.toString(), max - 1) + '\u2026';
            }
        }
        return sb.toString();
    }

    /**
     * Text for a header value: as {@link #line}, and every {@code =?} becomes {@code = ?}. A reader
     * decodes RFC 2047 encoded words ({@code =?UTF-8?B?...?=}) wherever they start, so an encoded word
     * in a user name would come out as whatever it hides (a line break, a {@code Bcc:}); broken
     * open, it shows as the text it is.
     */
    public static String header(String s, int max) {
        return line(s, max).replace("=?", "= ?");
    }

    /** At most {@code max} characters, the last an ellipsis when cut; never inside a surrogate pair. */
    private static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        return SafeText.prefix(s, max - 1) + '\u2026';
    }

    /** A character as a mail shows it: controls and line separators as a space, invisible ones by name. */
    private static void appendShown(StringBuilder sb, int c) {
        if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
            sb.append(' ');
        } else if (invisible(c)) {
            sb.append(String.format(Locale.ROOT, "[U+%04X]", c));
        } else if (c <= 0xFFFF && Character.isSurrogate((char) c)) {
            sb.append(SafeText.REPLACEMENT);
        } else {
            sb.appendCodePoint(c);
        }
    }

    /** Format characters (Cf): bidirectional controls, zero-width characters, the byte-order mark, tags. */
    static boolean invisible(int c) {
        return Character.getType(c) == Character.FORMAT;
    }

    /** Text for a log line ({@link SafeText#log}): nobody can forge or hide log lines through it. */
    public static String log(String s) {
        return SafeText.log(s);
    }
}
