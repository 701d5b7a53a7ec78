package io.surprisal.novelty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.surprisal.config.ConfigLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImpossibleTravelTest {
    private static final ImpossibleTravel TRAVEL = new ImpossibleTravel(ConfigLoader.load(null, List.of()).novelty().impossibleTravel());
    private static final long MINUTE = 60_000L;

    /** A profile whose last located login was at ({@code lat}, {@code lon}) at time 0. */
    private static LoginProfile lastAt(double lat, double lon) {
        LoginProfile p = new LoginProfile();
        p.lastLat = lat;
        p.lastLon = lon;
        p.lastLocatedTs = 0;
        p.lastPlace = "A";
        return p;
    }

    private static LoginAttributes at(double lat, double lon, long ts) {
        String[] none = new String[Feature.CATEGORICAL];
        return new LoginAttributes(none, none, 0, ts, lat, lon);
    }

    @Test
    void greatCircleDistances() {
        // One degree of latitude is 111.2 km; New York to London 5,570 km.
        assertThat(ImpossibleTravel.distanceKm(0, 0, 1, 0)).isCloseTo(111.195, within(0.01));
        assertThat(ImpossibleTravel.distanceKm(40.7128, -74.0060, 51.5074, -0.1278)).isCloseTo(5570, within(5.0));
        assertThat(ImpossibleTravel.distanceKm(10, 20, 10, 20)).isZero();
        assertThat(ImpossibleTravel.distanceKm(0, 0, 0, 180)).isCloseTo(Math.PI * 6371.0088, within(1e-6));
    }

    @Test
    void fasterThanAnAirlinerAndFartherThanGeoIpErrorIsImpossible() {
        // 5,000 km along a meridian: 44.966 degrees.
        double lat = 5000 / 111.19508;
        LoginProfile p = lastAt(0, 0);
        NoveltyScore.Travel fast = TRAVEL.judge(p, at(lat, 0, 20 * MINUTE), true);
        assertThat(fast).isNotNull();
        assertThat(fast.distanceKm()).isCloseTo(5000, within(0.1));
        assertThat(fast.speedKmh()).isCloseTo(15_000, within(1.0));
        assertThat(fast.bits()).isEqualTo(11.0);
        assertThat(TRAVEL.judge(p, at(lat, 0, 20 * MINUTE), false).bits()).isEqualTo(3.0);
        // The same pair 12 hours apart is a flight (417 km/h), and so is 6 hours (833 km/h).
        assertThat(TRAVEL.judge(p, at(lat, 0, 12 * 60 * MINUTE), true)).isNull();
        assertThat(TRAVEL.judge(p, at(lat, 0, 6 * 60 * MINUTE), true)).isNull();
        // Under 500 km is geo-IP error, however fast.
        assertThat(TRAVEL.judge(p, at(4.4, 0, MINUTE), true)).isNull();
        assertThat(TRAVEL.judge(p, at(4.6, 0, MINUTE), true)).isNotNull();
        // At the same instant: infinitely fast.
        assertThat(TRAVEL.judge(p, at(lat, 0, 0), true).speedKmh()).isInfinite();
    }

    @Test
    void withoutCoordinatesItStaysSilent() {
        assertThat(TRAVEL.judge(new LoginProfile(), at(50, 30, MINUTE), true)).isNull();
        assertThat(TRAVEL.judge(lastAt(0, 0), at(Double.NaN, Double.NaN, MINUTE), true)).isNull();
        ImpossibleTravel off = new ImpossibleTravel(ConfigLoader.load(null, List.of("novelty.impossible-travel.enabled=false"))
                .novelty().impossibleTravel());
        assertThat(off.judge(lastAt(0, 0), at(45, 0, MINUTE), true)).isNull();
    }

    @Test
    void theExplanationGivesDistanceTimeAndSpeed() {
        NoveltyScore.Travel t = new NoveltyScore.Travel("New York, US", "Kyiv, UA", 7512.3, 20, 22_537, true, 11);
        assertThat(ImpossibleTravel.observed(t, "jane"))
                .isEqualTo("Kyiv, UA: 7,512 km from New York, US in 20 min (22,537 km/h), a place new to jane");
        assertThat(TRAVEL.expected()).isEqualTo("at most 1,000 km/h (an airliner); distances under 500 km are geo-IP error");
        NoveltyScore.Travel slow = new NoveltyScore.Travel(null, null, 2000, 150, 800, false, 3);
        assertThat(ImpossibleTravel.observed(slow, "jane"))
                .isEqualTo("here: 2,000 km from the previous login in 2.5 h (800 km/h), a place jane has logged in from before");
    }
}
