package io.surprisal.alert;

import io.surprisal.flink.Descriptors;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Groups one user's alerts for mail. Keyed by user: the first alert opens a group window (event
 * time); every alert of the user until it closes joins the group; when it closes (an event-time
 * timer, or an alert at or past its end) the group goes out as one {@link AlertGroup}, which the
 * mail sink turns into one mail, and the state is cleared.
 */
public class MailGroupingFunction extends KeyedProcessFunction<String, Alert, AlertGroup> {
    private final long windowMillis;
    private transient ValueState<AlertGroup> group;

    public MailGroupingFunction(Duration window) {
        this.windowMillis = window.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        // Timers clear the state; the TTL only guards against a watermark that stops advancing.
        group = getRuntimeContext().getState(Descriptors.mailGroup(Duration.ofMillis(windowMillis).plus(Duration.ofDays(1))));
    }

    @Override
    public void processElement(Alert alert, Context ctx, Collector<AlertGroup> out) throws Exception {
        if (windowMillis == 0) {
            AlertGroup g = new AlertGroup(alert.user, alert.ts);
            g.add(alert);
            out.collect(g);
            return;
        }
        AlertGroup g = group.value();
        if (g != null && alert.ts >= g.windowEnd) {
            ctx.timerService().deleteEventTimeTimer(g.windowEnd);
            out.collect(g);
            g = null;
        }
        if (g == null) {
            g = new AlertGroup(alert.user, alert.ts + windowMillis);
            ctx.timerService().registerEventTimeTimer(g.windowEnd);
        }
        g.add(alert);
        group.update(g);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertGroup> out) throws Exception {
        AlertGroup g = group.value();
        if (g != null) {
            out.collect(g);
            group.clear();
        }
    }
}
