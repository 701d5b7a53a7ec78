package io.surprisal.flink;

import io.surprisal.session.ClosedSession;
import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertGroup;
import io.surprisal.alert.SuppressedAlerts;
import io.surprisal.cep.FailedLoginRun;
import io.surprisal.cep.FailedLoginsFromIp;
import io.surprisal.cep.OpenerSlot;
import io.surprisal.event.DeadLetter;
import io.surprisal.event.Event;
import io.surprisal.model.TransitionCount;
import io.surprisal.model.UserProfile;
import io.surprisal.novelty.AllowlistEntry;
import io.surprisal.novelty.LoginCount;
import io.surprisal.novelty.LoginProfile;
import io.surprisal.novelty.LoginRecency;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.BasicArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.util.OutputTag;

/**
 * Every state descriptor and output tag of the job, in one place, so names and types stay stable
 * across versions (savepoint compatibility) and TTLs are visible together.
 */
public final class Descriptors {
    private Descriptors() {}

    /** Events the job could not use, with the reason. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    /** Alerts raised inside an operator whose main output is enriched events. */
    public static final OutputTag<Alert> ALERTS = new OutputTag<>("alerts", TypeInformation.of(Alert.class));

    /** Events a CEP operator received behind its watermark (its late side output). */
    public static final OutputTag<Event> CEP_LATE_EVENTS = new OutputTag<>("cep-late-events", TypeInformation.of(Event.class));

    /**
     * Per user, in the per-user operator: the events a detector part ({@code UserDetectorPart}) keeps
     * by slot for its alerts, one map per part, named for its detector.
     */
    public static MapStateDescriptor<Integer, Event> partEvents(String detector, Duration ttl) {
        MapStateDescriptor<Integer, Event> d = new MapStateDescriptor<>(detector + "-events", Types.INT, TypeInformation.of(Event.class));
        d.enableTimeToLive(ttl(ttl));
        return d;
    }

    /**
     * Per user, detector {@code cep:brute-force}: the run of failed logins. Cleared by a timer once
     * the window has passed without a failure; the TTL only guards against a stalled watermark.
     */
    public static ValueStateDescriptor<FailedLoginRun> bruteForceRun(Duration ttl) {
        ValueStateDescriptor<FailedLoginRun> d = new ValueStateDescriptor<>("brute-force-run", TypeInformation.of(FailedLoginRun.class));
        d.enableTimeToLive(ttl(ttl));
        return d;
    }

    /** Per user, detector {@code cep:brute-force}: the run's last failed logins (a ring by sequence number). */
    public static MapStateDescriptor<Integer, Event> bruteForceFailures(Duration ttl) {
        MapStateDescriptor<Integer, Event> d = new MapStateDescriptor<>(
                "brute-force-failures", Types.INT, TypeInformation.of(Event.class));
        d.enableTimeToLive(ttl(ttl));
        return d;
    }

    /**
     * Per IP, detector {@code cep:credential-stuffing}: the run of failed logins from it. Cleared by
     * a timer once the window has passed without a failure.
     */
    public static ValueStateDescriptor<FailedLoginsFromIp> credentialStuffingRun(Duration ttl) {
        ValueStateDescriptor<FailedLoginsFromIp> d = new ValueStateDescriptor<>(
                "credential-stuffing-run", TypeInformation.of(FailedLoginsFromIp.class));
        d.enableTimeToLive(ttl(ttl));
        return d;
    }

    /**
     * Per IP, detector {@code cep:credential-stuffing}: failed logins waiting for the watermark (they
     * come from many users' operators), by event time. Emptied as the watermark passes.
     */
    public static PendingEvents.Descriptors credentialStuffingPendingEvents(Duration ttl) {
        return pendingEvents("credential-stuffing-pending-events", ttl);
    }

    /** Per IP, detector {@code cep:credential-stuffing}: a failed login per slot of the run's state. */
    public static MapStateDescriptor<Integer, Event> credentialStuffingFailures(Duration ttl) {
        MapStateDescriptor<Integer, Event> d = new MapStateDescriptor<>(
                "credential-stuffing-failures", Types.INT, TypeInformation.of(Event.class));
        d.enableTimeToLive(ttl(ttl));
        return d;
    }

