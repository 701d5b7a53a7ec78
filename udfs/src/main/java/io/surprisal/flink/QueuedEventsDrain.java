package io.surprisal.flink;

import io.surprisal.event.Event;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Empties the per-user function's queue of waiting events ({@link UserBehaviourFunction#orderInQueue})
 * up to a watermark, for the operator that runs the function: time by time, and before the events
 * of a time the operator's timers before it (a user's inactivity falls between the events around it,
 * as with a timer per event). The function handles each user's events of one time as their timer
 * would have had it, in a context of this drain's.
 */
final class QueuedEventsDrain {
    /** Fires the operator's event-time timers up to a time. */
    interface Timers {
        void advanceTo(long time) throws Exception;
    }

    private final UserBehaviourFunction function;
    private final KeyContext keys;
    private final Timers timers;
    private final Output<StreamRecord<Event>> output;
    private final TimestampedCollector<Event> collector;
    private final QueuedContext context;

    /** {@code timerService} is the operator's own, the one the function's timers are in. */
    QueuedEventsDrain(UserBehaviourFunction function, KeyContext keys, Timers timers, TimerService timerService,
            Output<StreamRecord<Event>> output) {
        this.function = function;
        this.keys = keys;
        this.timers = timers;
        this.output = output;
        this.collector = new TimestampedCollector<>(output);
        this.context = new QueuedContext(timerService);
    }

    /** Hands the function its queued events up to {@code watermark}; the operator then advances its timers to it. */
    void drainTo(long watermark) throws Exception {
        while (function.hasQueuedUpTo(watermark)) {
            long ts = function.nextQueuedTime();
            timers.advanceTo(ts - 1);
            context.time = ts;
            collector.setAbsoluteTimestamp(ts);
            for (Map.Entry<String, List<Event>> user : function.takeQueuedAt(ts).entrySet()) {
                keys.setCurrentKey(user.getKey());
                function.onQueued(user.getKey(), user.getValue(), ts, context, collector);
            }
        }
    }

    /** The function's context while it handles the queued events of one time, as a timer's would be. */
    private final class QueuedContext extends KeyedProcessFunction<String, Event, Event>.OnTimerContext {
        private final TimerService timerService;
        long time;

        QueuedContext(TimerService timerService) {
            function.super();
            this.timerService = timerService;
        }

        @Override
        public Long timestamp() {
            return time;
        }

        @Override
        public TimerService timerService() {
            return timerService;
        }

        @Override
        public <X> void output(OutputTag<X> outputTag, X value) {
            output.collect(outputTag, new StreamRecord<>(value, time));
        }

        @Override
        public TimeDomain timeDomain() {
            return TimeDomain.EVENT_TIME;
        }

        @Override
        public String getCurrentKey() {
            return (String) keys.getCurrentKey();
        }
    }
}
