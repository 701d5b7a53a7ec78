package io.surprisal.usual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * {@link LogPopulation#calibratedBits}: a model's tail bits against how often the population's
 * ordinary values reached them, both ways.
 */
class TailCalibrationTest {

    /**
     * 10,000 ordinary values whose model bits are c x log2(10,000 / i), i = 1..10,000: the share
     * of them at b model bits or more is 2^-(b / c), so their true tail is b / c bits.
     */
    private static LogPopulation judgedWith(double c) {
        LogPopulation p = new LogPopulation();
        int n = 10_000;
        for (int i = 1; i <= n; i++) {
            p.countJudged(c * Math.log((double) n / i) / Math.log(2), 20);
        }
        return p;
    }

    @Test
    void aModelCautiousOnTheOrdinaryValuesIsRaisedByTheRatioItShowsThere() {
        // c = 2/3: ordinary values reach b model bits as often as a tail of 1.5 b. Beyond the 30th
        // most surprising (model bits 5.6) the tail keeps that ratio, at the exponent 1 that the
        // population shows between the 300th and the 30th.
        LogPopulation p = judgedWith(2.0 / 3);
        LogPopulation.Calibrated at12 = p.calibratedBits(12, 20);
        assertThat(at12.atLeast()).isZero();
        assertThat(at12.bits()).isCloseTo(18.0, within(0.5)).isGreaterThan(12);
        assertThat(p.calibratedBits(7, 20).bits()).isCloseTo(10.5, within(0.3));
        // Within the 30, the count only ever lowers the model's bits: 5 model bits (55 ordinary
        // values as far) are 7.5 by the count, and stay 5.
        assertThat(p.calibratedBits(5, 20).atLeast()).isGreaterThanOrEqualTo(LogPopulation.TAIL_REFERENCE);
        assertThat(p.calibratedBits(5, 20).bits()).isCloseTo(5.0, within(1e-12));
    }

    @Test
    void aRaiseIsAtMostTwiceTheModelsBits() {
        // c = 1/3: the ratio is 3; 12 model bits are raised to 24, not 36.
        assertThat(judgedWith(1.0 / 3).calibratedBits(12, 20).bits()).isCloseTo(24.0, within(1e-9));
        assertThat(LogPopulation.MAX_RAISE).isEqualTo(2.0);
    }

    @Test
    void aModelBoldOnTheOrdinaryValuesIsLoweredAsBefore() {
        // c = 2: ordinary values reach b model bits as often as a tail of b / 2. 30 model bits,
        // beyond all of them, are about 15; the count alone gives log2(10,001) = 13.3, and no
        // tail beyond all 10,000 is less.
        LogPopulation p = judgedWith(2.0);
        LogPopulation.Calibrated at30 = p.calibratedBits(30, 20);
        assertThat(at30.atLeast()).isZero();
        assertThat(at30.bits()).isCloseTo(15.0, within(0.5));
        assertThat(p.calibratedBits(40, 20).bits()).isCloseTo(20.0, within(0.6));
        assertThat(p.calibratedBits(27, 20).bits()).isCloseTo(Math.log(10_001) / Math.log(2), within(1e-9));
    }
}
