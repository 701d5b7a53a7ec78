package io.surprisal.novelty;

import java.util.LinkedHashMap;
import java.util.Map;
import ua_parser.Client;
import ua_parser.Parser;

/**
 * Parses user agent strings with uap-java (the ua-parser project's maintained regex set) into
 * browser family, major version, OS family and device class, behind a small LRU cache: real
 * traffic repeats a few thousand strings, and an uncached parse costs about a millisecond.
 *
 * <p>uap-java rather than Yauaa: measured on our strings, Yauaa parses an uncached agent about
 * twice as fast, but needs ~10 s and ~135 MB of heap to start, per instance; with the cache the
 * hot path is a hash lookup either way. One parser per operator instance, not thread-safe.
 */
public final class UserAgentParser {
    /** What login novelty uses of a user agent. {@code major} may be null. */
    public record Agent(String browser, String major, String os, String deviceClass) {}

    private static final int MAX_LENGTH = 512;

    private final Parser parser;
    private final Map<String, Agent> cache;
    private long misses;

    public UserAgentParser(int cacheSize) {
        this.parser = new Parser();
        this.cache = new LinkedHashMap<>(cacheSize * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Agent> eldest) {
                return size() > cacheSize;
            }
        };
    }

    /** The parsed agent; never null ({@code Other} for what the rules do not know). */
    public Agent parse(String userAgent) {
        Agent a = cache.get(userAgent);
        if (a == null) {
            misses++;
            // Long strings are cut before the regexes see them: bounded cost per event.
            String s = userAgent.length() > MAX_LENGTH ? userAgent.substring(0, MAX_LENGTH) : userAgent;
            Client c;
            try {
                c = parser.parse(s);
            } catch (RuntimeException ex) {
                c = null;
            }
            a = c == null ? new Agent("Other", null, "Other", "other") : toAgent(c);
            cache.put(userAgent, a);
        }
        return a;
    }

    /** Parses that missed the cache so far. */
    public long misses() {
        return misses;
    }

    private static Agent toAgent(Client c) {
        String browser = c.userAgent == null || c.userAgent.family == null ? "Other" : c.userAgent.family;
        String major = c.userAgent == null ? null : c.userAgent.major;
        String os = c.os == null || c.os.family == null ? "Other" : c.os.family;
        String device = c.device == null ? null : c.device.family;
        return new Agent(browser, major, os, deviceClass(device, os, browser));
    }

    /** desktop, mobile, bot or other: uap-java names devices, not classes, so derive one. */
    static String deviceClass(String device, String os, String browser) {
        if ("Spider".equals(device)) {
            return "bot";
        }
        switch (os) {
            case "iOS", "Android", "iPadOS", "Windows Phone", "KaiOS" -> {
                return "mobile";
            }
            case "Windows", "Mac OS X", "Linux", "Ubuntu", "Fedora", "Chrome OS", "FreeBSD" -> {
                return "desktop";
            }
            default -> {
                return device != null && !"Other".equals(device) ? "mobile" : "other";
            }
        }
    }
}
