package io.surprisal.usual;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;

/** The prediction's Student t tail, computed without building a {@link TDistribution}. */
class StudentTailTest {

    @Test
    void isTDistributionsCdfToTheLastBit() {
        for (double dof : new double[] {0.5, 1, 2.5, 7, 30, 53.2, 1e4}) {
            for (double x = -60; x <= 60; x += 0.37) {
                double expected = new TDistribution(null, dof).cumulativeProbability(x);
                assertThat(BlendedLogModel.Prediction.studentLowerTail(x, dof)).as("x %s, dof %s", x, dof).isEqualTo(expected);
            }
            assertThat(BlendedLogModel.Prediction.studentLowerTail(0, dof)).isEqualTo(0.5);
        }
    }

    @Test
    void theUpperTailOfAPredictionIsItsLowerTailMirrored() {
        var p = new BlendedLogModel.Prediction(3.0, 0.5, 12, 20);
        assertThat(p.upperTail(3.0)).isEqualTo(0.5);
        assertThat(p.upperTail(5.0)).isEqualTo(new TDistribution(null, 12).cumulativeProbability(-4.0));
        // Four scales above the location, 12 degrees of freedom: a table's two-sided 0.00176, halved.
        assertThat(p.upperTail(5.0)).isCloseTo(8.81e-4, org.assertj.core.data.Offset.offset(1e-6));
    }
}
