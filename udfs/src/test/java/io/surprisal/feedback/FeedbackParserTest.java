package io.surprisal.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surprisal.event.DeadLetterReason;
import io.surprisal.event.Timestamps;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

class FeedbackParserTest {
    private static final FeedbackParser PARSER = new FeedbackParser(Duration.ofDays(30));
    private static final long AT = Timestamps.parse("2026-12-06T10:00:00Z");

    @Test
    void aFalsePositiveOfTheSharedSpecHoldsForItsPeriodOrTheConfiguredOne() throws Exception {
        Feedback f = PARSER.parse("{\"schema_version\":1, \"action\":\"false_positive\", \"at\":\"2026-12-06T10:00:00Z\", \"by\":\"dashboard\","
                + " \"alert_id\":\"a-1\", \"user\":\"u123\", \"tenant\":null, \"detector\":\"login-novelty\", \"repeat_key\":\"9f2c0000aaaabbbb\","
                + " \"until\":\"2027-01-05T10:00:00Z\", \"note\":\"free text\", \"a field of a later version\": [1]}");
        assertThat(f).isEqualTo(new Feedback(FeedbackAction.FALSE_POSITIVE, AT, Timestamps.parse("2027-01-05T10:00:00Z"), "dashboard", "a-1",
                "u123", null, "login-novelty", "9f2c0000aaaabbbb", null));
        assertThat(f.suppressionKey()).isEqualTo(Feedback.falsePositiveKey("u123", "9f2c0000aaaabbbb"));

        Feedback noEnd = PARSER.parse("{\"action\":\"false_positive\",\"at\":\"2026-12-06T10:00:00Z\",\"user\":\"u1\",\"tenant\":\"t\",\"repeat_key\":\"0123456789abcdef\"}");
        assertThat(noEnd.until()).isEqualTo(AT + Duration.ofDays(30).toMillis());
        assertThat(noEnd.userKey()).isEqualTo(io.surprisal.event.UserKey.of("t", "u1"));
    }

    @Test
    void muteAllowlistAndAcknowledge() throws Exception {
        Feedback mute = PARSER.parse("{\"action\":\"mute\",\"at\":\"2026-12-06T10:00:00Z\",\"user\":\"jane\",\"detector\":\"*\",\"until\":\"2026-12-07T10:00:00Z\"}");
        assertThat(mute.suppressionKey()).isEqualTo(Feedback.muteKey("jane", Feedback.ALL_DETECTORS));
        assertThat(mute.until()).isEqualTo(AT + Duration.ofDays(1).toMillis());

        Feedback allow = PARSER.parse("{\"action\":\"allowlist\",\"at\":\"2026-12-06T10:00:00Z\",\"network\":\"203.0.113.7/24\"}");
        assertThat(allow.network()).isEqualTo("203.0.113.7/24");

        Feedback ack = PARSER.parse("{\"action\":\"acknowledge\",\"at\":\"2026-12-06T10:00:00Z\",\"alert_id\":\"a-1\"}");
        assertThat(ack.action()).isEqualTo(FeedbackAction.ACKNOWLEDGE);
        assertThatThrownBy(ack::suppressionKey).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void invalidRecordsSayWhy() {
        assertInvalid("{\"action\":", DeadLetterReason.MALFORMED_JSON, "not JSON");
        assertInvalid("[1,2]", DeadLetterReason.MALFORMED_JSON, "not a JSON object");
        assertInvalid("{\"action\":\"delete\",\"at\":\"2026-12-06T10:00:00Z\"}", DeadLetterReason.WRONG_TYPE, "action must be");
        assertInvalid("{\"action\":\"mute\",\"user\":\"jane\",\"detector\":\"*\",\"until\":\"2026-12-07T10:00:00Z\"}", DeadLetterReason.MISSING_FIELD, "'at'");
        assertInvalid("{\"action\":\"mute\",\"at\":\"2026-12-06T10:00:00Z\",\"user\":\"jane\",\"detector\":\"*\"}", DeadLetterReason.MISSING_FIELD, "until");
        assertInvalid("{\"action\":\"mute\",\"at\":\"tomorrow\",\"user\":\"jane\",\"detector\":\"*\",\"until\":\"x\"}", DeadLetterReason.WRONG_TYPE, "'at'");
        assertInvalid("{\"action\":\"false_positive\",\"at\":\"2026-12-06T10:00:00Z\",\"user\":\"jane\"}", DeadLetterReason.MISSING_FIELD, "repeat_key");
        assertInvalid("{\"action\":\"false_positive\",\"at\":\"2026-12-06T10:00:00Z\",\"user\":\"jane\",\"repeat_key\":\"XYZ\"}",
                DeadLetterReason.WRONG_TYPE, "16 lower-case hex");
        assertInvalid("{\"action\":\"false_positive\",\"at\":\"2026-12-06T10:00:00Z\",\"user\":7,\"repeat_key\":\"0123456789abcdef\"}",
                DeadLetterReason.WRONG_TYPE, "'user' must be a string");
        assertInvalid("{\"action\":\"allowlist\",\"at\":\"2026-12-06T10:00:00Z\",\"network\":\"not-a-net\"}", DeadLetterReason.WRONG_TYPE, "network");
        assertInvalid("{\"action\":\"acknowledge\",\"at\":\"2026-12-06T10:00:00Z\"}", DeadLetterReason.MISSING_FIELD, "alert_id");
        assertInvalid("{\"schema_version\":2,\"action\":\"acknowledge\",\"at\":\"2026-12-06T10:00:00Z\",\"alert_id\":\"a\"}",
                DeadLetterReason.WRONG_TYPE, "schema_version must be 1");
        assertInvalid("{\"note\":\"" + "x".repeat(FeedbackParser.MAX_CHARS) + "\"}", DeadLetterReason.TOO_LONG, "longer than");
    }

    @Test
    void flinkSerializesItAsAPojoNotWithKryo() {
        assertThat(TypeInformation.of(Feedback.class)).isInstanceOf(PojoTypeInfo.class);
    }

    private static void assertInvalid(String line, DeadLetterReason reason, String message) {
        assertThatThrownBy(() -> PARSER.parse(line))
                .isInstanceOf(InvalidFeedbackException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((InvalidFeedbackException) e).reason()).isEqualTo(reason));
    }
}
