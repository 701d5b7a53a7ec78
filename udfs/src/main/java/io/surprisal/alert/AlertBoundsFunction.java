package io.surprisal.alert;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/**
 * Bounds every alert on its way to the outputs ({@link AlertBounds}): no input makes an alert record
 * or a mail large. Counts the alerts it had to cut, {@code alertsCut}.
 */
public class AlertBoundsFunction extends RichMapFunction<Alert, Alert> {
    private static final long serialVersionUID = 1L;

    private transient Counter cut;

    @Override
    public void open(OpenContext openContext) {
        cut = getRuntimeContext().getMetricGroup().counter("alertsCut");
    }

    @Override
    public Alert map(Alert a) {
        Alert bounded = AlertBounds.bound(a);
        if (bounded != a) {
            cut.inc();
        }
        return bounded;
    }
}
