package io.surprisal.job.mail;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertGroup;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.NullableListTypeInfo;
import org.apache.flink.api.java.typeutils.PojoField;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * The mail sink's writer state on disk: Flink's POJO serializer (no Kryo) behind a version number.
 * The bytes name no fields, so each version is the set of {@link Alert}'s fields it was written
 * with: a version written before a field was added is read with the fields it had, and the new
 * field comes back empty.
 */
public final class PendingMailSerializer implements SimpleVersionedSerializer<PendingMail> {
    /** {@link Alert}'s fields in version 1. */
    private static final Set<String> ALERT_FIELDS_V1 = Set.of("alertId", "ts", "user", "tenant", "detector", "severity",
            "score", "threshold", "unit", "summary", "reasons", "events", "session", "repeats");
    /** Version 2 added {@code repeatKey}; version 3 {@code group} and {@code groupPosterior}. */
    private static final Set<String> ALERT_FIELDS_V2 = union(ALERT_FIELDS_V1, "repeatKey");
    private static final int VERSION = 3;

    private final TypeSerializer<PendingMail> serializer;
    private final TypeSerializer<PendingMail> version1;
    private final TypeSerializer<PendingMail> version2;

    public PendingMailSerializer() {
        this.serializer = pojo(PendingMail.class).createSerializer(config());
        this.version1 = withAlertFields(ALERT_FIELDS_V1).createSerializer(config());
        this.version2 = withAlertFields(ALERT_FIELDS_V2).createSerializer(config());
    }

    private static Set<String> union(Set<String> fields, String... more) {
        Set<String> all = new java.util.HashSet<>(fields);
        all.addAll(List.of(more));
        return Set.copyOf(all);
    }

    private static SerializerConfigImpl config() {
        SerializerConfigImpl config = new SerializerConfigImpl();
        // Fail loudly if anything in a pending mail would fall back to Kryo.
        config.setGenericTypes(false);
        return config;
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
        return switch (version) {
            case VERSION -> serializer.deserialize(new DataInputDeserializer(bytes));
            case 1 -> version1.deserialize(new DataInputDeserializer(bytes));
            case 2 -> version2.deserialize(new DataInputDeserializer(bytes));
            default -> throw new IOException("unknown pending-mail state version " + version);
        };
    }

    /** A pending mail's type with only {@code alertFields} of each alert, as an older version wrote it. */
    private static PojoTypeInfo<PendingMail> withAlertFields(Set<String> alertFields) {
        PojoTypeInfo<Alert> alert = pojo(Alert.class);
        List<PojoField> kept = new ArrayList<>();
        for (int i = 0; i < alert.getArity(); i++) {
            if (alertFields.contains(alert.getPojoFieldAt(i).getField().getName())) {
                kept.add(alert.getPojoFieldAt(i));
            }
        }
        PojoTypeInfo<AlertGroup> group = withField(AlertGroup.class, "alerts", new NullableListTypeInfo<>(new PojoTypeInfo<>(Alert.class, kept)));
        return withField(PendingMail.class, "groups", new NullableListTypeInfo<>(group));
    }

    /** {@code type} with field {@code name} of type {@code info} (a POJO's list field is a {@link NullableListTypeInfo}). */
    private static <T> PojoTypeInfo<T> withField(Class<T> type, String name, TypeInformation<?> info) {
        PojoTypeInfo<T> pojo = pojo(type);
        List<PojoField> fields = new ArrayList<>();
        for (int i = 0; i < pojo.getArity(); i++) {
            PojoField f = pojo.getPojoFieldAt(i);
            fields.add(f.getField().getName().equals(name) ? new PojoField(f.getField(), info) : f);
        }
        return new PojoTypeInfo<>(type, fields);
    }

    @SuppressWarnings("unchecked")
    private static <T> PojoTypeInfo<T> pojo(Class<T> type) {
        return (PojoTypeInfo<T>) TypeInformation.of(type);
    }
}
