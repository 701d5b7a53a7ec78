package io.surprisal.job;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.util.ratelimit.GuavaRateLimiter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimitedSourceReader;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;

/**
 * Any source, with each parallel reader emitting at most {@code perReaderPerSecond} records a
 * second. It is Flink's own rate limiting (the {@link RateLimitedSourceReader} that
 * {@code DataGeneratorSource} uses) around another source's reader; enumerator, splits and their
 * serializers are the wrapped source's, so checkpoints and savepoints are exactly the wrapped
 * source's: a paced run can be resumed unpaced (or at another pace) from its savepoint, and the
 * other way round.
 *
 * <p>The rate is per reader, not divided by the parallelism as {@code RateLimiterStrategy.perSecond}
 * does: a file is read by one reader, so for one file the pace is the job's pace whatever the
 * parallelism.
 */
public final class PacedSource<T, SplitT extends SourceSplit, EnumChkT> extends WrappedSource<T, SplitT, EnumChkT>
        implements ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;

    private final TypeInformation<T> type;
    private final double perReaderPerSecond;

    public PacedSource(Source<T, SplitT, EnumChkT> source, TypeInformation<T> type, double perReaderPerSecond) {
        super(source);
        if (!(perReaderPerSecond > 0)) {
            throw new IllegalArgumentException("a pace must be > 0 records per second, got " + perReaderPerSecond);
        }
        this.type = type;
        this.perReaderPerSecond = perReaderPerSecond;
    }

    @Override
    public SourceReader<T, SplitT> createReader(SourceReaderContext readerContext) throws Exception {
        return new RateLimitedSourceReader<>(source.createReader(readerContext), new GuavaRateLimiter<>(perReaderPerSecond));
    }





    @Override
    public TypeInformation<T> getProducedType() {
        return type;
    }
}
