package io.surprisal.flink;

import io.surprisal.event.Event;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.OutputTag;

/**
 * The per-user function's context for a call that an operator other than a KeyedProcessOperator of
 * its own makes (the broadcast operator's, the queue's drain): one context for both kinds of call,
 * as an {@code OnTimerContext} is a {@code Context}. Created per call, as Flink's own are reused per call.
 */
final class UserBehaviourContext extends KeyedProcessFunction<String, Event, Event>.OnTimerContext {
    /** Where the function's side outputs go. */
    interface Output {
        <X> void output(OutputTag<X> tag, X value);
    }

    private final TimerService timers;
    private final String key;
    private final Output output;
    private final Long timestamp;

    UserBehaviourContext(UserBehaviourFunction function, TimerService timers, String key, Output output, Long timestamp) {
        function.super();
        this.timers = timers;
        this.key = key;
        this.output = output;
        this.timestamp = timestamp;
    }

    @Override
    public Long timestamp() {
        return timestamp;
    }

    @Override
    public TimerService timerService() {
        return timers;
    }

    @Override
    public <X> void output(OutputTag<X> outputTag, X value) {
        output.output(outputTag, value);
    }

    @Override
    public TimeDomain timeDomain() {
        return TimeDomain.EVENT_TIME;
    }

    @Override
    public String getCurrentKey() {
        return key;
    }
}
