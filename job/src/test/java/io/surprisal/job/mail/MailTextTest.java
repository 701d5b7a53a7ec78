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