    /** Per IP, detector {@code cep:credential-stuffing}: the users counted since the run's alert (bounded). */
    public static MapStateDescriptor<String, Boolean> credentialStuffingUsers(Duration ttl) {
        MapStateDescriptor<String, Boolean> d = new MapStateDescriptor<>(
                "credential-stuffing-users", Types.STRING, Types.BOOLEAN);
        d.enableTimeToLive(ttl(ttl));
        return d;
    }

    /**
     * Per user, login novelty: for each routed CEP sequence pattern (by uid), the slot that bounds
     * how many of a flood's events open a partial match ({@link OpenerSlot}). Written only for
     * events that would open one. TTL as the login profile's.
     */
    public static MapStateDescriptor<String, OpenerSlot> cepOpeners(Duration ttl) {
        MapStateDescriptor<String, OpenerSlot> d = new MapStateDescriptor<>(
                "cep-openers", Types.STRING, TypeInformation.of(OpenerSlot.class));
        d.enableTimeToLive(ttl(ttl));
        return d;
    }

    /**
     * Per user, login novelty: for each routed CEP pattern whose openers wait for the event that
     * completes a match (by uid), the openers waiting, oldest first ({@code PatternRouting}). Written
     * only for the events that would open a partial match; removed when a match completes or breaks,
     * or with the user's first event after the window. TTL as the login profile's (a shorter one
     * would lose a match across a restore from an older savepoint, which the operator's partial
     * matches, without TTL, would not).
     */
    public static MapStateDescriptor<String, List<Event>> cepHeldOpeners(Duration ttl) {
        MapStateDescriptor<String, List<Event>> d = new MapStateDescriptor<>(
                "cep-held-openers", Types.STRING, Types.LIST(TypeInformation.of(Event.class)));
        d.enableTimeToLive(ttl(ttl));
        return d;
    }

    /** Per user: learned transitions and the open session. TTL: users who stop coming are forgotten. */
    public static ValueStateDescriptor<UserProfile> userProfile(Duration ttl) {
        ValueStateDescriptor<UserProfile> d = new ValueStateDescriptor<>("user-profile", UserProfileSerializer.INSTANCE);
        d.enableTimeToLive(ttl(ttl));
        return d;
    }

    /**
     * Per user: the behaviour group ({@link io.surprisal.groups.UserGroup}), read and written when a
     * session closes (and read when an alert of the user leaves). TTL as the profile's.
     */
    public static ValueStateDescriptor<io.surprisal.groups.UserGroup> userGroup(Duration ttl) {
        ValueStateDescriptor<io.surprisal.groups.UserGroup> d = new ValueStateDescriptor<>(
                "user-group", TypeInformation.of(io.surprisal.groups.UserGroup.class));
        d.enableTimeToLive(ttl(ttl));
        return d;
    }

    /**
     * Per user: the open session's most surprising events, by slot ({@link MapStateTopEvents}); the
     * profile holds their ranking. Emptied when the session ends; TTL as the profile's.
     */
    public static MapStateDescriptor<Integer, Event> sessionTopEvents(Duration ttl) {
        MapStateDescriptor<Integer, Event> d = new MapStateDescriptor<>("session-top-events", Types.INT, TypeInformation.of(Event.class));
        d.enableTimeToLive(ttl(ttl));
        return d;
    }

    /**
     * Per parallel instance, union-redistributed: the scoring operator's events waiting for the
     * watermark. Between checkpoints they wait on the heap: each waits about a watermark interval
     * after the out-of-orderness bound, too short a life for a RocksDB write, read and delete (in a
     * JFR profile of the bench's full job, the keyed list they used to live in was the largest
     * RocksDB cost). On restore every instance gets all of them and keeps the users whose key groups
     * it owns, so a rescale sends each event to the instance that has its user's state and timers.
     */
    public static final ListStateDescriptor<Event> WAITING_EVENTS =
            new ListStateDescriptor<>("user-waiting-events", TypeInformation.of(Event.class));

    /**
     * Purchase network (one key): each user's friends. No TTL: a friendship lasts until it is
     * unfriended, however long ago it was made.
     */
    public static MapStateDescriptor<String, String[]> purchaseFriends() {
        return new MapStateDescriptor<>("purchase-friends", Types.STRING, BasicArrayTypeInfo.STRING_ARRAY_TYPE_INFO);
    }

