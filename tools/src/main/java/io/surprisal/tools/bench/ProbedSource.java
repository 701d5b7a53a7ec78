package io.surprisal.tools.bench;

import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import io.surprisal.job.WrappedSource;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.InputStatus;

/**
 * Wraps the job's own source (the file source, so the benchmark reads lines exactly as {@code
 * surprisal run} does) with the benchmark's probes: it records when each record leaves the reader
 * ({@link BenchProbe}), optionally paces the reader to a fixed rate and stops after a number of
 * records, and optionally holds the reader open after its last record until a checkpoint taken
 * after that record has completed and the benchmark has read the state figures. Everything else
 * (splits, enumerator, serializers) is the wrapped source's.
 */
public final class ProbedSource<T, S extends SourceSplit, E> extends WrappedSource<T, S, E> {
    /**
     * @param eventsPerSecond pace of the reader, or 0 for as fast as the job takes them
     * @param limit records after which the reader ends
     * @param waitForCheckpoint hold the reader open after its last record until {@link BenchProbe#release}
     */
    public record Settings(double eventsPerSecond, long limit, boolean waitForCheckpoint) implements Serializable {}

    private final Settings settings;

    public ProbedSource(Source<T, S, E> inner, Settings settings) {
        super(inner);
        this.settings = settings;
    }






    @Override
    public SourceReader<T, S> createReader(SourceReaderContext context) throws Exception {
        return new Reader<>(source.createReader(context), settings);
    }

    /**
     * A paced reader emits until it is this far ahead of schedule, then waits until the schedule
     * catches up: it wakes about once a millisecond with a few records, not once per record (a timer
     * per record cost the paced run an eighth of a core on 2). Every record is stamped when it is
     * emitted, so latency is measured from then.
     */
    private static final long PACE_SLACK_NANOS = 1_000_000L;

    private static final class Reader<T, S extends SourceSplit> implements SourceReader<T, S> {
        private final SourceReader<T, S> inner;
        private final Settings settings;
        private final long periodNanos;
        private final Output<T> output = new Output<>();
        private ScheduledExecutorService timer;
        private long nextDue;
        private long emitted;
        private boolean ended;
        private long endCheckpoint = -1;

        Reader(SourceReader<T, S> inner, Settings settings) {
            this.inner = inner;
            this.settings = settings;
            this.periodNanos = settings.eventsPerSecond() > 0 ? (long) (1e9 / settings.eventsPerSecond()) : 0;
        }

        @Override
        public void start() {
            inner.start();
            if (periodNanos > 0) {
                timer = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "bench-pacer");
                    t.setDaemon(true);
                    return t;
                });
            }
        }

        @Override
        public InputStatus pollNext(ReaderOutput<T> out) throws Exception {
            if (ended || emitted >= settings.limit()) {
                return end();
            }
            if (periodNanos > 0) {
                long now = System.nanoTime();
                if (nextDue == 0) {
                    nextDue = now;
                }
                if (now < nextDue - PACE_SLACK_NANOS) {
                    return InputStatus.NOTHING_AVAILABLE;
                }
            }
            output.target = out;
            long before = output.count;
            InputStatus status = inner.pollNext(output);
            long n = output.count - before;
            emitted += n;
            nextDue += n * periodNanos;
            if (status == InputStatus.END_OF_INPUT) {
                return end();
            }
            if (status == InputStatus.MORE_AVAILABLE && periodNanos > 0 && System.nanoTime() < nextDue - PACE_SLACK_NANOS) {
                return InputStatus.NOTHING_AVAILABLE;
            }
            return status;
        }

        /** The end: at once, or (a reader that emitted anything, when asked) after the state is measured. */
        private InputStatus end() {
            ended = true;
            if (!settings.waitForCheckpoint() || emitted == 0 || BenchProbe.release.isDone()) {
                return InputStatus.END_OF_INPUT;
            }
            return InputStatus.NOTHING_AVAILABLE;
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            if (ended || emitted >= settings.limit()) {
                return settings.waitForCheckpoint() && emitted > 0 ? BenchProbe.release : CompletableFuture.completedFuture(null);
            }
            if (periodNanos > 0) {
                long wait = nextDue - System.nanoTime();
                if (wait > 0) {
                    CompletableFuture<Void> due = new CompletableFuture<>();
                    timer.schedule(() -> due.complete(null), wait, TimeUnit.NANOSECONDS);
                    return due;
                }
            }
            return inner.isAvailable();
        }

        @Override
        public List<S> snapshotState(long checkpointId) {
            if (ended && endCheckpoint < 0) {
                endCheckpoint = checkpointId; // its barrier follows every record this reader emitted
            }
            return inner.snapshotState(checkpointId);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            inner.notifyCheckpointComplete(checkpointId);
            if (endCheckpoint >= 0 && checkpointId >= endCheckpoint && emitted > 0) {
                BenchProbe.endCheckpointed.countDown();
            }
        }

        @Override
        public void addSplits(List<S> splits) {
            inner.addSplits(splits);
        }

        @Override
        public void notifyNoMoreSplits() {
            inner.notifyNoMoreSplits();
        }

        @Override
        public void handleSourceEvents(SourceEvent event) {
            inner.handleSourceEvents(event);
        }

        @Override
        public void pauseOrResumeSplits(Collection<String> pause, Collection<String> resume) {
            inner.pauseOrResumeSplits(pause, resume);
        }

        @Override
        public void close() throws Exception {
            if (timer != null) {
                timer.shutdownNow();
            }
            inner.close();
        }
    }

    /** Counts and stamps what the wrapped reader emits, including through per-split outputs. */
    private static final class Output<T> extends Stamping<T> implements ReaderOutput<T> {
        ReaderOutput<T> target;
        long count;

        @Override
        ReaderOutput<T> delegate() {
            return target;
        }

        @Override
        void stamp() {
            count++;
            BenchProbe.emitted();
        }

        @Override
        public SourceOutput<T> createOutputForSplit(String splitId) {
            SourceOutput<T> split = target.createOutputForSplit(splitId);
            return new Stamping<>() {
                @Override
                SourceOutput<T> delegate() {
                    return split;
                }

                @Override
                void stamp() {
                    Output.this.stamp();
                }
            };
        }

        @Override
        public void releaseOutputForSplit(String splitId) {
            target.releaseOutputForSplit(splitId);
        }
    }

    /** A {@link SourceOutput} that stamps each record, then hands everything to its delegate. */
    private abstract static class Stamping<T> implements SourceOutput<T> {
        abstract SourceOutput<T> delegate();

        abstract void stamp();

        @Override
        public void collect(T record) {
            stamp();
            delegate().collect(record);
        }

        @Override
        public void collect(T record, long timestamp) {
            stamp();
            delegate().collect(record, timestamp);
        }

        @Override
        public void emitWatermark(Watermark watermark) {
            delegate().emitWatermark(watermark);
        }

        @Override
        public void markIdle() {
            delegate().markIdle();
        }

        @Override
        public void markActive() {
            delegate().markActive();
        }
    }
}
