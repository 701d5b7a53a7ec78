package io.surprisal.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeTextTest {
    private static final String EMOJI = "\uD83D\uDE00";

    @Test
    void aPrefixNeverEndsInsideASurrogatePair() {
        assertThat(SafeText.prefix("abc" + EMOJI + "d", 4)).isEqualTo("abc");
        assertThat(SafeText.prefix("abc" + EMOJI + "d", 5)).isEqualTo("abc" + EMOJI);
        assertThat(SafeText.prefix("abc", 4)).isEqualTo("abc");
    }

    @Test
    void truncationKeepsWithinTheBoundAndSaysHowMuchWasLeftOut() {
        String t = SafeText.truncate("x".repeat(1000), 100);
        assertThat(t).hasSizeBetween(95, 100).startsWith("xxxx").endsWith("\u2026[+" + (1000 - t.indexOf('\u2026')) + " chars]");
        assertThat(SafeText.truncate("short", 100)).isEqualTo("short");
        String emojis = SafeText.truncate(EMOJI.repeat(500), 100);
        assertThat(emojis.length()).isLessThanOrEqualTo(100);
        assertThat(SafeText.hasLoneSurrogate(emojis)).isFalse();
    }

    @Test
    void loneSurrogatesAreReplacedAndPairsKept() {
        assertThat(SafeText.withoutLoneSurrogates("a\uD83Db" + EMOJI + "\uDE00")).isEqualTo("a\uFFFDb" + EMOJI + "\uFFFD");
        assertThat(SafeText.hasLoneSurrogate("a" + EMOJI)).isFalse();
        assertThat(SafeText.hasLoneSurrogate(EMOJI.substring(0, 1))).isTrue();
        assertThat(SafeText.truncate("mal\uD83Dlory", 100)).isEqualTo("mal\uFFFDlory");
    }

    @Test
    void aDeadLettersRawCutNeverSplitsACharacterAndItsErrorIsBounded() {
        // The 4,096-character cut falls between the two halves of the emoji.
        String line = "{" + "x".repeat(DeadLetter.RAW_LIMIT - 2) + EMOJI + "not json";
        DeadLetter d = new DeadLetter(DeadLetterReason.MALFORMED_JSON, "field 'status' must be 'success' or 'fail', got '"
                + "y".repeat(1_000_000) + "'", line, "f:1");
        assertThat(d.raw).hasSize(DeadLetter.RAW_LIMIT - 1).isEqualTo(line.substring(0, DeadLetter.RAW_LIMIT - 1));
        assertThat(SafeText.hasLoneSurrogate(d.raw)).isFalse();
        assertThat(d.error).hasSizeLessThanOrEqualTo(DeadLetter.ERROR_LIMIT).contains("chars]");
        DeadLetter lone = new DeadLetter(DeadLetterReason.LATE, "late", "{\"user\":\"mal\uD83Dlory\"}", "f:2");
        assertThat(lone.raw).isEqualTo("{\"user\":\"mal\uFFFDlory\"}");
    }
}