    /**
     * Purchase network (one key): each user's last T purchases as packed (timestamp, sequence,
     * cents) triples. TTL: a user who has bought nothing for that long drops out of the statistics.
     */
    public static MapStateDescriptor<String, long[]> purchaseHistories(Duration ttl) {
        MapStateDescriptor<String, long[]> d = new MapStateDescriptor<>(
                "purchase-histories", Types.STRING, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);
        d.enableTimeToLive(ttl(ttl));
        return d;
    }

    /** Purchase network (one key): the sequence that orders purchases of equal timestamps. */
    public static final ValueStateDescriptor<Long> PURCHASE_SEQUENCE = new ValueStateDescriptor<>("purchase-sequence", Types.LONG);

    /**
     * Purchase network (one key): purchase and friendship events waiting for the watermark, by
     * event time, in arrival order (thousands may share a second). Emptied as the watermark passes.
     */
    public static PendingEvents.Descriptors purchasePendingEvents(Duration ttl) {
        return pendingEvents("purchase-pending-events", ttl);
    }

    private static PendingEvents.Descriptors pendingEvents(String name, Duration ttl) {
        MapStateDescriptor<Tuple2<Long, Integer>, Event> events = new MapStateDescriptor<>(
                name, new TypeHint<Tuple2<Long, Integer>>() {}.getTypeInfo(), TypeInformation.of(Event.class));
        events.enableTimeToLive(ttl(ttl));
        MapStateDescriptor<Long, Integer> counts = new MapStateDescriptor<>(name + "-counts", Types.LONG, Types.INT);
        counts.enableTimeToLive(ttl(ttl));
        return new PendingEvents.Descriptors(events, counts);
    }

    /** Per parallel instance, union-redistributed: the population's transition counts. */
    public static final ListStateDescriptor<TransitionCount> POPULATION_TRANSITIONS =
            new ListStateDescriptor<>("population-transitions", TypeInformation.of(TransitionCount.class));

