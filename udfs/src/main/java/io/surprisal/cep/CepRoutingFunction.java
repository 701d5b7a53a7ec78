package io.surprisal.cep;

import io.surprisal.flink.Descriptors;

import io.surprisal.config.SurprisalConfig.CepConfig;
import io.surprisal.event.Event;
import io.surprisal.novelty.LoginRecency;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * With login novelty off, the routing it would do ({@link PatternRouting}): keyed by user, on the
 * events some user-keyed CEP pattern takes ({@link Relevant}), already in per-user event-time
 * order; each goes to the side outputs ({@link Descriptors#cepEvents}) of the patterns it can still
 * matter to. Keeps the user's last failed login (no login is novel without login novelty), the
 * opener slots and failed-login-then-buy's waiting failed logins; nothing on its main output.
 */
public class CepRoutingFunction extends KeyedProcessFunction<String, Event, Event> {
    private final PatternRouting routing;
    private final Duration ttl;
    private transient ValueState<LoginRecency> recencyState;

    public CepRoutingFunction(CepConfig cep, Duration ttl) {
        this.routing = new PatternRouting(cep, ttl);
        this.ttl = ttl;
    }

    /** The events some routed pattern takes at all: a chained filter in front of this function. */
    public static final class Relevant implements FilterFunction<Event> {
        private final CepConfig cep;
        private transient List<CepPatterns.PatternSpec> routed;

        public Relevant(CepConfig cep) {
            this.cep = cep;
        }

        @Override
        public boolean filter(Event e) throws Exception {
            if (routed == null) {
                routed = PatternRouting.routedPatterns(cep);
            }
            for (CepPatterns.PatternSpec spec : routed) {
                if (spec.relevant().filter(e)) {
                    return true;
                }
            }
            return false;
        }
    }

    @Override
    public void open(OpenContext openContext) {
        recencyState = getRuntimeContext().getState(Descriptors.cepRoutingRecency(ttl));
        routing.open(getRuntimeContext());
    }

    @Override
    public void processElement(Event e, Context ctx, Collector<Event> out) throws Exception {
        LoginRecency recency = recencyState.value();
        if (recency == null) {
            recency = new LoginRecency();
        }
        if (routing.route(e, recency, ctx::output)) {
            recencyState.update(recency);
        }
    }
}
