package io.surprisal.purchase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CentsAmountTest {

    @ParameterizedTest(name = "\"{0}\" = {1} cents")
    @CsvSource({
        "16.83, 1683", "5, 500", "1601.8, 160180", "0, 0", "0.01, 1", "0.5, 50", "007.10, 710",
        "1.230, 123", "1.2300000, 123", "99999999999.99, 9999999999999", "9999999999999.99, 999999999999999",
        "50100000000000.83, 5010000000000083", "10000000000000, 1000000000000000",
        "92233720368547758.07, 9223372036854775807", "092233720368547758.07, 9223372036854775807",
        "1e3, 100000", "5.01E13, 5010000000000000", "1.5e-1, 15", "1E+2, 10000", "-0, 0", "-0.00, 0", "0e9, 0"})
    void parsesExactCents(String text, long cents) {
        assertThat(CentsAmount.parseCents(text)).isEqualTo(cents);
    }

    @ParameterizedTest(name = "rejects \"{0}\"")
    @ValueSource(strings = {"", "abc", "1.234", "1.005", "-5", "+5", "1,50", " 5", "5 ", ".5", "5.", "1.2.3",
        "NaN", "Infinity", "0x10", "1e", "1e+", "--5", "1e-3", "1e99999999999"})
    void rejectsGarbage(String text) {
        assertThatThrownBy(() -> CentsAmount.parseCents(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("amount");
    }

    @ParameterizedTest(name = "\"{0}\": {1}")
    @CsvSource(delimiter = '|', value = {
        "-100 | amount '-100' is negative",
        "-0.01 | amount '-0.01' is negative",
        "-1e300 | amount '-1e300' is negative",
        "1e300 | amount '1e300' is too large (max 92233720368547758.07)",
        "1e2147483647 | amount '1e2147483647' is too large (max 92233720368547758.07)",
        "92233720368547758.08 | amount '92233720368547758.08' is too large (max 92233720368547758.07)",
        "100000000000000000 | amount '100000000000000000' is too large (max 92233720368547758.07)",
        "12.345 | amount '12.345' has a fraction of a cent",
        "1e-2147483647 | amount '1e-2147483647' has a fraction of a cent",
        "1e99999999999 | amount '1e99999999999' has an exponent out of range",
        "+5 | amount '+5' is not a non-negative decimal number"})
    void saysWhyAnAmountIsRefused(String text, String message) {
        assertThatThrownBy(() -> CentsAmount.parseCents(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void rejectsNullClearly() {
        assertThatThrownBy(() -> CentsAmount.parseCents(null)).hasMessage("amount is empty");
    }

    @Test
    void everyLongOfCentsRoundTripsThroughItsText() {
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            long cents = random.nextLong() & Long.MAX_VALUE;
            assertThat(CentsAmount.parseCents(CentsAmount.formatCents(cents))).isEqualTo(cents);
        }
    }

    @Test
    void doublesAreReadToTheCentBelowTwoToThe46() {
        assertThat(CentsAmount.fromAmount(1601.83)).isEqualTo(160183);
        assertThat(CentsAmount.fromAmount(50100000000000.83)).isEqualTo(5010000000000083L);
        assertThat(CentsAmount.fromAmount(70368744177663.99)).isEqualTo(7036874417766399L);
        assertThat(CentsAmount.fromAmount(0.0)).isZero();
        assertThat(CentsAmount.fromAmount(-0.0)).isZero();
        // every whole-cents amount, parsed as the job's JSON parser does (Double.parseDouble), comes back exactly
        Random random = new Random(46);
        long limitCents = (long) CentsAmount.DOUBLE_EXACT_LIMIT * 100;
        for (int i = 0; i < 200_000; i++) {
            long cents = i < 100_000 ? limitCents - 1 - i : (long) (random.nextDouble() * limitCents);
            double amount = Double.parseDouble(CentsAmount.formatCents(cents));
            assertThat(CentsAmount.fromAmount(amount)).as("%d cents", cents).isEqualTo(cents);
        }
    }

    @Test
    void fromTwoToThe46TwoAmountsShareADoubleSoTheyAreRefused() {
        // the reason for the limit: above it a double cannot tell these cents apart
        assertThat(Double.parseDouble("70368744177664.01")).isEqualTo(Double.parseDouble("70368744177664.02"));
        assertThatThrownBy(() -> CentsAmount.fromAmount(70368744177664.00))
                .hasMessage("amount 7.0368744177664E13 is too large to be read to the cent: numbers are read as doubles,"
                        + " exact to the cent below 70368744177664.00");
        assertThatThrownBy(() -> CentsAmount.fromAmount(1e300)).hasMessageStartingWith("amount 1.0E300 is too large");
    }

    @Test
    void negativeAndNonFiniteDoublesAreRefused() {
        assertThatThrownBy(() -> CentsAmount.fromAmount(-100)).hasMessage("amount -100.0 is negative");
        assertThatThrownBy(() -> CentsAmount.fromAmount(-0.001)).hasMessage("amount -0.001 is negative");
        assertThatThrownBy(() -> CentsAmount.fromAmount(Double.NaN)).hasMessage("amount NaN is not a finite number");
        assertThatThrownBy(() -> CentsAmount.fromAmount(Double.POSITIVE_INFINITY)).hasMessage("amount Infinity is not a finite number");
    }

    @Test
    void aFractionOfACentInADoubleIsRoundedHalfEvenAsWritten() {
        assertThat(CentsAmount.fromAmount(0.1 + 0.2)).isEqualTo(30);  // 0.30000000000000004
        assertThat(CentsAmount.fromAmount(1.015)).isEqualTo(102);     // written 1.015: half-even to 1.02 (its binary value is below 1.015)
        assertThat(CentsAmount.fromAmount(1.005)).isEqualTo(100);     // written 1.005: half-even to 1.00
        assertThat(CentsAmount.fromAmount(2.999)).isEqualTo(300);
        assertThat(CentsAmount.fromAmount(1e-300)).isZero();
    }

    @Test
    void formatsCents() {
        assertThat(CentsAmount.formatCents(2910)).isEqualTo("29.10");
        assertThat(CentsAmount.formatCents(5)).isEqualTo("0.05");
        assertThat(CentsAmount.formatCents(0)).isEqualTo("0.00");
        assertThat(CentsAmount.formatCents(-105)).isEqualTo("-1.05");
        assertThat(CentsAmount.formatCents(Long.MAX_VALUE)).isEqualTo("92233720368547758.07");
        assertThat(CentsAmount.formatCents(BigInteger.TEN.pow(30))).isEqualTo("1" + "0".repeat(28) + ".00");
    }
}
