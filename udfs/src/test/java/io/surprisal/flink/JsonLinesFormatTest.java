package io.surprisal.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.event.DeadLetter;
import io.surprisal.event.SourceLine;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonLinesFormatTest {
    @Test
    void linesKnowTheirNumbersAndBlankLinesAreSkipped() throws Exception {
        List<SourceLine> lines = read("{\"a\":1}\n\n  \r\n{\"b\":2}\r\n{\"c\":3}", 1024);
        assertThat(lines).extracting(l -> l.text).containsExactly("{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
        assertThat(lines).extracting(l -> l.source).containsExactly("f.jsonl:1", "f.jsonl:4", "f.jsonl:5");
        assertThat(lines).noneMatch(l -> l.truncated);
    }

    @Test
    void aLineOverTheLimitIsTruncatedNotHeldAndTheNextLineIsIntact() throws Exception {
        String longLine = "{\"x\":\"" + "y".repeat(200_000) + "\"}";
        List<SourceLine> lines = read(longLine + "\n{\"ok\":true}\n", 65_536);
        assertThat(lines).hasSize(2);
        SourceLine big = lines.get(0);
        assertThat(big.truncated).isTrue();
        assertThat(big.length).isEqualTo(longLine.length());
        assertThat(big.text.length()).isLessThanOrEqualTo(Math.max(65_536, DeadLetter.RAW_LIMIT));
        assertThat(lines.get(1).text).isEqualTo("{\"ok\":true}");
        assertThat(lines.get(1).source).isEqualTo("f.jsonl:2");
    }

    @Test
    void multiByteCharactersSurviveBufferBoundaries() throws Exception {
        String ua = "Mozilla/5.0 ü ✓ 日本 ".repeat(5000);
        List<SourceLine> lines = read("{\"user_agent\":\"" + ua + "\"}\n", 1 << 20);
        assertThat(lines.get(0).text).contains(ua);
    }

    private static List<SourceLine> read(String content, int max) throws Exception {
        var reader = new JsonLinesFormat.LineReader(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), "f.jsonl", max);
        List<SourceLine> out = new ArrayList<>();
        SourceLine l;
        while ((l = reader.read()) != null) {
            out.add(l);
        }
        return out;
    }
}
