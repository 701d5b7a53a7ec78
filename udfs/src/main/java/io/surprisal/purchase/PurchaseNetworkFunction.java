package io.surprisal.purchase;

import io.surprisal.flink.Descriptors;
import io.surprisal.flink.PendingEvents;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertJson;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.DeadLetter;
import io.surprisal.event.DeadLetterReason;
import io.surprisal.event.Event;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.BasicArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Detector {@code purchase-network}, keyed by one constant key ({@link #KEY}): the friendship graph
 * is global, so one operator instance holds all of it, and each user's last T purchases, in keyed
 * {@code MapState} (RocksDB), and judges each purchase with {@link StoredPurchaseNetwork} (a search
 * limited to D hops, never a scan of the graph). Friends are kept per edge (a count, blocks of at
 * most {@link StoredPurchaseNetwork#FRIEND_BLOCK_SIZE} ids, each friend's position), so a friendship
 * change writes a bounded amount whatever the degree.
 *
 * <p>Input: purchases ({@code purchase} / {@code buy_item} with an amount) and {@code befriend} /
 * {@code unfriend} events with a {@code friend}. They wait for the watermark and are applied in
 * event-time order, equal times in arrival order. Output: alerts for flagged purchases. A purchase
 * whose amount cannot be read to the cent (negative, or too large for a double to carry its cents:
 * {@link CentsAmount#fromAmount}) goes to {@link Descriptors#DEAD_LETTERS} with the reason at once,
 * counted ({@code purchaseNetwork.unusableAmounts}). Late events are counted
 * ({@code purchaseNetwork.late}) and dropped: the per-user operator, which sees the same events,
 * sends them to the dead letters.
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

    private transient MapState<String, Integer> friendCountsState;
    private transient MapState<Tuple2<String, Integer>, String[]> friendBlocksState;
    private transient MapState<Tuple2<String, String>, Integer> friendPositionsState;
    private transient MapState<String, String[]> wholeFriendListsState;
    private transient boolean wholeFriendListsMigrated;
    private transient MapState<String, long[]> historiesState;
    private transient ValueState<Long> sequenceState;
    private transient PendingEvents pending;
    private transient StoredPurchaseNetwork network;
    private transient Counter purchasesMetric;
    private transient Counter friendshipsMetric;
    private transient Counter unusableAmountsMetric;
    private transient Counter lateMetric;
    private transient Counter alertsMetric;

    public PurchaseNetworkFunction(SurprisalConfig config) {
        this.config = config;
    }

    /** Purchase network (one key): how many friends each user has. No TTL, as for all friendship state. */
    public static MapStateDescriptor<String, Integer> friendCounts() {
        return new MapStateDescriptor<>("purchase-friend-counts", Types.STRING, Types.INT);
    }

    /**
     * Purchase network (one key): each user's friends in blocks of at most
     * {@link StoredPurchaseNetwork#FRIEND_BLOCK_SIZE} ids, by (user, block index). No TTL: a
     * friendship lasts until it is unfriended, however long ago it was made.
     */
    public static MapStateDescriptor<Tuple2<String, Integer>, String[]> friendBlocks() {
        return new MapStateDescriptor<>("purchase-friend-blocks", Types.TUPLE(Types.STRING, Types.INT),
                BasicArrayTypeInfo.STRING_ARRAY_TYPE_INFO);
    }

    /** Purchase network (one key): each friend's position in its user's blocks, by (user, friend). No TTL. */
    public static MapStateDescriptor<Tuple2<String, String>, Integer> friendPositions() {
        return new MapStateDescriptor<>("purchase-friend-positions", Types.TUPLE(Types.STRING, Types.STRING), Types.INT);
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
        friendCountsState = rc.getMapState(friendCounts());
        friendBlocksState = rc.getMapState(friendBlocks());
        friendPositionsState = rc.getMapState(friendPositions());
        wholeFriendListsState = rc.getMapState(Descriptors.purchaseFriends());
        wholeFriendListsMigrated = false;
        historiesState = rc.getMapState(Descriptors.purchaseHistories(config.state().ttl()));
        sequenceState = rc.getState(Descriptors.PURCHASE_SEQUENCE);
        pending = new PendingEvents(rc, Descriptors.purchasePendingEvents(config.state().ttl()));
        var detector = config.detectors().purchaseNetwork();
        network = new StoredPurchaseNetwork(detector.degrees(), detector.trackedPurchases(), new StateStore());
        var metrics = rc.getMetricGroup().addGroup("purchaseNetwork");
        purchasesMetric = metrics.counter("purchases");
        friendshipsMetric = metrics.counter("friendshipEvents");
        unusableAmountsMetric = metrics.counter("unusableAmounts");
        lateMetric = metrics.counter("late");
        alertsMetric = rc.getMetricGroup().addGroup("alerts", PurchaseNetworkAlerts.DETECTOR).counter("count");
    }

    @Override
    public void processElement(Event e, Context ctx, Collector<Alert> out) throws Exception {
        migrateWholeFriendLists();
        if (e.ts <= ctx.timerService().currentWatermark()) {
            lateMetric.inc();
            return;
        }
        if (isPurchase(e) && centsOrDeadLetter(e, ctx) < 0) {
            return;
        }
        if (pending.add(e)) {
            ctx.timerService().registerEventTimeTimer(e.ts);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        migrateWholeFriendLists();
        for (Event e : pending.takeAt(timestamp)) {
            apply(e, ctx, out);
        }
    }

    private void apply(Event e, Context ctx, Collector<Alert> out) throws Exception {
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
                long cents = centsOrDeadLetter(e, ctx); // checked on arrival; again for events restored from older state
                if (cents < 0) {
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

    private static boolean isPurchase(Event e) {
        return !BEFRIEND.equals(e.action) && !UNFRIEND.equals(e.action);
    }

    /** The purchase's amount in cents, or -1 after sending the purchase to the dead letters with the reason. */
    private long centsOrDeadLetter(Event e, Context ctx) {
        try {
            return CentsAmount.fromAmount(e.amount);
        } catch (IllegalArgumentException unusable) {
            unusableAmountsMetric.inc();
            ctx.output(Descriptors.DEAD_LETTERS, new DeadLetter(DeadLetterReason.WRONG_TYPE,
                    "detector " + PurchaseNetworkAlerts.DETECTOR + ": field 'amount': " + unusable.getMessage(),
                    AlertJson.toJson(e), e.source));
            return -1;
        }
    }

    /**
     * State written before friends were kept per edge holds each user's whole friend list in
     * {@link Descriptors#purchaseFriends()}: moved into the per-edge layout once, on the first event
     * after a restore, and then cleared.
     */
    private void migrateWholeFriendLists() throws Exception {
        if (wholeFriendListsMigrated) {
            return;
        }
        wholeFriendListsMigrated = true;
        if (wholeFriendListsState.isEmpty()) {
            return;
        }
        for (Map.Entry<String, String[]> list : wholeFriendListsState.entries()) {
            for (String friend : list.getValue()) {
                network.befriend(list.getKey(), friend);
            }
        }
        wholeFriendListsState.clear();
    }

    /** The network's store over this operator's keyed state (all under the one key). */
    private final class StateStore implements PurchaseNetworkStore {
        @Override
        public int friendCount(String user) throws Exception {
            Integer count = friendCountsState.get(user);
            return count == null ? 0 : count;
        }

        @Override
        public void putFriendCount(String user, int count) throws Exception {
            if (count == 0) {
                friendCountsState.remove(user);
            } else {
                friendCountsState.put(user, count);
            }
        }

        @Override
        public String[] friendBlock(String user, int block) throws Exception {
            return friendBlocksState.get(Tuple2.of(user, block));
        }

        @Override
        public void putFriendBlock(String user, int block, String[] friends) throws Exception {
            if (friends.length == 0) {
                friendBlocksState.remove(Tuple2.of(user, block));
            } else {
                friendBlocksState.put(Tuple2.of(user, block), friends);
            }
        }

        @Override
        public int friendPosition(String user, String friend) throws Exception {
            Integer position = friendPositionsState.get(Tuple2.of(user, friend));
            return position == null ? -1 : position;
        }

        @Override
        public void putFriendPosition(String user, String friend, int position) throws Exception {
            if (position < 0) {
                friendPositionsState.remove(Tuple2.of(user, friend));
            } else {
                friendPositionsState.put(Tuple2.of(user, friend), position);
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
