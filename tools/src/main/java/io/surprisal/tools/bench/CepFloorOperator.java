package io.surprisal.tools.bench;

import io.surprisal.cep.PatternRouting;
import io.surprisal.config.SurprisalConfig.CepConfig;
import io.surprisal.event.Event;
import io.surprisal.flink.CachedValue;
import io.surprisal.flink.CachesUsers;
import io.surprisal.flink.Descriptors;
import io.surprisal.flink.HotUsers;
import io.surprisal.novelty.LoginRecency;
import io.surprisal.flink.LoginRecencySerializer;
import java.time.Duration;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The sequence detectors' floor: what the job's routing to its Flink CEP patterns needs, and nothing
 * else. Per user one value, the user's last failed and novel logins ({@link LoginRecency}), behind
 * the job's write-back cache of the users seen last ({@link HotUsers}, no bound on changed users:
 * they are written when they leave the cache and before each checkpoint barrier); each event goes
 * on, and to the patterns it can still matter to ({@link PatternRouting}, as login novelty routes
 * them in the job, with the routing's own state: the opener slots and the failed logins waiting
 * for a buy, in the state backend). No detector scores anything, so no login is novel here: account takeover, which
 * opens on a novel login, gets fewer events than in the job, and the floor costs at most what the
 * job's routing does.
 */
public final class CepFloorOperator extends AbstractStreamOperator<Event> implements OneInputStreamOperator<Event, Event> {
    private final int capacity;
    private final CepConfig cep;
    private final Duration ttl;
    private transient HotUsers hot;
    private transient CachedValue<LoginRecency> recency;
    private transient PatternRouting routing;

    public CepFloorOperator(int capacity, CepConfig cep, Duration ttl) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be 1 or more: " + capacity);
        }
        this.capacity = capacity;
        this.cep = cep;
        this.ttl = ttl;
    }

    @Override
    public void open() throws Exception {
        super.open();
        hot = new HotUsers(capacity, capacity, ttl.toMillis(), 1, 0, System::currentTimeMillis, this,
                (user, now) -> recency.writeBack(user, now));
        boolean keepsObjects = CachesUsers.keepsObjects(getKeyedStateBackend());
        recency = new CachedValue<>(getPartitionedState(Descriptors.loginRecency(ttl)), hot, 0,
                keepsObjects ? LoginRecencySerializer.INSTANCE::copy : r -> r);
        routing = new PatternRouting(cep, ttl);
        routing.open(getRuntimeContext());
    }

    @Override
    public void processElement(StreamRecord<Event> element) throws Exception {
        hot.enter((String) getCurrentKey());
        LoginRecency r = recency.value();
        if (r == null) {
            r = new LoginRecency();
        }
        if (routing.route(element.getValue(), r, (tag, e) -> output.collect(tag, new StreamRecord<>(e, element.getTimestamp())))) {
            recency.update(r);
        }
        output.collect(element);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        hot.writeBack();
    }
}
