package io.surprisal.job.mail;

import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** The mail sink's writer state on disk: Flink's POJO serializer (no Kryo) behind a version number. */
public final class PendingMailSerializer implements SimpleVersionedSerializer<PendingMail> {
    private static final int VERSION = 2;
    private final TypeSerializer<PendingMail> serializer;

    public PendingMailSerializer() {
        SerializerConfigImpl config = new SerializerConfigImpl();
        // Fail loudly if anything in a pending mail would fall back to Kryo.
        config.setGenericTypes(false);
        this.serializer = TypeInformation.of(PendingMail.class).createSerializer(config);
    }

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(PendingMail mail) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(1024);
        serializer.serialize(mail, out);
        return out.getCopyOfBuffer();
    }

    @Override
    public PendingMail deserialize(int version, byte[] bytes) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown pending-mail state version " + version);
        }
        return serializer.deserialize(new DataInputDeserializer(bytes));
    }
}
