package io.surprisal.tools.bench;

import io.surprisal.event.Event;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The bench's state floor: keyed by user, reads and writes {@code values} small keyed values (a
 * count each) per event and emits nothing. It has no detector logic at all, so the bare pipeline
 * with it measures what the state backend alone costs per keyed read and write: the least any
 * keyed detector that keeps per-user state can cost.
 */
public final class StateFloorFunction extends KeyedProcessFunction<String, Event, Event> {
    /** Accumulator: values written, {@code values} per event. */
    public static final String WRITES_ACCUMULATOR = "state-floor-writes";

    private final int values;
    private transient List<ValueState<Long>> counts;
    private transient LongCounter writes;

    public StateFloorFunction(int values) {
        if (values < 1) {
            throw new IllegalArgumentException("values must be 1 or more: " + values);
        }
        this.values = values;
    }

    @Override
    public void open(OpenContext openContext) {
        counts = new ArrayList<>(values);
        for (int i = 0; i < values; i++) {
            // One state each, as separate detectors would keep them: a read and a write apiece.
            counts.add(getRuntimeContext().getState(new ValueStateDescriptor<>("state-floor-" + i, Types.LONG)));
        }
        writes = getRuntimeContext().getLongCounter(WRITES_ACCUMULATOR);
    }

    @Override
    public void processElement(Event e, Context ctx, Collector<Event> out) throws Exception {
        for (ValueState<Long> count : counts) {
            Long n = count.value();
            count.update(n == null ? 1L : n + 1);
        }
        writes.add(values);
    }
}
