package io.surprisal.flink;

import io.surprisal.event.DeadLetter;
import io.surprisal.event.EventTimeGuard;
import io.surprisal.event.SourceLine;
import io.surprisal.event.SourceRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Reads a file of JSON lines as {@link SourceRecord}s: each line parsed into an event that knows its
 * {@code file:line}, and checked by the file's {@link EventTimeGuard}, or a dead letter. A line
 * longer than the limit is not held in memory: its first 4 KiB are kept and the rest skipped, and
 * it is marked truncated so the parser sends it to the dead letters. Blank lines are skipped. Not
 * splittable, so a restore re-reads from the start and skips what was already emitted: line
 * numbers and the guard's decisions come out the same.
 */
public class JsonLinesFormat extends SimpleStreamFormat<SourceRecord> {
    private final String fileLabel;
    private final int maxLineBytes;
    private final Duration outOfOrderness;
    private final Duration maxAhead;

    public JsonLinesFormat(String fileLabel, int maxLineBytes, Duration outOfOrderness, Duration maxAhead) {
        this.fileLabel = fileLabel;
        this.maxLineBytes = maxLineBytes;
        this.outOfOrderness = outOfOrderness;
        this.maxAhead = maxAhead;
    }

    @Override
    public StreamFormat.Reader<SourceRecord> createReader(Configuration config, FSDataInputStream stream) {
        return new RecordReader(new LineReader(stream, fileLabel, maxLineBytes), new EventTimeGuard(outOfOrderness, maxAhead));
    }

    @Override
    public TypeInformation<SourceRecord> getProducedType() {
        return TypeInformation.of(SourceRecord.class);
    }

    /**
     * Parses lines and admits their events into event time. An event that jumps ahead of the file
     * so far waits for the file's next event to say whether the stream moved on with it; at most
     * {@link #MAX_LOOKAHEAD} lines are read ahead for that.
     */
    static final class RecordReader implements StreamFormat.Reader<SourceRecord> {
        static final int MAX_LOOKAHEAD = 64;

        private final LineReader lines;
        private final EventTimeGuard guard;
        /** Lines read ahead, parsed, not yet judged. */
        private final ArrayDeque<Parsed> ahead = new ArrayDeque<>();

        RecordReader(LineReader lines, EventTimeGuard guard) {
            this.lines = lines;
            this.guard = guard;
        }

        private record Parsed(SourceRecord record, String raw) {}

        @Override
        public SourceRecord read() throws IOException {
            Parsed head = ahead.isEmpty() ? next() : ahead.pollFirst();
            if (head == null) {
                return null;
            }
            SourceRecord r = head.record();
            if (r.event == null) {
                return r;
            }
            long nextTs = guard.needsNextEvent(r.event.ts) ? nextEventTime() : Long.MIN_VALUE;
            return guard.admitBeforeNext(r.event, head.raw(), nextTs);
        }

        /** The time of the next event among the lines ahead, reading more when needed. */
        private long nextEventTime() throws IOException {
            for (Parsed p : ahead) {
                if (p.record().event != null) {
                    return p.record().event.ts;
                }
            }
            while (ahead.size() < MAX_LOOKAHEAD) {
                Parsed p = next();
                if (p == null) {
                    break;
                }
                ahead.addLast(p);
                if (p.record().event != null) {
                    return p.record().event.ts;
                }
            }
            return Long.MIN_VALUE;
        }

        private Parsed next() throws IOException {
            SourceLine line = lines.read();
            return line == null ? null : new Parsed(SourceRecord.parse(line), line.text);
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }

    /** Byte-level line reader with a size cap. */
    static final class LineReader {
        private final InputStream in;
        private final String label;
        private final int max;
        private final byte[] buf = new byte[64 * 1024];
        private int pos;
        private int limit;
        private long lineNo;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);

        LineReader(InputStream in, String label, int max) {
            this.in = in;
            this.label = label;
            this.max = max;
        }

        SourceLine read() throws IOException {
            while (true) {
                line.reset();
                long length = 0;
                boolean sawAny = false;
                boolean eol = false;
                while (!eol) {
                    if (pos >= limit) {
                        limit = in.read(buf);
                        pos = 0;
                        if (limit <= 0) {
                            limit = 0;
                            break;
                        }
                    }
                    sawAny = true;
                    int start = pos;
                    while (pos < limit && buf[pos] != '\n') {
                        pos++;
                    }
                    int n = pos - start;
                    if (pos < limit) {
                        eol = true;
                        pos++;
                    }
                    // Hold at most what a usable line or a dead letter's raw text needs; skip the rest.
                    int keep = Math.max(0, Math.min(n, Math.max(max, DeadLetter.RAW_LIMIT) - line.size()));
                    line.write(buf, start, keep);
                    length += n;
                }
                if (!sawAny) {
                    return null;
                }
                lineNo++;
                byte[] bytes = line.toByteArray();
                int len = bytes.length;
                if (len > 0 && bytes[len - 1] == '\r' && length <= max) {
                    len--;
                    length--;
                }
                boolean truncated = length > max;
                SourceLine decoded = SourceLine.decode(bytes, truncated ? Math.min(len, DeadLetter.RAW_LIMIT) : len,
                        label + ":" + lineNo, length, truncated);
                if (!truncated && decoded.text.isBlank()) {
                    if (!eol && limit == 0) {
                        return null;
                    }
                    continue;
                }
                return decoded;
            }
        }

        void close() throws IOException {
            in.close();
        }
    }
}
