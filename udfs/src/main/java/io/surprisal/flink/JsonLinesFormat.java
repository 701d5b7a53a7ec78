package io.surprisal.flink;

import io.surprisal.event.DeadLetter;
import io.surprisal.event.SourceLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Reads a file of JSON lines as {@link SourceLine}s that know their {@code file:line}. A line longer
 * than the limit is not held in memory: its first 4 KiB are kept and the rest skipped, and it is
 * marked truncated so the parser sends it to the dead letters. Blank lines are skipped. Not
 * splittable, so a restore re-reads from the start and skips what was already emitted, and line
 * numbers stay right.
 */
public class JsonLinesFormat extends SimpleStreamFormat<SourceLine> {
    private final String fileLabel;
    private final int maxLineBytes;

    public JsonLinesFormat(String fileLabel, int maxLineBytes) {
        this.fileLabel = fileLabel;
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    public StreamFormat.Reader<SourceLine> createReader(Configuration config, FSDataInputStream stream) {
        return new LineReader(stream, fileLabel, maxLineBytes);
    }

    @Override
    public TypeInformation<SourceLine> getProducedType() {
        return TypeInformation.of(SourceLine.class);
    }

    /** Byte-level line reader with a size cap. */
    static final class LineReader implements StreamFormat.Reader<SourceLine> {
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

        @Override
        public SourceLine read() throws IOException {
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
                String text = new String(bytes, 0, truncated ? Math.min(len, DeadLetter.RAW_LIMIT) : len, StandardCharsets.UTF_8);
                if (!truncated && text.isBlank()) {
                    if (!eol && limit == 0) {
                        return null;
                    }
                    continue;
                }
                return new SourceLine(text, label + ":" + lineNo, length, truncated);
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
