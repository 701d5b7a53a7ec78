package io.surprisal.job;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.InputStatus;

/**
 * Any source whose single reader stops after {@code limit} records and then waits forever, without
 * ending: the job keeps running with exactly those records read, so a savepoint taken then holds a
 * cut of the stream that does not depend on timing. Splits and checkpoints are the wrapped
 * source's, so a job restored from that savepoint with the wrapped source itself reads on from the
 * cut. {@link #EMITTED} tells the test when the reader has reached it.
 */
final class HaltingSource<T, SplitT extends SourceSplit, EnumChkT> extends WrappedSource<T, SplitT, EnumChkT> {
    private static final long serialVersionUID = 1L;
    /** Records the reader of the running job has emitted; a job with one halting reader at a time. */
    static final AtomicLong EMITTED = new AtomicLong();
    /**
     * Completed by a test, lets the running job's halted reader go on (and end at the end of its
     * input); a test that completes it puts a new one back before another job starts.
     */
    static volatile CompletableFuture<Void> RELEASE = new CompletableFuture<>();

    private final long limit;

    HaltingSource(Source<T, SplitT, EnumChkT> source, long limit) {
        super(source);
        this.limit = limit;
    }

    @Override
    public SourceReader<T, SplitT> createReader(SourceReaderContext context) throws Exception {
        EMITTED.set(0);
        return new Reader<>(source.createReader(context), limit);
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }





    private static final class Reader<T, SplitT extends SourceSplit> implements SourceReader<T, SplitT> {
        private final SourceReader<T, SplitT> reader;
        private final long limit;
        private long emitted;

        Reader(SourceReader<T, SplitT> reader, long limit) {
            this.reader = reader;
            this.limit = limit;
        }

        @Override
        public void start() {
            reader.start();
        }

        @Override
        public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
            boolean released = RELEASE.isDone();
            if (emitted >= limit && !released) {
                return InputStatus.NOTHING_AVAILABLE;
            }
            InputStatus status = reader.pollNext(new Counting(output));
            if (released) {
                return status;
            }
            if (emitted >= limit || status == InputStatus.END_OF_INPUT) {
                return InputStatus.NOTHING_AVAILABLE;
            }
            return status;
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            return emitted >= limit && !RELEASE.isDone() ? RELEASE : reader.isAvailable();
        }

        @Override
        public List<SplitT> snapshotState(long checkpointId) {
            return reader.snapshotState(checkpointId);
        }

        @Override
        public void addSplits(List<SplitT> splits) {
            reader.addSplits(splits);
        }

        @Override
        public void notifyNoMoreSplits() {
            reader.notifyNoMoreSplits();
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            reader.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void close() throws Exception {
            reader.close();
        }

        /** Counts what the wrapped reader emits, whether to the reader's output or a split's. */
        private final class Counting implements ReaderOutput<T> {
            private final ReaderOutput<T> output;

            Counting(ReaderOutput<T> output) {
                this.output = output;
            }

            private void counted() {
                emitted++;
                EMITTED.set(emitted);
            }

            @Override
            public void collect(T record) {
                output.collect(record);
                counted();
            }

            @Override
            public void collect(T record, long timestamp) {
                output.collect(record, timestamp);
                counted();
            }

            @Override
            public void emitWatermark(Watermark watermark) {
                output.emitWatermark(watermark);
            }

            @Override
            public void markIdle() {
                output.markIdle();
            }

            @Override
            public void markActive() {
                output.markActive();
            }

            @Override
            public SourceOutput<T> createOutputForSplit(String splitId) {
                SourceOutput<T> split = output.createOutputForSplit(splitId);
                return new SourceOutput<>() {
                    @Override
                    public void collect(T record) {
                        split.collect(record);
                        counted();
                    }

                    @Override
                    public void collect(T record, long timestamp) {
                        split.collect(record, timestamp);
                        counted();
                    }

                    @Override
                    public void emitWatermark(Watermark watermark) {
                        split.emitWatermark(watermark);
                    }

                    @Override
                    public void markIdle() {
                        split.markIdle();
                    }

                    @Override
                    public void markActive() {
                        split.markActive();
                    }
                };
            }

            @Override
            public void releaseOutputForSplit(String splitId) {
                output.releaseOutputForSplit(splitId);
            }
        }
    }
}
