package io.surprisal.novelty;

import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig.NoveltyConfig;
import io.surprisal.event.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Test logins shaped like the simulator's: a weighted population of home countries and browsers. */
final class Logins {
    static final String CHROME_WIN = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    static final String SAFARI_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15";
    static final String FIREFOX_WIN = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
    static final String IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
    static final String ANDROID = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

    /** Home places: country, region, city, ASN, /16, weight. */
    static final Object[][] PLACES = {
        {"US", "New York", "New York", 7922L, "73.12", 35},
        {"GB", "England", "London", 2856L, "86.128", 8},
        {"DE", "Berlin", "Berlin", 3320L, "79.192", 8},
        {"FR", "Ile-de-France", "Paris", 3215L, "90.3", 6},
        {"PT", "Lisbon", "Lisbon", 3243L, "85.240", 2},
    };
    static final String[] AGENTS = {CHROME_WIN, CHROME_WIN, SAFARI_MAC, IPHONE, ANDROID, FIREFOX_WIN};
    static final long T0 = 1_780_000_000_000L;

    private Logins() {}

    static NoveltyConfig config(String... overrides) {
        return ConfigLoader.load(null, List.of(overrides)).novelty();
    }

    static Event login(String user, long ts, String country, String region, String city, long asn, String ip, String ua) {
        Event e = new Event();
        e.ts = ts;
        e.eventId = user + "-" + ts;
        e.user = user;
        e.action = "login";
        e.session = "s-" + user + "-" + ts;
        e.country = country;
        e.region = region;
        e.city = city;
        e.asn = asn;
        e.ip = ip;
        e.userAgent = ua;
        e.device = ua.contains("Mobile") ? "mobile" : "desktop";
        return e;
    }

    /** A login from the home place {@code p} (an index into PLACES). */
    static Event home(String user, long ts, int p, int host, String ua) {
        Object[] pl = PLACES[p];
        return login(user, ts, (String) pl[0], (String) pl[1], (String) pl[2], (Long) pl[3], pl[4] + ".7." + host, ua);
    }

    /** {@code users} population users with {@code loginsEach} logins from their home place, learned. */
    static List<Event> population(int users, int loginsEach, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int weights = 0;
        for (Object[] p : PLACES) {
            weights += (Integer) p[5];
        }
        List<Event> out = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            int w = rng.nextInt(weights);
            int place = 0;
            while (w >= (Integer) PLACES[place][5]) {
                w -= (Integer) PLACES[place][5];
                place++;
            }
            String ua = AGENTS[rng.nextInt(AGENTS.length)];
            int hourOffset = rng.nextInt(24);
            for (int i = 0; i < loginsEach; i++) {
                out.add(home("p" + u, T0 + i * 86_400_000L + hourOffset * 3_600_000L, place, 10 + u % 200, ua));
            }
        }
        return out;
    }
}
