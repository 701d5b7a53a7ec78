package io.surprisal.novelty;

import io.surprisal.event.Event;

/**
 * The attributes of one login that login novelty scores, as hierarchical keys: each categorical
 * key is its parent's key, a separator, and its own value, so that a value is counted within its
 * parent (a city of that region, an ASN of that country). Null for an attribute the event lacks.
 *
 * @param keys one key per categorical {@link Feature} (index = ordinal), or null when unknown
 * @param shown the value as shown to people (the last part of the key), per feature
 * @param hour hour of day, UTC, 0..23
 * @param ts event time, epoch ms
 * @param lat latitude in decimal degrees, NaN when the event has no coordinates
 * @param lon longitude in decimal degrees, NaN when the event has no coordinates
 */
public record LoginAttributes(String[] keys, String[] shown, int hour, long ts, double lat, double lon) {
    /** Attributes without coordinates, at the start of {@code hour} on 1970-01-01. */
    public LoginAttributes(String[] keys, String[] shown, int hour) {
        this(keys, shown, hour, hour * 3_600_000L, Double.NaN, Double.NaN);
    }

    /** Separates a parent key from a child value; a control character no real value contains. */
    public static final char SEPARATOR = '\u001f';

    /** Extracts the attributes of {@code e}, parsing its user agent with {@code agents}. */
    public static LoginAttributes of(Event e, UserAgentParser agents) {
        String[] keys = new String[Feature.CATEGORICAL];
        String[] shown = new String[Feature.CATEGORICAL];
        put(keys, shown, Feature.COUNTRY, e.country);
        put(keys, shown, Feature.REGION, e.region);
        put(keys, shown, Feature.CITY, e.city);
        put(keys, shown, Feature.ASN, e.asn == null ? null : "AS" + e.asn);
        put(keys, shown, Feature.PREFIX, IpPrefix.of(e.ip));
        UserAgentParser.Agent a = e.userAgent == null ? null : agents.parse(e.userAgent);
        String device = e.device != null && !e.device.isBlank() ? e.device : a == null ? null : a.deviceClass();
        put(keys, shown, Feature.DEVICE, device);
        if (a != null) {
            put(keys, shown, Feature.OS, a.os());
            put(keys, shown, Feature.BROWSER, a.browser());
            put(keys, shown, Feature.BROWSER_VERSION, a.major() == null ? null : a.browser() + " " + a.major());
        }
        int hour = (int) Math.floorMod(e.ts / 3_600_000L, 24L);
        boolean located = e.lat != null && e.lon != null;
        return new LoginAttributes(keys, shown, hour, e.ts, located ? e.lat : Double.NaN, located ? e.lon : Double.NaN);
    }

    /** Whether the login has coordinates. */
    public boolean located() {
        return !Double.isNaN(lat) && !Double.isNaN(lon);
    }

    /** The place as shown to people: city and country when known, e.g. {@code Kyiv, UA}; or null. */
    public String place() {
        String city = shown[Feature.CITY.ordinal()];
        String country = shown[Feature.COUNTRY.ordinal()];
        if (city == null) {
            return country;
        }
        return country == null ? city : city + ", " + country;
    }

    /** Longer values are cut: they are attacker-controlled and become population map keys. */
    static final int MAX_VALUE_LENGTH = 96;

    private static void put(String[] keys, String[] shown, Feature f, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        if (value.length() > MAX_VALUE_LENGTH) {
            value = value.substring(0, MAX_VALUE_LENGTH);
        }
        Feature p = f.parent();
        String parentKey = p == null ? "" : keys[p.ordinal()];
        if (parentKey == null) {
            // Without its parent the value cannot be judged in context; treat as unknown.
            return;
        }
        keys[f.ordinal()] = p == null ? value : parentKey + SEPARATOR + value;
        shown[f.ordinal()] = value;
    }
}
