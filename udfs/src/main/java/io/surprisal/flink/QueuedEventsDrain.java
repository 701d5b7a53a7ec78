package io.surprisal.flink;

import io.surprisal.event.Event;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.SimpleTimerService;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Empties the per-user function's queue of waiting events ({@link UserBehaviourFunction#orderInQueue}, {@link WaitingEvents})
 * up to a watermark, for the operator that runs the function: time by time, and before the events
 * of a time the operator's timers before it (a user's inactivity falls between the events around it,
 * as with a timer per event). The function handles each user's events of one time as their timer
 * would have had it.
 */
final class QueuedEventsDrain {
    /** Fires the operator's event-time timers up to a time. */
    interface Timers {
        void advanceTo(long time) throws Exception;
    }

    private final UserBehaviourFunction function;
    private final AbstractStreamOperator<Event> operator;
    private final Timers timers;
    private final TimerService timerService;
    private final Output<StreamRecord<Event>> output;
    private final TimestampedCollector<Event> collector;
    private long time;

    private QueuedEventsDrain(UserBehaviourFunction function, AbstractStreamOperator<Event> operator, Timers timers, TimerService timerService,
            Output<StreamRecord<Event>> output) {
        this.function = function;
        this.operator = operator;
        this.timers = timers;
        this.timerService = timerService;
        this.output = output;
        this.collector = new TimestampedCollector<>(output);
    }

    /**
     * The drain of {@code operator}, which runs {@code function} (opened: its timer service for the
     * function's timers, a user's inactivity, is the one named "user-timers"); {@code output} and
     * {@code timers} are the operator's.
     */
    static <O extends AbstractStreamOperator<Event> & Triggerable<String, VoidNamespace>> QueuedEventsDrain of(UserBehaviourFunction function,
            O operator, Output<StreamRecord<Event>> output, Timers timers) {
        return new QueuedEventsDrain(function, operator, timers,
                new SimpleTimerService(operator.getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, operator)), output);
    }

    /** Hands the function its queued events up to {@code watermark}; the operator then advances its timers to it. */
    void drainTo(long watermark) throws Exception {
        WaitingEvents waiting = function.waiting();
        while (waiting.queuedUpTo(watermark)) {
            time = waiting.nextQueuedTime();
            timers.advanceTo(time - 1);
            collector.setAbsoluteTimestamp(time);
            for (Map.Entry<String, List<Event>> user : waiting.takeQueuedAt(time).entrySet()) {
                operator.setCurrentKey(user.getKey());
                var context = new UserBehaviourContext(function, timerService, user.getKey(), this::sideOutput, time);
                function.onQueued(user.getKey(), user.getValue(), time, context, collector);
            }
        }
    }

    private <X> void sideOutput(OutputTag<X> tag, X value) {
        output.collect(tag, new StreamRecord<>(value, time));
    }
}
