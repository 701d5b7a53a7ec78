package io.surprisal.job.mail;

/**
 * Escaping of attacker-controlled text (user names, user agents, reasons) for the places a mail
 * shows it: HTML bodies, header values, plain-text lines and log lines.
 */
public final class MailText {
    private MailText() {}

    /** Text for an HTML body or attribute value: {@code & < > " '} escaped, control characters as spaces. */
    public static String html(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(Character.isISOControl(c) ? ' ' : c);
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
        StringBuilder sb = new StringBuilder(Math.min(s.length(), max + 1));
        for (int i = 0; i < s.length() && sb.length() < max; i++) {
            char c = s.charAt(i);
            sb.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? ' ' : c);
        }
        if (s.length() > max) {
            sb.setLength(max - 1);
            sb.append('\u2026');
        }
        return sb.toString();
    }

    /** Text for a log line: control characters as {@code \\uXXXX}, so nobody can forge log lines. */
    public static String log(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length() && i < 2000; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
