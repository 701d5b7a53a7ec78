package io.surprisal.novelty;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.alert.AlertJson;
import io.surprisal.cep.PatternRouting;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.config.SurprisalConfig.StateConfig;
import io.surprisal.event.Event;
import io.surprisal.event.UserKey;
import io.surprisal.flink.Descriptors;
import io.surprisal.flink.LoginRecencySerializer;
import io.surprisal.flink.UserCachingBroadcastOperator;
import io.surprisal.flink.UserCachingOperator;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Detector login-novelty behind its write-back cache of users ({@link UserCachingOperator}): it
 * scores, alerts and routes exactly as the plain function does, and what a checkpoint holds is the
 * same, whatever the cache's size.
 */
class LoginNoveltyOperatorTest {
    private static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private static final String FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    private static final long T0 = 1_780_000_000_000L;
    private static final long DAY = 86_400_000L;
    private static final int USERS = 40;
    private static final int ROUNDS = 9;
    private static final SurprisalConfig CONFIG = ConfigLoader.defaults();

    /** What the operator gave: each event's bits and flag, the alerts, the events routed to CEP patterns. */
    private record Run(List<String> events, List<String> alerts, List<String> routed) {}

    private static LoginNoveltyFunction function(StateConfig state) {
        return new LoginNoveltyFunction(CONFIG.novelty(), CONFIG.cep(), state, CONFIG.alerts().maxEvents());
    }

    private static StateConfig cache(int users, int dirtyUsers) {
        return new StateConfig(CONFIG.state().ttl(), users, dirtyUsers);
    }

