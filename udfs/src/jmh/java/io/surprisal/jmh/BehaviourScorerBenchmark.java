package io.surprisal.jmh;

import io.surprisal.alert.Alert;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.Event;
import io.surprisal.model.BehaviourScorer;
import io.surprisal.model.UserProfile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * The surprisal update of one event: {@link BehaviourScorer#onEvent} (transition bits, session sums,
 * population learning, session close and judgement when the event ends one). The sample's events
 * are replayed in order, again and again, each replay shifted later in time so event time only
 * moves forward; per-user profiles stay in a map as the job keeps them in state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BehaviourScorerBenchmark {
    private Event[] events;
    private long span;
    private long shift;
    private int next;
    private BehaviourScorer scorer;
    private final Map<String, UserProfile> profiles = new HashMap<>();
    private final List<Alert> alerts = new ArrayList<>();

    @Setup
    public void setUp() throws Exception {
        List<Event> all = Samples.events();
        events = all.toArray(new Event[0]);
        span = events[events.length - 1].ts - events[0].ts + 3_600_000L;
        SurprisalConfig c = ConfigLoader.defaults();
        scorer = new BehaviourScorer(c.model().transition(), c.model().session(), c.detectors(), c.alerts().maxEvents());
    }

    @Benchmark
    public double onEvent() {
        Event e = events[next].copy();
        e.ts += shift;
        if (++next == events.length) {
            next = 0;
            shift += span;
        }
        scorer.onEvent(profiles.computeIfAbsent(e.user, u -> new UserProfile()), e, alerts);
        alerts.clear();
        return e.bits;
    }
}
