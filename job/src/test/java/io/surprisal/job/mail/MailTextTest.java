package io.surprisal.job.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surprisal.alert.Reason;
import io.surprisal.config.ConfigException;
import org.junit.jupiter.api.Test;

class MailTextTest {
    @Test
    void htmlEscapesMarkupAndQuotes() {
        assertThat(MailText.html("<a href=\"x\" onclick='y'>&</a>")).isEqualTo("&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
    }

    @Test
    void lineRemovesEveryLineBreakAndControlCharacterAndCuts() {
        assertThat(MailText.line("Firefox\r\nBcc: x@example.com\u0000\u2028end", 100)).isEqualTo("Firefox  Bcc: x@example.com  end");
        assertThat(MailText.line("abcdefghij", 5)).isEqualTo("abcd\u2026");
    }

    @Test
    void bidirectionalAndZeroWidthCharactersAreShownByName() {
        String spoof = "admin\u202Egpj.exe\u200B\u2066x\u2069\uFEFF";
        assertThat(MailText.line(spoof, 100)).isEqualTo("admin[U+202E]gpj.exe[U+200B][U+2066]x[U+2069][U+FEFF]");
        assertThat(MailText.html(spoof)).isEqualTo("admin[U+202E]gpj.exe[U+200B][U+2066]x[U+2069][U+FEFF]");
        assertThat(MailText.log(spoof)).isEqualTo("admin\\u202egpj.exe\\u200b\\u2066x\\u2069\\ufeff");
        // What they become counts against the bound.
        assertThat(MailText.line("\u202E".repeat(50), 20)).hasSize(20).endsWith("\u2026");
    }

    @Test
    void loneSurrogatesBecomeReplacementCharactersAndCutsNeverSplitACharacter() {
        assertThat(MailText.line("mal\ud83dlory\ude00", 100)).isEqualTo("mal\uFFFDlory\uFFFD");
        assertThat(MailText.html("mal\ud83dlory", 100)).isEqualTo("mal\uFFFDlory");
        String emojiAtTheCut = "abcd\uD83D\uDE00efgh";
        assertThat(MailText.line(emojiAtTheCut, 6)).isEqualTo("abcd\u2026");
        assertThat(MailText.html(emojiAtTheCut, 6)).isEqualTo("abcd\u2026");
        assertThat(MailText.line(emojiAtTheCut, 7)).isEqualTo("abcd\uD83D\uDE00\u2026");
        assertThat(MailText.log("x".repeat(1999) + "\uD83D\uDE00")).hasSize(1999);
    }

    @Test
    void headersBreakEncodedWordsOpen() {
        String word = "=?UTF-8?B?bWFsbG9yeQ0KQmNjOiB4QGV4YW1wbGUuY29t?=";
        assertThat(MailText.header("user " + word, 200)).isEqualTo("user = ?UTF-8?B?bWFsbG9yeQ0KQmNjOiB4QGV4YW1wbGUuY29t?=");
        assertThat(MailText.header("==??=?", 200)).doesNotContain("=?");
    }

    @Test
    void logShowsControlCharactersAsEscapes() {
        assertThat(MailText.log("jane\r\n2026-01-01 INFO forged")).isEqualTo("jane\\u000d\\u000a2026-01-01 INFO forged");
    }

    @Test
    void reasonPhrasesSayNewForNeverSeenValues() {
        assertThat(MailComposer.phrase(new Reason("country", "UA", "never seen (DE 214 of 214)", 14))).isEqualTo("new country UA");
        assertThat(MailComposer.phrase(new Reason("session_total_bits", "212.4 bits over 180 events", "<= 153.5", 212)))
                .isEqualTo("session total bits 212.4 bits over 180 events");
    }

    @Test
    void malformedAddressesAreRefusedWhenTheJobIsBuilt() {
        assertThatThrownBy(() -> new MailSink(MailFixtures.config(25, "mail.routes=[{detectors: [], min-severity: high, to: ['not an address']}]").mail()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not an address");
    }
}
