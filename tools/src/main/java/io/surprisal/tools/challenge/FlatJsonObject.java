package io.surprisal.tools.challenge;

import java.util.ArrayList;
import java.util.List;

/**
 * A hand-written parser for the challenge's log lines: one flat JSON object whose values are
 * strings (numbers are accepted as their literal text). Field order is kept, duplicates and
 * anything nested are rejected. Faster than a general JSON library for this shape, and its
 * error messages say exactly what is wrong with a line.
 */
final class FlatJsonObject {

    private final List<String> names = new ArrayList<>(6);
    private final List<String> values = new ArrayList<>(6);

    private String text;
    private int position;

    /**
     * Parses one line, replacing the previous content.
     *
     * @throws IllegalArgumentException with the reason when the line is not a flat JSON object
     */
    void parse(String line) {
        names.clear();
        values.clear();
        text = line;
        position = 0;
        skipWhitespace();
        expect('{');
        skipWhitespace();
        if (peek() == '}') {
            position++;
        } else {
            while (true) {
                skipWhitespace();
                int nameAt = position;
                if (peek() != '"') {
                    throw error("expected a field name in double quotes");
                }
                String name = readString();
                if (names.contains(name)) {
                    position = nameAt;
                    throw error("duplicate field \"" + name + "\"");
                }
                skipWhitespace();
                expect(':');
                skipWhitespace();
                String value = readValue(name);
                names.add(name);
                values.add(value);
                skipWhitespace();
                char c = peek();
                position++;
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    position--;
                    throw error("expected ',' or '}'");
                }
            }
        }
        skipWhitespace();
        if (position < text.length()) {
            throw error("unexpected text after the closing '}'");
        }
    }

    /** The value of a field, or {@code null} when absent. */
    String get(String name) {
        int index = names.indexOf(name);
        return index < 0 ? null : values.get(index);
    }

    /** The value of a required field. */
    String require(String name) {
        String value = get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing field \"" + name + "\"");
        }
        return value;
    }

    private String readValue(String name) {
        char c = peek();
        if (c == '"') {
            return readString();
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            int start = position;
            while (position < text.length() && "+-.eE0123456789".indexOf(text.charAt(position)) >= 0) {
                position++;
            }
            return text.substring(start, position);
        }
        throw error("value of \"" + name + "\" must be a string");
    }

    private String readString() {
        position++; // opening quote
        int start = position;
        StringBuilder unescaped = null;
        while (true) {
            if (position >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(position);
            if (c == '"') {
                String result = unescaped == null
                        ? text.substring(start, position)
                        : unescaped.append(text, start, position).toString();
                position++;
                return result;
            }
            if (c < 0x20) {
                throw error("control character in string");
            }
            if (c == '\\') {
                if (unescaped == null) {
                    unescaped = new StringBuilder();
                }
                unescaped.append(text, start, position);
                position++;
                if (position >= text.length()) {
                    throw error("unterminated escape");
                }
                char escaped = text.charAt(position);
                switch (escaped) {
                    case '"', '\\', '/' -> unescaped.append(escaped);
                    case 'b' -> unescaped.append('\b');
                    case 'f' -> unescaped.append('\f');
                    case 'n' -> unescaped.append('\n');
                    case 'r' -> unescaped.append('\r');
                    case 't' -> unescaped.append('\t');
                    case 'u' -> {
                        if (position + 4 >= text.length()) {
                            throw error("truncated \\u escape");
                        }
                        try {
                            unescaped.append((char) Integer.parseInt(text.substring(position + 1, position + 5), 16));
                        } catch (NumberFormatException e) {
                            throw error("invalid \\u escape");
                        }
                        position += 4;
                    }
                    default -> throw error("invalid escape '\\" + escaped + "'");
                }
                position++;
                start = position;
                continue;
            }
            position++;
        }
    }

    private void expect(char expected) {
        if (peek() != expected) {
            throw error("expected '" + expected + "'");
        }
        position++;
    }

    private char peek() {
        return position < text.length() ? text.charAt(position) : '\0';
    }

    private void skipWhitespace() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return;
            }
            position++;
        }
    }

    private IllegalArgumentException error(String reason) {
        String where = position >= text.length() ? "at end of line" : "at column " + (position + 1);
        return new IllegalArgumentException("not a flat JSON object: " + reason + " " + where);
    }
}
