package io.surprisal.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surprisal.alert.AlertJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventParserTest {
    static final String FULL = "{\"ts\": \"2026-11-02T08:15:02Z\", \"event_id\": \"e1\", \"user\": \"jane\", \"session\": \"s-1\", "
            + "\"action\": \"login\", \"status\": \"fail\", \"ip\": \"203.0.113.7\", \"country\": \"US\", \"region\": \"CA\", "
            + "\"city\": \"San Jose\", \"asn\": 7922, \"lat\": 37.3382, \"lon\": -121.8863, \"user_agent\": \"Mozilla/5.0 Chrome/131.0\", \"device\": \"desktop\", "
            + "\"amount\": 12.5, \"tenant\": \"shop-eu\", \"tags\": [\"a\", {\"b\": 1}]}";

    @Test
    void parsesEveryFieldOfTheContractAndKeepsUnknownOnes() throws Exception {
        Event e = EventParser.parse(FULL);
        assertThat(e.ts).isEqualTo(1793607302000L);
        assertThat(e.eventId).isEqualTo("e1");
        assertThat(e.user).isEqualTo("jane");
        assertThat(e.session).isEqualTo("s-1");
        assertThat(e.action).isEqualTo("login");
        assertThat(e.fail).isTrue();
        assertThat(e.state()).isEqualTo("login:fail");
        assertThat(e.ip).isEqualTo("203.0.113.7");
        assertThat(e.country).isEqualTo("US");
        assertThat(e.region).isEqualTo("CA");
        assertThat(e.city).isEqualTo("San Jose");
        assertThat(e.asn).isEqualTo(7922L);
        assertThat(e.lat).isEqualTo(37.3382);
        assertThat(e.lon).isEqualTo(-121.8863);
        assertThat(e.userAgent).isEqualTo("Mozilla/5.0 Chrome/131.0");
        assertThat(e.device).isEqualTo("desktop");
        assertThat(e.amount).isEqualTo(12.5);
        assertThat(e.tenant).isEqualTo("shop-eu");
        assertThat(e.extra).isEqualTo("{\"tags\":[\"a\",{\"b\":1}]}");
        // Unknown fields travel with the event into alerts.
        assertThat(AlertJson.toJson(e)).contains("\"lat\":37.3382,\"lon\":-121.8863").contains("\"user\":\"jane\",\"tenant\":\"shop-eu\"").contains("\"tags\":[\"a\",{\"b\":1}]");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"2026-11-02T08:15:02Z\"|1793607302000",
        "\"2026-11-02T10:15:02+02:00\"|1793607302000",
        "\"2026-11-02 08:15:02\"|1793607302000",
        "1793607302000|1793607302000",
        "\"2026-11-02T08:15:02.250Z\"|1793607302250"})
    void acceptsTheThreeTimeForms(String ts, long expected) throws Exception {
        assertThat(EventParser.parse("{\"ts\": " + ts + ", \"user\": \"u\", \"action\": \"login\"}").ts).isEqualTo(expected);
    }

    @Test
    void statusDefaultsToSuccessAndEventIdToAHashOfTheLine() throws Exception {
        String line = "{\"ts\": 1, \"user\": \"u\", \"action\": \"view_item\"}";
        Event a = EventParser.parse(line);
        Event b = EventParser.parse(line);
        assertThat(a.fail).isFalse();
        assertThat(a.eventId).startsWith("h").isEqualTo(b.eventId);
        assertThat(EventParser.parse(line.replace("view_item", "buy_item")).eventId).isNotEqualTo(a.eventId);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "not json at all|malformed_json|not valid JSON",
        "[1, 2]|malformed_json|not a JSON object",
        "{\"ts\": 1, \"user\": \"u\", \"action\": \"a\"} trailing|malformed_json|trailing",
        "{\"ts\": 1, \"user\": \"u\"|malformed_json|not valid JSON",
        "{\"user\": \"u\", \"action\": \"login\"}|missing_field|'ts' is missing",
        "{\"ts\": 1, \"action\": \"login\"}|missing_field|'user' is missing",
        "{\"ts\": 1, \"user\": \"u\"}|missing_field|'action' is missing",
        "{\"ts\": 1, \"user\": \"\", \"action\": \"login\"}|missing_field|'user' is missing or empty",
        "{\"ts\": 1, \"user\": 42, \"action\": \"login\"}|wrong_type|'user' must be a string, got a number",
        "{\"ts\": true, \"user\": \"u\", \"action\": \"login\"}|wrong_type|'ts' must be",
        "{\"ts\": \"yesterday\", \"user\": \"u\", \"action\": \"login\"}|wrong_type|not an ISO-8601 instant",
        "{\"ts\": \"2026-11-02T08:15:02\", \"user\": \"u\", \"action\": \"login\"}|wrong_type|no zone",
        "{\"ts\": 1, \"user\": \"u\", \"action\": \"login\", \"status\": \"maybe\"}|wrong_type|'success' or 'fail'",
        "{\"ts\": 1, \"user\": \"u\", \"action\": \"login\", \"asn\": \"7922\"}|wrong_type|'asn' must be an integer",
        "{\"ts\": 1, \"user\": \"u\", \"action\": \"buy_item\", \"amount\": \"12\"}|wrong_type|'amount' must be a number",
        "{\"ts\": 1, \"user\": \"u\", \"action\": \"login\", \"lat\": 90.5}|wrong_type|'lat' must be decimal degrees in [-90, 90], got 90.5",
        "{\"ts\": 1, \"user\": \"u\", \"action\": \"login\", \"lon\": -181}|wrong_type|'lon' must be decimal degrees in [-180, 180], got -181",
        "{\"ts\": 1, \"user\": \"u\", \"action\": \"login\", \"lat\": \"50.4\"}|wrong_type|'lat' must be a number, got a string",
        "{\"ts\": 1, \"user\": \"u\", \"action\": \"login\", \"lon\": 1e999}|wrong_type|'lon' must be decimal degrees",
        "{\"ts\": 1, \"user\": {\"id\": 1}, \"action\": \"login\"}|wrong_type|'user' must be a string, got an object"})
    void everyKindOfBadInputGetsItsReason(String line, String reason, String message) {
        SourceLine source = new SourceLine(line, "f.jsonl:7", line.length(), false);
        Object r = EventParser.parseOrDeadLetter(source);
        assertThat(r).isInstanceOf(DeadLetter.class);
        DeadLetter d = (DeadLetter) r;
        assertThat(d.reason).isEqualTo(reason);
        assertThat(d.error).contains(message);
        assertThat(d.raw).isEqualTo(line);
        assertThat(d.source).isEqualTo("f.jsonl:7");
    }

    @Test
    void aTooLongLineIsADeadLetterWithItsStartKept() {
        String start = "x".repeat(DeadLetter.RAW_LIMIT + 10);
        DeadLetter d = (DeadLetter) EventParser.parseOrDeadLetter(new SourceLine(start, "f:1", 2_000_000, true));
        assertThat(d.reason).isEqualTo("too_long");
        assertThat(d.error).contains("2000000 bytes");
        assertThat(d.raw).hasSize(DeadLetter.RAW_LIMIT);
    }

    @Test
    void timestampsRejectGarbage() {
        assertThatThrownBy(() -> Timestamps.parse("2026-13-45 99:00:00")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Timestamps.format(1793607302000L)).isEqualTo("2026-11-02T08:15:02Z");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"+1000000000-01-01T00:00:00Z\"", "-9223372036854775000", "9223372036854775807",
            "99999999999999999999", "\"-0001-01-01T00:00:00Z\""})
    void aTimeOutsideYearsOneTo9999IsADeadLetterNotAnException(String ts) {
        DeadLetter d = (DeadLetter) EventParser.parseOrDeadLetter(
                new SourceLine("{\"ts\": " + ts + ", \"user\": \"u\", \"action\": \"login\"}", "f:1", 60, false));
        assertThat(d.reason).isEqualTo("wrong_type");
        assertThat(d.error).contains("outside the supported years 0001 to 9999");
    }

    @Test
    void theSupportedRangeEndsAreEvents() throws Exception {
        assertThat(EventParser.parse("{\"ts\": \"9999-12-31T23:59:59.999Z\", \"user\": \"u\", \"action\": \"a\"}").ts)
                .isEqualTo(Timestamps.MAX_MILLIS);
        assertThat(EventParser.parse("{\"ts\": \"0001-01-01T00:00:00Z\", \"user\": \"u\", \"action\": \"a\"}").ts)
                .isEqualTo(Timestamps.MIN_MILLIS);
    }

    @Test
    void invalidUtf8IsADeadLetterSoTwoByteStringsNeverBecomeOneUser() {
        byte[] a = "{\"ts\": 1, \"user\": \"u?1\", \"action\": \"login\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] b = a.clone();
        int at = new String(a, java.nio.charset.StandardCharsets.UTF_8).indexOf('?');
        a[at] = (byte) 0xff;
        b[at] = (byte) 0xfe;
        for (byte[] bytes : new byte[][] {a, b}) {
            DeadLetter d = (DeadLetter) EventParser.parseOrDeadLetter(SourceLine.decode(bytes, bytes.length, "f:1", bytes.length, false));
            assertThat(d.reason).isEqualTo("invalid_utf8");
            assertThat(d.error).isEqualTo("not valid UTF-8 at byte " + at);
        }
    }

    @Test
    void aByteOrderMarkIsSkippedAndAnEncodedReplacementCharacterIsValid() throws Exception {
        byte[] line = ("\uFEFF{\"ts\": 1, \"user\": \"u\uFFFD\", \"action\": \"login\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Event e = EventParser.parse(SourceLine.decode(line, line.length, "f:1", line.length, false));
        assertThat(e.user).isEqualTo("u\uFFFD");
    }

    @Test
    void aLoneSurrogateEscapeInANamedFieldIsADeadLetter() {
        DeadLetter d = (DeadLetter) EventParser.parseOrDeadLetter(
                new SourceLine("{\"ts\": 1, \"user\": \"u\\ud800x\", \"action\": \"login\"}", "f:1", 50, false));
        assertThat(d.reason).isEqualTo("invalid_utf8");
        assertThat(d.error).contains("field 'user'").contains("lone UTF-16 surrogate");
        assertThat(d.raw).contains("u\\ud800x");
    }

    @Test
    void aSurrogatePairEscapeIsAnOrdinaryCharacter() throws Exception {
        assertThat(EventParser.parse("{\"ts\": 1, \"user\": \"u\\ud83d\\ude00\", \"action\": \"login\"}").user).isEqualTo("u\uD83D\uDE00");
    }
}
