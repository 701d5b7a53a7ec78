package io.surprisal.jmh;

import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.Event;
import io.surprisal.novelty.LoginAttributes;
import io.surprisal.novelty.LoginProfile;
import io.surprisal.novelty.NoveltyScore;
import io.surprisal.novelty.NoveltyScorer;
import io.surprisal.novelty.PopulationLogins;
import io.surprisal.novelty.UserAgentParser;
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
 * Login novelty per login: extracting the attributes ({@link LoginAttributes#of}, with a cached
 * user-agent parse) and scoring them ({@link NoveltyScorer#score}) against a profile and a
 * population that learned the sample's logins first.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NoveltyBenchmark {
    private Event[] logins;
    private LoginAttributes[] attributes;
    private LoginProfile[] profiles;
    private NoveltyScorer scorer;
    private PopulationLogins population;
    private UserAgentParser agents;
    private int next;

    @Setup
    public void setUp() throws Exception {
        SurprisalConfig c = ConfigLoader.defaults();
        scorer = new NoveltyScorer(c.novelty());
        population = new PopulationLogins(c.novelty().maxPopulationValues());
        agents = new UserAgentParser(c.novelty().userAgentCache());
        Map<String, LoginProfile> byUser = new HashMap<>();
        List<Event> found = new ArrayList<>();
        for (Event e : Samples.events()) {
            if ("login".equals(e.action) && !e.fail) {
                found.add(e);
                LoginAttributes a = LoginAttributes.of(e, agents);
                scorer.observe(byUser.computeIfAbsent(e.user, u -> new LoginProfile()), population, a, e.ts);
            }
        }
        logins = found.toArray(new Event[0]);
        attributes = new LoginAttributes[logins.length];
        profiles = new LoginProfile[logins.length];
        for (int i = 0; i < logins.length; i++) {
            attributes[i] = LoginAttributes.of(logins[i], agents);
            profiles[i] = byUser.get(logins[i].user);
        }
    }

    private int advance() {
        int i = next;
        next = i + 1 == logins.length ? 0 : i + 1;
        return i;
    }

    @Benchmark
    public NoveltyScore score() {
        int i = advance();
        return scorer.score(profiles[i], attributes[i], population);
    }

    @Benchmark
    public LoginAttributes attributes() {
        return LoginAttributes.of(logins[advance()], agents);
    }
}