    /** Per parallel instance, union-redistributed: the population's session-score sketches. */
    public static final ListStateDescriptor<byte[]> POPULATION_SESSIONS =
            new ListStateDescriptor<>("population-sessions", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    /** Per parallel instance, detector amount's population: the moments of its purchases' logs, tagged with the instance. */
    public static final ListStateDescriptor<byte[]> POPULATION_AMOUNTS =
            new ListStateDescriptor<>("population-amounts", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    /** Per parallel instance, the behaviour groups ({@link io.surprisal.groups.GroupModel}), tagged with the instance. */
    public static final ListStateDescriptor<byte[]> BEHAVIOUR_GROUPS =
            new ListStateDescriptor<>("behaviour-groups", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    /**
     * Per parallel instance, a closed-visit detector's population (its {@code stateName}, e.g.
     * {@code population-session-measures}, {@code population-session-forest}, {@code
     * population-visit-length}), tagged with the instance.
     */
    public static ListStateDescriptor<byte[]> closedVisitPopulation(String stateName) {
        return new ListStateDescriptor<>(stateName, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    }

    /** Logins' feature vectors, when {@code novelty.emit-vectors} is on (docs/login-vectors.md). */
    public static final OutputTag<io.surprisal.novelty.LoginVector> LOGIN_VECTORS =
            new OutputTag<>("login-vectors", TypeInformation.of(io.surprisal.novelty.LoginVector.class));

    /** Closed sessions' feature vectors, when {@code model.session.emit-vectors} is on (docs/session-vectors.md). */
    public static final OutputTag<ClosedSession> CLOSED_SESSIONS =
            new OutputTag<>("closed-sessions", TypeInformation.of(ClosedSession.class));

    /** Per user: login-novelty habits (bounded top-k counts). TTL: users who stop coming are forgotten. */
    public static ValueStateDescriptor<LoginProfile> loginProfile(Duration ttl) {
        ValueStateDescriptor<LoginProfile> d = new ValueStateDescriptor<>("login-profile", TypeInformation.of(LoginProfile.class));
        d.enableTimeToLive(ttl(ttl));
        return d;
    }

    /**
     * Per user: the session of the user's last event and the times of the last failed and novel
     * logins ({@link LoginRecency}); apart from the profile so that most events read a few bytes,
     * not the profile.
     */
    public static ValueStateDescriptor<LoginRecency> loginRecency(Duration ttl) {
        ValueStateDescriptor<LoginRecency> d = new ValueStateDescriptor<>("login-recency", LoginRecencySerializer.INSTANCE);
        d.enableTimeToLive(ttl(ttl));
        return d;
    }

    /**
     * Per user, with login novelty off: the last failed login, which decides the CEP patterns an
     * event can still matter to ({@link CepRoutingFunction}). TTL as the login recency's.
     */
    public static ValueStateDescriptor<LoginRecency> cepRoutingRecency(Duration ttl) {
        ValueStateDescriptor<LoginRecency> d = new ValueStateDescriptor<>("cep-routing-recency", LoginRecencySerializer.INSTANCE);
        d.enableTimeToLive(ttl(ttl));
        return d;
    }

    /**
     * The events login novelty passes to one user-keyed CEP pattern (by the pattern's uid): those
     * its {@code PatternSpec#admits} given the user's recent logins.
     */
    public static OutputTag<Event> cepEvents(String patternUid) {
        return new OutputTag<>("events-for-" + patternUid, TypeInformation.of(Event.class));
    }

    /**
     * Per (user, detector, main reason), or per (user, detector) in the budget's operator: the open
     * suppression window. Cleared by its timer.
     */
    public static ValueStateDescriptor<SuppressedAlerts> suppressedAlerts(Duration ttl) {
        ValueStateDescriptor<SuppressedAlerts> d = new ValueStateDescriptor<>("suppressed-alerts", TypeInformation.of(SuppressedAlerts.class));
        d.enableTimeToLive(ttl(ttl));
        return d;
    }

    /** Per user: the alerts waiting for their mail group to close. Cleared by its timer. */
    public static ValueStateDescriptor<AlertGroup> mailGroup(Duration ttl) {
        ValueStateDescriptor<AlertGroup> d = new ValueStateDescriptor<>("mail-group", TypeInformation.of(AlertGroup.class));
        d.enableTimeToLive(ttl(ttl));
        return d;
    }

    /** Per parallel instance, union-redistributed: the population's login attribute counts. */
    public static final ListStateDescriptor<LoginCount> POPULATION_LOGINS =
            new ListStateDescriptor<>("population-logins", TypeInformation.of(LoginCount.class));

    /** Broadcast: allowlist entries added at run time, by {@link AllowlistEntry#id()}. */
    /**
     * Detector model's model in use, from its updates: {@code card} (the card's JSON, UTF-8) and
     * {@code onnx}; empty until the first update.
     */
    public static final MapStateDescriptor<String, byte[]> MODEL =
            new MapStateDescriptor<>("detector-model", Types.STRING, org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    /** Broadcast: detector model's login model in use, from its updates, as {@link #MODEL} (login novelty's operator). */
    public static final MapStateDescriptor<String, byte[]> LOGIN_MODEL =
            new MapStateDescriptor<>("detector-login-model", Types.STRING, org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    public static final MapStateDescriptor<String, AllowlistEntry> ALLOWLIST =
            new MapStateDescriptor<>("novelty-allowlist", Types.STRING, TypeInformation.of(AllowlistEntry.class));

    /**
     * Broadcast: the feedback that holds alerts back, by {@link io.surprisal.feedback.Feedback#suppressionKey()}:
     * until when (epoch milliseconds of event time).
     */
    public static final MapStateDescriptor<String, Long> FEEDBACK_SUPPRESSION =
            new MapStateDescriptor<>("feedback-suppression", Types.STRING, Types.LONG);

    /** Feedback's allowlist actions as allowlist update lines (the format of {@link AllowlistEntry#parse}). */
    public static final OutputTag<String> FEEDBACK_ALLOWLIST = new OutputTag<>("feedback-allowlist", Types.STRING);

    private static StateTtlConfig ttl(Duration ttl) {
        return StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupInRocksdbCompactFilter(1000)
                .build();
    }
}
