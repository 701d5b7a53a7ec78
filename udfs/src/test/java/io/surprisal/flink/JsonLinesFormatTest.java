package io.surprisal.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.event.DeadLetter;
import io.surprisal.event.EventTimeGuard;
import io.surprisal.event.SourceLine;
import io.surprisal.event.SourceRecord;
import java.time.Duration;
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

    @Test
    void aLineDatedAheadOfTheFileIsFutureAndEveryLaterEventStillCounts() throws Exception {
        List<SourceRecord> records = records(String.join("\n",
                event("2026-11-02T10:00:00Z", "a"),
                event("9999-12-31T23:59:59Z", "evil"),
                "not json",
                event("2026-11-02T10:00:01Z", "b"),
                event("2026-11-02T18:00:00Z", "c"),
                event("2026-11-02T18:00:03Z", "d")));
        assertThat(records).extracting(r -> r.event != null ? r.event.user : r.deadLetter.reason)
                .containsExactly("a", "future", "malformed_json", "b", "c", "d");
        assertThat(records.get(1).deadLetter.source).isEqualTo("f.jsonl:2");
    }

    @Test
    void aByteOrderMarkIsSkippedAndInvalidUtf8IsADeadLetter() throws Exception {
        byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
        byte[] first = event("2026-11-02T10:00:00Z", "a").getBytes(StandardCharsets.UTF_8);
        byte[] bad = event("2026-11-02T10:00:01Z", "b\u00e9").getBytes(StandardCharsets.UTF_8);
        bad[bad.length - 26] = (byte) 0xc3; // the é's lead byte stays, its continuation becomes ASCII
        bad[bad.length - 25] = 'x';
        var out = new java.io.ByteArrayOutputStream();
        out.write(bom);
        out.write(first);
        out.write('\n');
        out.write(bad);
        List<SourceRecord> records = records(out.toByteArray());
        assertThat(records.get(0).event.user).isEqualTo("a");
        assertThat(records.get(1).deadLetter.reason).isEqualTo("invalid_utf8");
    }

    private static String event(String ts, String user) {
        return "{\"ts\":\"" + ts + "\",\"user\":\"" + user + "\",\"action\":\"login\"}";
    }

    private static List<SourceRecord> records(String content) throws Exception {
        return records(content.getBytes(StandardCharsets.UTF_8));
    }

    private static List<SourceRecord> records(byte[] content) throws Exception {
        var reader = new JsonLinesFormat.RecordReader(new JsonLinesFormat.LineReader(new ByteArrayInputStream(content), "f.jsonl", 1 << 20),
                new EventTimeGuard(Duration.ofSeconds(5), Duration.ofMinutes(5)));
        List<SourceRecord> out = new ArrayList<>();
        SourceRecord r;
        while ((r = reader.read()) != null) {
            out.add(r);
        }
        return out;
    }
}
