package io.surprisal.flink;

import io.surprisal.event.Event;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Flink's serializer of {@link Event}, written out field by field ({@link FieldByFieldSerializer}).
 * Every event crosses several operators and sits in RocksDB state (CEP buffers, the events
 * detector parts keep, sessions' top events), so it is serialized many times per event; the nullable numbers and
 * the booleans go behind one flag byte.
 */
public final class EventSerializer extends FieldByFieldSerializer<Event> {
    public static final EventSerializer INSTANCE = new EventSerializer();

    private static final int FAIL = 1;
    private static final int NOVEL = 2;
    private static final int HAS_ASN = 4;
    private static final int HAS_AMOUNT = 8;
    private static final int HAS_LAT = 16;
    private static final int HAS_LON = 32;
    /** Last in the layout and only when present: events serialized without it read back unchanged. */
    private static final int HAS_TENANT = 64;

    @Override
    public Event createInstance() {
        return new Event();
    }

    @Override
    public Event copy(Event from) {
        return from.copy();
    }

    @Override
    public Event copy(Event from, Event reuse) {
        return from.copy();
    }

    @Override
    public void serialize(Event e, DataOutputView out) throws IOException {
        int flags = (e.fail ? FAIL : 0) | (e.novel ? NOVEL : 0) | (e.asn != null ? HAS_ASN : 0) | (e.amount != null ? HAS_AMOUNT : 0)
                | (e.lat != null ? HAS_LAT : 0) | (e.lon != null ? HAS_LON : 0) | (e.tenant != null ? HAS_TENANT : 0);
        out.writeByte(flags);
        out.writeLong(e.ts);
        StringValue.writeString(e.eventId, out);
        StringValue.writeString(e.user, out);
        StringValue.writeString(e.action, out);
        StringValue.writeString(e.session, out);
        StringValue.writeString(e.ip, out);
        StringValue.writeString(e.country, out);
        StringValue.writeString(e.region, out);
        StringValue.writeString(e.city, out);
        if (e.asn != null) {
            out.writeLong(e.asn);
        }
        if (e.lat != null) {
            out.writeDouble(e.lat);
        }
        if (e.lon != null) {
            out.writeDouble(e.lon);
        }
        StringValue.writeString(e.userAgent, out);
        StringValue.writeString(e.device, out);
        if (e.amount != null) {
            out.writeDouble(e.amount);
        }
        StringValue.writeString(e.friend, out);
        StringValue.writeString(e.extra, out);
        StringValue.writeString(e.source, out);
        out.writeDouble(e.bits);
        out.writeDouble(e.noveltyBits);
        if (e.tenant != null) {
            StringValue.writeString(e.tenant, out);
        }
    }

    @Override
    public Event deserialize(DataInputView in) throws IOException {
        Event e = new Event();
        int flags = in.readByte();
        e.fail = (flags & FAIL) != 0;
        e.novel = (flags & NOVEL) != 0;
        e.ts = in.readLong();
        e.eventId = StringValue.readString(in);
        e.user = StringValue.readString(in);
        e.action = StringValue.readString(in);
        e.session = StringValue.readString(in);
        e.ip = StringValue.readString(in);
        e.country = StringValue.readString(in);
        e.region = StringValue.readString(in);
        e.city = StringValue.readString(in);
        if ((flags & HAS_ASN) != 0) {
            e.asn = in.readLong();
        }
        if ((flags & HAS_LAT) != 0) {
            e.lat = in.readDouble();
        }
        if ((flags & HAS_LON) != 0) {
            e.lon = in.readDouble();
        }
        e.userAgent = StringValue.readString(in);
        e.device = StringValue.readString(in);
        if ((flags & HAS_AMOUNT) != 0) {
            e.amount = in.readDouble();
        }
        e.friend = StringValue.readString(in);
        e.extra = StringValue.readString(in);
        e.source = StringValue.readString(in);
        e.bits = in.readDouble();
        e.noveltyBits = in.readDouble();
        if ((flags & HAS_TENANT) != 0) {
            e.tenant = StringValue.readString(in);
        }
        return e;
    }

    @Override
    public TypeSerializerSnapshot<Event> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's snapshot: no configuration, one version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Event> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** {@link Event}'s type information: {@link #INSTANCE} as its serializer (named by {@code @TypeInfo} on the class). */
    public static final class TypeInfo extends TypeInformation<Event> {
        @Override
        public boolean isBasicType() {
            return false;
        }

        @Override
        public boolean isTupleType() {
            return false;
        }

        @Override
        public int getArity() {
            return 1;
        }

        @Override
        public int getTotalFields() {
            return 1;
        }

        @Override
        public Class<Event> getTypeClass() {
            return Event.class;
        }

        @Override
        public boolean isKeyType() {
            return false;
        }

        @Override
        public TypeSerializer<Event> createSerializer(SerializerConfig config) {
            return INSTANCE;
        }

        @Override
        public String toString() {
            return "Event";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TypeInfo;
        }

        @Override
        public int hashCode() {
            return Event.class.hashCode();
        }

        @Override
        public boolean canEqual(Object o) {
            return o instanceof TypeInfo;
        }
    }

    /** Named by {@code @TypeInfo} on {@link Event}. */
    public static final class Factory extends TypeInfoFactory<Event> {
        @Override
        public TypeInformation<Event> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new TypeInfo();
        }
    }
}
