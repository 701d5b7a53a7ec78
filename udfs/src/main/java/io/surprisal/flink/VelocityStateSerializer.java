package io.surprisal.flink;

import io.surprisal.velocity.VelocityState;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Flink's serializer of {@link VelocityState} (state {@code bot-velocity} of detector {@code velocity}, read and written per event), field by field. */
public final class VelocityStateSerializer extends FieldByFieldSerializer<VelocityState> {
    public static final VelocityStateSerializer INSTANCE = new VelocityStateSerializer();

    private static final int RATE_ALERTED = 1;
    private static final int REGULAR_ALERTED = 2;

    @Override
    public VelocityState createInstance() {
        return new VelocityState();
    }

    @Override
    public void serialize(VelocityState s, DataOutputView out) throws IOException {
        out.writeByte((s.rateAlerted ? RATE_ALERTED : 0) | (s.regularAlerted ? REGULAR_ALERTED : 0));
        out.writeLong(s.lastTs);
        out.writeLong(s.events);
        out.writeLong(s.minute);
        out.writeInt(s.minuteCount);
        out.writeInt(s.fastRun);
        out.writeLong(s.lastFastMinute);
        writeLongs(s.gaps, out);
        out.writeInt(s.gapCount);
        out.writeInt(s.gapNext);
        out.writeLong(s.gapSum);
        out.writeLong(s.gapSumSquares);
        out.writeLong(s.cleanupTimer);
    }

    @Override
    public VelocityState deserialize(DataInputView in) throws IOException {
        VelocityState s = new VelocityState();
        int flags = in.readByte();
        s.rateAlerted = (flags & RATE_ALERTED) != 0;
        s.regularAlerted = (flags & REGULAR_ALERTED) != 0;
        s.lastTs = in.readLong();
        s.events = in.readLong();
        s.minute = in.readLong();
        s.minuteCount = in.readInt();
        s.fastRun = in.readInt();
        s.lastFastMinute = in.readLong();
        s.gaps = readLongs(in);
        s.gapCount = in.readInt();
        s.gapNext = in.readInt();
        s.gapSum = in.readLong();
        s.gapSumSquares = in.readLong();
        s.cleanupTimer = in.readLong();
        return s;
    }

    @Override
    public TypeSerializerSnapshot<VelocityState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's snapshot: no configuration, one version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<VelocityState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