    /** The plain function (cacheUsers < 0) or the cached operator, not yet opened. */
    private static KeyedOneInputStreamOperatorTestHarness<String, Event, Event> harness(int cacheUsers) throws Exception {
        return harness(cacheUsers, 1000);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Event, Event> harness(int cacheUsers, int dirtyUsers) throws Exception {
        KeyedProcessOperator<String, Event, Event> op = cacheUsers < 0 ? new KeyedProcessOperator<>(function(CONFIG.state()))
                : new UserCachingOperator<>(function(cache(cacheUsers, dirtyUsers)));
        return new KeyedOneInputStreamOperatorTestHarness<>(op, new UserKey(), Types.STRING);
    }

    /**
     * Rounds {@code from} to {@code to} (exclusive): in each, every user logs in (a failed try first
     * for every seventh), views a page and logs out; from round 8 every fifth user logs in from
     * abroad on another browser, after failed tries.
     */
    private static TreeSet<String> send(KeyedOneInputStreamOperatorTestHarness<String, Event, Event> h, int from, int to) throws Exception {
        return send((EventSink) h::processElement, from, to);
    }

    /** Where the workload goes: either kind of harness. */
    private interface EventSink {
        void processElement(StreamRecord<Event> r) throws Exception;
    }

    private static TreeSet<String> send(EventSink h, int from, int to) throws Exception {
        TreeSet<String> users = new TreeSet<>();
        for (int round = from; round < to; round++) {
            for (int u = 0; u < USERS; u++) {
                String user = "u" + u;
                users.add(user);
                long ts = T0 + round * DAY + u * 60_000L;
                boolean abroad = round >= 8 && u % 5 == 0;
                String country = abroad ? "UA" : u % 3 == 0 ? "GB" : "US";
                long asn = abroad ? 15895 : country.equals("US") ? 7922 : 2856;
                String ua = abroad ? FIREFOX_LINUX : CHROME;
                if (u % 7 == 0 || abroad) {
                    Event failed = Logins.login(user, ts - 5_000, country, country + "-region", country + "-city", asn, "10.0." + u + ".9", ua);
                    failed.fail = true;
                    h.processElement(new StreamRecord<>(failed, failed.ts));
                }
                Event login = Logins.login(user, ts, country, country + "-region", country + "-city", asn, "10.0." + u + ".9", ua);
                h.processElement(new StreamRecord<>(login, ts));
                for (String action : new String[] {"view", "logout"}) {
                    Event next = login.copy();
                    next.eventId = user + "-" + action + "-" + ts;
                    next.action = action;
                    next.ts = ts + (action.equals("view") ? 20_000 : 40_000);
                    h.processElement(new StreamRecord<>(next, next.ts));
                }
            }
        }
        return users;
    }

    private static Run outputOf(org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness<Event> h) {
        List<String> events = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof Event e) {
                events.add(e.eventId + " " + e.noveltyBits + " " + e.novel);
            }
        }
        List<String> alerts = new ArrayList<>();
        var q = h.getSideOutput(Descriptors.ALERTS);
        if (q != null) {
            q.forEach(r -> alerts.add(AlertJson.toJson(r.getValue())));
        }
        List<String> routed = new ArrayList<>();
        for (var spec : PatternRouting.routedPatterns(CONFIG.cep())) {
            var out = h.getSideOutput(Descriptors.cepEvents(spec.uid()));
            if (out != null) {
                out.forEach(r -> routed.add(spec.uid() + " " + r.getValue().eventId));
            }
        }
        return new Run(events, alerts, routed);
    }

    /** Each user's login profile and recency in the operator's state, as bytes ("-" when absent). */
    private static List<String> stateOf(KeyedOneInputStreamOperatorTestHarness<String, Event, Event> h, TreeSet<String> users) throws Exception {
        AbstractStreamOperator<Event> op = (AbstractStreamOperator<Event>) h.getOneInputOperator();
        TypeSerializer<LoginProfile> profiles = TypeInformation.of(LoginProfile.class).createSerializer(new ExecutionConfig().getSerializerConfig());
        List<String> out = new ArrayList<>();
        for (String user : users) {
            op.setCurrentKey(user);
            LoginProfile p = op.getKeyedStateBackend()
                    .getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, Descriptors.loginProfile(CONFIG.state().ttl()))
                    .value();
            LoginRecency r = op.getKeyedStateBackend()
                    .getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, Descriptors.loginRecency(CONFIG.state().ttl()))
                    .value();
            out.add(user + " " + bytes(profiles, p) + " " + bytes(LoginRecencySerializer.INSTANCE, r));
        }
        return out;
    }

    private static <T> String bytes(TypeSerializer<T> serializer, T value) throws Exception {
        if (value == null) {
            return "-";
        }
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        return java.util.HexFormat.of().formatHex(out.getCopyOfBuffer());
    }

    @Test
    void theCachedOperatorScoresAlertsRoutesAndLeavesStateAsThePlainFunction() throws Exception {
        Run plain;
        List<String> plainState;
        try (var h = harness(-1)) {
            h.open();
            TreeSet<String> users = send(h, 0, ROUNDS);
            plain = outputOf(h);
            plainState = stateOf(h, users);
        }
        assertThat(plain.alerts()).as("the workload's novel logins alert").isNotEmpty();
        assertThat(plain.routed()).as("the workload's failed logins reach the CEP patterns").isNotEmpty();
        // {users cached, of them changed at most}
        for (int[] cache : new int[][] {{0, 0}, {1, 1000}, {7, 1000}, {1000, 1000}, {1000, 3}, {1000, 0}}) {
            try (var h = harness(cache[0], cache[1])) {
                h.open();
                TreeSet<String> users = send(h, 0, ROUNDS);
                assertThat(outputOf(h)).as("cache of %d users, %d changed", cache[0], cache[1]).isEqualTo(plain);
                ((UserCachingOperator<?>) h.getOneInputOperator()).prepareSnapshotPreBarrier(1);
                assertThat(stateOf(h, users)).as("state after the barrier, cache of %d users, %d changed", cache[0], cache[1]).isEqualTo(plainState);
            }
        }
    }

    @Test
    void aCheckpointTakenAfterTheBarrierHoldsTheCachedUsersAndResumesAsThePlainFunction() throws Exception {
        Run plainAfter;
        try (var h = harness(-1)) {
            h.open();
            send(h, 0, 5);
            OperatorSubtaskState snapshot = h.snapshot(1, T0 + 5 * DAY);
            try (var resumed = harness(-1)) {
                resumed.initializeState(snapshot);
                resumed.open();
                send(resumed, 5, ROUNDS);
                plainAfter = outputOf(resumed);
            }
        }
        assertThat(plainAfter.alerts()).isNotEmpty();
        try (var h = harness(1000)) {
            h.open();
            send(h, 0, 5);
            // As the task does: the operator's write-back before the barrier, then the snapshot.
            ((UserCachingOperator<?>) h.getOneInputOperator()).prepareSnapshotPreBarrier(1);
            OperatorSubtaskState snapshot = h.snapshot(1, T0 + 5 * DAY);
            try (var resumed = harness(1000)) {
                resumed.initializeState(snapshot);
                resumed.open();
                send(resumed, 5, ROUNDS);
                assertThat(outputOf(resumed)).isEqualTo(plainAfter);
            }
        }
    }

    @Test
    void theOperatorWithUpdatesScoresAsThePlainFunctionBehindItsCache() throws Exception {
        Run plain;
        try (var h = harness(-1)) {
            h.open();
            send(h, 0, ROUNDS);
            plain = outputOf(h);
        }
        var op = new UserCachingBroadcastOperator<>(
                new LoginNoveltyWithUpdatesFunction(CONFIG.novelty(), CONFIG.cep(), cache(1, 1000), CONFIG.alerts().maxEvents()),
                List.of(Descriptors.ALLOWLIST, Descriptors.LOGIN_MODEL));
        try (var h = new KeyedBroadcastOperatorTestHarness<>(op, new UserKey(), Types.STRING, 1, 1, 0)) {
            h.open();
            send((EventSink) h::processElement, 0, ROUNDS);
            assertThat(outputOf(h)).isEqualTo(plain);
        }
    }
}
