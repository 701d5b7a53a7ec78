package io.surprisal.flink;

import io.surprisal.novelty.LoginRecency;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/** Flink's serializer of {@link LoginRecency} (state {@code login-recency}, read on every event), field by field. */
public final class LoginRecencySerializer extends FieldByFieldSerializer<LoginRecency> {
    public static final LoginRecencySerializer INSTANCE = new LoginRecencySerializer();

    @Override
    public LoginRecency createInstance() {
        return new LoginRecency();
    }

    @Override
    public void serialize(LoginRecency r, DataOutputView out) throws IOException {
        StringValue.writeString(r.session, out);
        out.writeLong(r.lastFailedLogin);
        out.writeLong(r.lastNovelLogin);
    }

    @Override
    public LoginRecency deserialize(DataInputView in) throws IOException {
        LoginRecency r = new LoginRecency();
        r.session = StringValue.readString(in);
        r.lastFailedLogin = in.readLong();
        r.lastNovelLogin = in.readLong();
        return r;
    }

    @Override
    public TypeSerializerSnapshot<LoginRecency> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's snapshot: no configuration, one version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<LoginRecency> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
