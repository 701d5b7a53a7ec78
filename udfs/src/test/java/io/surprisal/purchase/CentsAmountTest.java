package io.surprisal.purchase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CentsAmountTest {

    @ParameterizedTest(name = "\"{0}\" = {1} cents")
    @CsvSource({
        "16.83, 1683", "5, 500", "1601.8, 160180", "0, 0", "0.01, 1", "0.5, 50", "007.10, 710",
        "1.230, 123", "1.2300000, 123", "99999999999.99, 9999999999999", "9999999999999.99, 999999999999999"})
    void parsesExactCents(String text, long cents) {
        assertThat(CentsAmount.parseCents(text)).isEqualTo(cents);
    }

    @ParameterizedTest(name = "rejects \"{0}\"")
    @ValueSource(strings = {"", "abc", "1.234", "1.005", "-5", "+5", "1e3", "1,50", " 5", "5 ", ".5", "5.", "1.2.3",
        "NaN", "Infinity", "0x10", "10000000000000", "99999999999999.99"})
    void rejectsGarbage(String text) {
        assertThatThrownBy(() -> CentsAmount.parseCents(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("amount");
    }

    @Test
    void rejectsNullClearly() {
        assertThatThrownBy(() -> CentsAmount.parseCents(null)).hasMessage("amount is empty");
    }

    @Test
    void formatsCents() {
        assertThat(CentsAmount.formatCents(2910)).isEqualTo("29.10");
        assertThat(CentsAmount.formatCents(5)).isEqualTo("0.05");
        assertThat(CentsAmount.formatCents(0)).isEqualTo("0.00");
        assertThat(CentsAmount.formatCents(-105)).isEqualTo("-1.05");
        assertThat(CentsAmount.formatCents(BigInteger.TEN.pow(30))).isEqualTo("1" + "0".repeat(28) + ".00");
    }
}
