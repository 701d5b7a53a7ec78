package io.surprisal.job;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Appends lines to one local file per parallel writer ({@code <prefix>-<subtask>}): the sink of
 * {@link LocalRunner}, where the job runs in this JVM and the runner merges the files when the job
 * has finished. Not for clusters. Never fails on text ({@link Utf8Writers}).
 */
public class LocalLinesSink implements Sink<String> {
    /** Lines written by all writers of this JVM so far (what a local run has produced while it runs). */
    public static final AtomicLong WRITTEN = new AtomicLong();

    private final String prefix;

    public LocalLinesSink(Path prefix) {
        this.prefix = prefix.toString();
    }

    @Override
    public SinkWriter<String> createWriter(WriterInitContext context) throws IOException {
        Path file = Path.of(prefix + "-" + context.getTaskInfo().getIndexOfThisSubtask());
        return new Writer(Utf8Writers.of(file));
    }

    private static final class Writer implements SinkWriter<String> {
        private final BufferedWriter out;

        Writer(BufferedWriter out) {
            this.out = out;
        }

        @Override
        public void write(String line, Context context) throws IOException {
            out.write(line);
            out.write('\n');
            WRITTEN.incrementAndGet();
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
