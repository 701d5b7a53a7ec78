package io.surprisal.tools.challenge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventTimestampTest {

    @Test
    void parsesToAChronologicalKey() {
        assertThat(EventTimestamp.parse("2017-06-13 11:33:01")).isEqualTo(20170613113301L);
        assertThat(EventTimestamp.parse("2016-02-29 23:59:59")).isLessThan(EventTimestamp.parse("2016-03-01 00:00:00"));
        assertThat(EventTimestamp.parse("2017-12-31 23:59:59")).isLessThan(EventTimestamp.parse("2018-01-01 00:00:00"));
    }

    @ParameterizedTest(name = "rejects \"{0}\"")
    @ValueSource(strings = {"", "2017-06-13T11:33:01", "2017-6-13 11:33:01", "2017-06-13 11:33:61", "2017-06-13 24:00:00",
        "2017-06-13 11:60:00", "2017-13-01 00:00:00", "2017-00-01 00:00:00", "2017-02-29 00:00:00", "2017-04-31 00:00:00",
        "2017-06-00 00:00:00", "2017-06-13 11:33:0x", "2017-06-13 11:33:01 "})
    void rejectsMalformedTimestamps(String text) {
        assertThatThrownBy(() -> EventTimestamp.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timestamp '" + text + "'");
    }
}
