package io.surprisal.flink;

import io.surprisal.alert.Alert;
import io.surprisal.event.DeadLetter;
import io.surprisal.event.Event;
import io.surprisal.model.TransitionCount;
import io.surprisal.model.UserProfile;
import io.surprisal.novelty.AllowlistEntry;
import io.surprisal.novelty.LoginCount;
import io.surprisal.novelty.LoginProfile;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
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

    /** Per user: learned transitions and the open session. TTL: users who stop coming are forgotten. */
    public static ValueStateDescriptor<UserProfile> userProfile(Duration ttl) {
        ValueStateDescriptor<UserProfile> d = new ValueStateDescriptor<>("user-profile", TypeInformation.of(UserProfile.class));
        d.enableTimeToLive(ttl(ttl));
        return d;
    }

    /**
     * Per user: events waiting for the watermark, by event time, in arrival order. Emptied as the
     * watermark passes; the TTL only guards against a source that stops sending watermarks.
     */
    public static MapStateDescriptor<Long, List<Event>> pendingEvents(Duration ttl) {
        MapStateDescriptor<Long, List<Event>> d = new MapStateDescriptor<>(
                "pending-events", Types.LONG, new TypeHint<List<Event>>() {}.getTypeInfo());
        d.enableTimeToLive(ttl(ttl));
        return d;
    }

    /** Per parallel instance, union-redistributed: the population's transition counts. */
    public static final ListStateDescriptor<TransitionCount> POPULATION_TRANSITIONS =
            new ListStateDescriptor<>("population-transitions", TypeInformation.of(TransitionCount.class));

    /** Per parallel instance, union-redistributed: the population's session-score sketches. */
    public static final ListStateDescriptor<byte[]> POPULATION_SESSIONS =
            new ListStateDescriptor<>("population-sessions", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    /** Per user: login-novelty habits (bounded top-k counts). TTL: users who stop coming are forgotten. */
    public static ValueStateDescriptor<LoginProfile> loginProfile(Duration ttl) {
        ValueStateDescriptor<LoginProfile> d = new ValueStateDescriptor<>("login-profile", TypeInformation.of(LoginProfile.class));
        d.enableTimeToLive(ttl(ttl));
        return d;
    }

    /** Per parallel instance, union-redistributed: the population's login attribute counts. */
    public static final ListStateDescriptor<LoginCount> POPULATION_LOGINS =
            new ListStateDescriptor<>("population-logins", TypeInformation.of(LoginCount.class));

    /** Broadcast: allowlist entries added at run time, by {@link AllowlistEntry#id()}. */
    public static final MapStateDescriptor<String, AllowlistEntry> ALLOWLIST =
            new MapStateDescriptor<>("novelty-allowlist", Types.STRING, TypeInformation.of(AllowlistEntry.class));

    private static StateTtlConfig ttl(Duration ttl) {
        return StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupInRocksdbCompactFilter(1000)
                .build();
    }
}
