package io.surprisal.sim;

import java.time.LocalDate;

/** Hand-rolled JSON string escaping and timestamp text, kept allocation-light for speed. */
final class JsonText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonText() {}

  /** Appends {@code value} as a JSON string literal (with quotes), escaped per RFC 8259. */
  static void appendString(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      switch (ch) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (ch < 0x20) {
            out.append("\\u00").append(HEX[ch >> 4 & 0xf]).append(HEX[ch & 0xf]);
          } else {
            out.append(ch);
          }
        }
      }
    }
    out.append('"');
  }

  /** Formats epoch seconds as {@code yyyy-MM-ddTHH:mm:ssZ}; caches the date part. */
  static final class Timestamps {
    private long cachedDay = Long.MIN_VALUE;
    private String cachedDate;

    String format(long epochSecond) {
      long day = Math.floorDiv(epochSecond, 86_400);
      if (day != cachedDay) {
        cachedDay = day;
        cachedDate = LocalDate.ofEpochDay(day).toString() + "T";
      }
      int s = Math.floorMod(epochSecond, 86_400);
      int h = s / 3600;
      int m = s / 60 % 60;
      int sec = s % 60;
      char[] hms = {
        (char) ('0' + h / 10), (char) ('0' + h % 10), ':',
        (char) ('0' + m / 10), (char) ('0' + m % 10), ':',
        (char) ('0' + sec / 10), (char) ('0' + sec % 10), 'Z'
      };
      return cachedDate + new String(hms);
    }
  }
}
