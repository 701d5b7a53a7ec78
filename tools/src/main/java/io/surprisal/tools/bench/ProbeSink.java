package io.surprisal.tools.bench;

import io.surprisal.alert.Alert;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/** The benchmark's alert sink: discards alerts after counting them and timing them ({@link BenchProbe#alert}). */
public final class ProbeSink implements Sink<Alert> {
    @Override
    public SinkWriter<Alert> createWriter(WriterInitContext context) {
        return new SinkWriter<>() {
            @Override
            public void write(Alert alert, Context ctx) {
                BenchProbe.alert(alert);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
