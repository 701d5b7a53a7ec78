package io.surprisal.usual;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;

/** The looked-up noise of a log sample variance is what commons-math computes, inside the table and past it. */
class SampleVarianceNoiseTest {

    @Test
    void theTableHoldsTheFunctionsOwnValues() {
        for (int k : new int[] {2, 3, 11, 50, 1023, 1024, 5000}) {
            double a = (k - 1) / 2.0;
            assertThat(SampleVarianceNoise.variance(k)).as("k = %d", k).isEqualTo(Gamma.trigamma(a));
            assertThat(SampleVarianceNoise.bias(k)).as("k = %d", k).isEqualTo(Gamma.digamma(a) - Math.log(a));
        }
        // By hand: trigamma(1) = pi^2/6, digamma(1) - ln 1 = -Euler's gamma (commons-math: to about 3e-9).
        assertThat(SampleVarianceNoise.variance(3)).isCloseTo(Math.PI * Math.PI / 6, org.assertj.core.api.Assertions.within(1e-8));
        assertThat(SampleVarianceNoise.bias(3)).isCloseTo(-0.5772156649015329, org.assertj.core.api.Assertions.within(1e-8));
    }
}
