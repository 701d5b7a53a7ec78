package io.surprisal.jmh;

import io.surprisal.event.Event;
import io.surprisal.event.EventParser;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Parsing one input line into an {@link Event} (the first thing every event costs). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EventParserBenchmark {
    private String[] lines;
    private int next;

    @Setup
    public void setUp() throws Exception {
        List<String> all = Samples.lines();
        lines = all.toArray(new String[0]);
    }

    @Benchmark
    public Event parse() throws EventParser.InvalidEventException {
        String line = lines[next];
        next = next + 1 == lines.length ? 0 : next + 1;
        return EventParser.parse(line);
    }
}
