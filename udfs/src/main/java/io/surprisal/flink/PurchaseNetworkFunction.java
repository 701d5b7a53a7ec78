package io.surprisal.flink;

import io.surprisal.alert.Alert;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.Event;
import io.surprisal.purchase.CentsAmount;
import io.surprisal.purchase.PurchaseJudgement;
import io.surprisal.purchase.PurchaseNetworkAlerts;
import io.surprisal.purchase.PurchaseNetworkStore;
import io.surprisal.purchase.StoredPurchaseNetwork;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Detector {@code purchase-network}, keyed by one constant key ({@link #KEY}): the friendship graph
 * is global, so one operator instance holds all of it, and each user's last T purchases, in keyed
 * {@code MapState} (RocksDB), and judges each purchase with {@link StoredPurchaseNetwork} (a search
 * limited to D hops, never a scan of the graph).
 *
 * <p>Input: purchases ({@code purchase} / {@code buy_item} with an amount) and {@code befriend} /
 * {@code unfriend} events with a {@code friend}. They wait for the watermark and are applied in
 * event-time order, equal times in arrival order. Output: alerts for flagged purchases. Late events
 * are counted ({@code purchaseNetwork.late}) and dropped: the per-user operator, which sees the same
 * events, sends them to the dead letters.
 */
public class PurchaseNetworkFunction extends KeyedProcessFunction<String, Event, Alert> {

    /** The one key every routed event carries. */
    public static final String KEY = "purchase-network";

    /** Purchase actions of the input contract. */
    public static final String PURCHASE = "purchase";
    /** The simulator's and the web service's purchase action. */
    public static final String BUY_ITEM = "buy_item";
    public static final String BEFRIEND = "befriend";
    public static final String UNFRIEND = "unfriend";

    private final SurprisalConfig config;

    private transient MapState<String, String[]> friendsState;
    private transient MapState<String, long[]> historiesState;
    private transient ValueState<Long> sequenceState;
    private transient PendingEvents pending;
    private transient StoredPurchaseNetwork network;
    private transient Counter purchasesMetric;
    private transient Counter friendshipsMetric;
    private transient Counter ignoredMetric;
    private transient Counter lateMetric;
    private transient Counter alertsMetric;

    public PurchaseNetworkFunction(SurprisalConfig config) {
        this.config = config;
    }

    /** Whether the event is one this detector uses: a successful purchase with an amount, or a friendship change. */
    public static boolean isRouted(Event e) {
        return switch (e.action) {
            case PURCHASE, BUY_ITEM -> !e.fail && e.amount != null;
            case BEFRIEND, UNFRIEND -> e.friend != null && !e.friend.isEmpty();
            default -> false;
        };
    }

    /** Keys every event by {@link #KEY}. */
    public static final class OneKey implements KeySelector<Event, String> {
        @Override
        public String getKey(Event e) {
            return KEY;
        }
    }

    @Override
    public void open(OpenContext openContext) {
        var rc = getRuntimeContext();
        friendsState = rc.getMapState(Descriptors.purchaseFriends());
        historiesState = rc.getMapState(Descriptors.purchaseHistories(config.state().ttl()));
        sequenceState = rc.getState(Descriptors.PURCHASE_SEQUENCE);
        pending = new PendingEvents(rc, Descriptors.purchasePendingEvents(config.state().ttl()));
        var detector = config.detectors().purchaseNetwork();
        network = new StoredPurchaseNetwork(detector.degrees(), detector.trackedPurchases(), new StateStore());
        var metrics = rc.getMetricGroup().addGroup("purchaseNetwork");
        purchasesMetric = metrics.counter("purchases");
        friendshipsMetric = metrics.counter("friendshipEvents");
        ignoredMetric = metrics.counter("ignored");
        lateMetric = metrics.counter("late");
        alertsMetric = rc.getMetricGroup().addGroup("alerts", PurchaseNetworkAlerts.DETECTOR).counter("count");
    }

    @Override
    public void processElement(Event e, Context ctx, Collector<Alert> out) throws Exception {
        if (e.ts <= ctx.timerService().currentWatermark()) {
            lateMetric.inc();
            return;
        }
        if (pending.add(e)) {
            ctx.timerService().registerEventTimeTimer(e.ts);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        for (Event e : pending.takeAt(timestamp)) {
            apply(e, out);
        }
    }

    private void apply(Event e, Collector<Alert> out) throws Exception {
        switch (e.action) {
            case BEFRIEND -> {
                friendshipsMetric.inc();
                network.befriend(e.user, e.friend);
            }
            case UNFRIEND -> {
                friendshipsMetric.inc();
                network.unfriend(e.user, e.friend);
            }
            default -> {
                long cents;
                try {
                    cents = CentsAmount.fromAmount(e.amount);
                } catch (IllegalArgumentException negativeOrHuge) {
                    ignoredMetric.inc();
                    return;
                }
                purchasesMetric.inc();
                PurchaseJudgement judgement = network.judgeAndRecord(e.user, e.ts, cents);
                if (judgement.flagged()) {
                    alertsMetric.inc();
                    out.collect(PurchaseNetworkAlerts.alert(e, cents, judgement, network.degrees(), network.trackedPurchases()));
                }
            }
        }
    }

    /** The network's store over this operator's keyed state (all under the one key). */
    private final class StateStore implements PurchaseNetworkStore {
        @Override
        public String[] friends(String user) throws Exception {
            return friendsState.get(user);
        }

        @Override
        public void putFriends(String user, String[] friends) throws Exception {
            if (friends.length == 0) {
                friendsState.remove(user);
            } else {
                friendsState.put(user, friends);
            }
        }

        @Override
        public long[] purchases(String user) throws Exception {
            return historiesState.get(user);
        }

        @Override
        public void putPurchases(String user, long[] packed) throws Exception {
            historiesState.put(user, packed);
        }

        @Override
        public long nextSequence() throws Exception {
            Long current = sequenceState.value();
            long next = current == null ? 0 : current + 1;
            sequenceState.update(next);
            return next;
        }
    }
}
