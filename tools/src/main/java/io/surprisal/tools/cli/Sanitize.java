package io.surprisal.tools.cli;

/** Makes attacker-controlled text safe to print on a terminal: no control characters, no escapes. */
final class Sanitize {
    private Sanitize() {}

    static String forTerminal(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
