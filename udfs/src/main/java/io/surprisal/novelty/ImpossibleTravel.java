package io.surprisal.novelty;

import io.surprisal.config.SurprisalConfig.ImpossibleTravelConfig;
import java.util.Locale;

/**
 * Two consecutive logins of a user whose places (geo-IP coordinates) are further apart than an
 * airliner covers in the time between them. Distances below {@code min-distance-km} never count:
 * geo-IP puts an address in the wrong city often, in the wrong continent rarely. Logins without
 * coordinates are never judged (the detector stays silent). Plain Java.
 */
public final class ImpossibleTravel {
    /** Mean Earth radius, km. */
    private static final double EARTH_RADIUS_KM = 6371.0088;

    private final ImpossibleTravelConfig config;

    public ImpossibleTravel(ImpossibleTravelConfig config) {
        this.config = config;
    }

    /**
     * The finding for login {@code a} after the user's last located login (kept in {@code
     * profile}), or null when the pair is possible, either has no coordinates, or the check is off.
     *
     * @param newPlace whether the login's place is new to the user: then the pair costs {@code bits},
     *     otherwise {@code known-place-bits} (two homes, a VPN exit the user has used before)
     */
    public NoveltyScore.Travel judge(LoginProfile profile, LoginAttributes a, boolean newPlace) {
        if (!config.enabled() || !a.located() || Double.isNaN(profile.lastLat) || Double.isNaN(profile.lastLon)) {
            return null;
        }
        double km = distanceKm(profile.lastLat, profile.lastLon, a.lat(), a.lon());
        double hours = Math.max(0L, a.ts() - profile.lastLocatedTs) / 3_600_000.0;
        if (!impossible(km, hours)) {
            return null;
        }
        double speed = hours == 0 ? Double.POSITIVE_INFINITY : km / hours;
        return new NoveltyScore.Travel(profile.lastPlace, a.place(), km, hours * 60, speed, newPlace,
                newPlace ? config.bits() : config.knownPlaceBits());
    }

    /** The rule: far enough to be beyond geo-IP error, and faster than an airliner. */
    boolean impossible(double km, double hours) {
        return km >= config.minDistanceKm() && km > config.maxSpeedKmh() * hours;
    }

    /** Great-circle distance by the haversine formula, km. */
    public static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
        double p1 = Math.toRadians(lat1);
        double p2 = Math.toRadians(lat2);
        double dp = p2 - p1;
        double dl = Math.toRadians(lon2 - lon1);
        double h = Math.sin(dp / 2) * Math.sin(dp / 2) + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1.0, Math.sqrt(h)));
    }

    /** What was observed, e.g. {@code Kyiv, UA: 7,512 km from New York, US in 20 min (22,536 km/h), a place new to jane}. */
    public static String observed(NoveltyScore.Travel t, String user) {
        String speed = Double.isInfinite(t.speedKmh()) ? "at the same instant"
                : String.format(Locale.ROOT, "(%,.0f km/h)", t.speedKmh());
        return String.format(Locale.ROOT, "%s: %,.0f km from %s in %s %s, %s", t.to() == null ? "here" : t.to(), t.distanceKm(),
                t.from() == null ? "the previous login" : t.from(), duration(t.minutes()), speed,
                t.newPlace() ? "a place new to " + user : "a place " + user + " has logged in from before");
    }

    /** What was expected, e.g. {@code at most 1,000 km/h (an airliner); under 500 km is geo-IP error}. */
    public String expected() {
        return String.format(Locale.ROOT, "at most %,.0f km/h (an airliner); distances under %,.0f km are geo-IP error",
                config.maxSpeedKmh(), config.minDistanceKm());
    }

    private static String duration(double minutes) {
        if (minutes < 120) {
            return String.format(Locale.ROOT, "%.0f min", minutes);
        }
        return String.format(Locale.ROOT, "%.1f h", minutes / 60);
    }
}
