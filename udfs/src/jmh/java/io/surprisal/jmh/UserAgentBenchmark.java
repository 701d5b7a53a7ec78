package io.surprisal.jmh;

import io.surprisal.event.Event;
import io.surprisal.novelty.UserAgentParser;
import java.util.LinkedHashSet;
import java.util.Set;
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

/**
 * The user-agent parse: through the cache (what the job pays for a string it has seen, nearly
 * always) and without it (a string never seen: uap-java's regexes).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UserAgentBenchmark {
    private String[] agents;
    private UserAgentParser cached;
    private UserAgentParser uncached;
    private int next;

    @Setup
    public void setUp() throws Exception {
        Set<String> distinct = new LinkedHashSet<>();
        for (Event e : Samples.events()) {
            if (e.userAgent != null) {
                distinct.add(e.userAgent);
            }
        }
        agents = distinct.toArray(new String[0]);
        cached = new UserAgentParser(4096);
        uncached = new UserAgentParser(0); // every lookup misses
    }

    private String nextAgent() {
        String a = agents[next];
        next = next + 1 == agents.length ? 0 : next + 1;
        return a;
    }

    @Benchmark
    public UserAgentParser.Agent cachedParse() {
        return cached.parse(nextAgent());
    }

    @Benchmark
    public UserAgentParser.Agent uncachedParse() {
        return uncached.parse(nextAgent());
    }
}
