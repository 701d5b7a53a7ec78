package io.surprisal.flink;

import io.surprisal.model.UserProfile;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/** Flink's serializer of {@link UserProfile} (state {@code user-profile}, read and written per event), field by field. */
public final class UserProfileSerializer extends FieldByFieldSerializer<UserProfile> {
    public static final UserProfileSerializer INSTANCE = new UserProfileSerializer();

    @Override
    public UserProfile createInstance() {
        return new UserProfile();
    }

    @Override
    public void serialize(UserProfile p, DataOutputView out) throws IOException {
        writeStrings(p.states, out);
        writeLongs(p.transitions, out);
        out.writeLong(p.events);
        StringValue.writeString(p.sessionId, out);
        out.writeLong(p.sessionStart);
        out.writeLong(p.lastTs);
        out.writeInt(p.lastState);
        StringValue.writeString(p.lastStateName, out);
        out.writeInt(p.sessionEvents);
        out.writeDouble(p.sessionBits);
        out.writeDouble(p.sessionExcess);
        writeDoubles(p.topBits, out);
        writeBytes(p.topSlots, out);
        out.writeLong(p.gapTimer);
        out.writeDouble(p.cusum);
        out.writeInt(p.cusumSteps);
        out.writeLong(p.cusumSince);
        out.writeDouble(p.cusumHeadStart);
        out.writeLong(p.teachingWindowStart);
        writeBytes(p.taught, out);
    }

    @Override
    public UserProfile deserialize(DataInputView in) throws IOException {
        UserProfile p = new UserProfile();
        p.states = readStrings(in);
        p.transitions = readLongs(in);
        p.events = in.readLong();
        p.sessionId = StringValue.readString(in);
        p.sessionStart = in.readLong();
        p.lastTs = in.readLong();
        p.lastState = in.readInt();
        p.lastStateName = StringValue.readString(in);
        p.sessionEvents = in.readInt();
        p.sessionBits = in.readDouble();
        p.sessionExcess = in.readDouble();
        p.topBits = readDoubles(in);
        p.topSlots = readBytes(in);
        p.gapTimer = in.readLong();
        p.cusum = in.readDouble();
        p.cusumSteps = in.readInt();
        p.cusumSince = in.readLong();
        p.cusumHeadStart = in.readDouble();
        p.teachingWindowStart = in.readLong();
        p.taught = readBytes(in);
        return p;
    }

    @Override
    public TypeSerializerSnapshot<UserProfile> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's snapshot: no configuration, one version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<UserProfile> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
