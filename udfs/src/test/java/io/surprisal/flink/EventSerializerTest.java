package io.surprisal.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.event.Event;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;
import org.junit.jupiter.api.Test;

/** Events survive the trip through their serializer with every field, null or not. */
class EventSerializerTest {
    @Test
    void flinkUsesItForEvents() {
        TypeSerializer<Event> s = TypeInformation.of(Event.class).createSerializer(new ExecutionConfig().getSerializerConfig());
        assertThat(s).isSameAs(EventSerializer.INSTANCE);
    }

    @Test
    void everyFieldRoundTrips() throws Exception {
        Event full = new Event();
        full.ts = 1_789_000_123_456L;
        full.eventId = "e-1";
        full.user = "jané";
        full.action = "buy_item";
        full.fail = true;
        full.session = "s-1";
        full.ip = "2001:db8::1";
        full.country = "PT";
        full.region = "Lisboa";
        full.city = "Lisboa";
        full.asn = 3243L;
        full.lat = 38.7223;
        full.lon = -9.1393;
        full.userAgent = "Mozilla/5.0 (X11; Linux x86_64) \u2603";
        full.device = "desktop";
        full.amount = 12.34;
        full.friend = "u2";
        full.extra = "{\"k\":[1,2]}";
        full.source = "f.jsonl:12";
        full.bits = 3.25;
        full.noveltyBits = 7.5;
        full.novel = true;
        full.tenant = "shop-eu";
        assertSame(full, roundTrip(full));

        Event sparse = new Event();
        sparse.ts = -5;
        sparse.user = "u";
        sparse.action = "view_item";
        Event back = roundTrip(sparse);
        assertSame(sparse, back);
        assertThat(back.asn).isNull();
        assertThat(back.amount).isNull();
        assertThat(back.lat).isNull();
        assertThat(back.lon).isNull();
        assertThat(back.session).isNull();
        assertThat(back.tenant).isNull();
    }

    @Test
    void anEventWithoutATenantHasTheLayoutItHadBeforeTenantsSoStoredEventsReadBack() throws Exception {
        Event e = new Event();
        e.ts = 1_789_000_123_456L;
        e.eventId = "e-1";
        e.user = "jané";
        e.action = "buy_item";
        e.fail = true;
        e.session = "s-1";
        e.ip = "203.0.113.7";
        e.asn = 7922L;
        e.lat = 38.7223;
        e.userAgent = "Mozilla/5.0";
        e.amount = 12.34;
        e.extra = "{\"k\":1}";
        e.source = "f.jsonl:12";
        e.bits = 3.25;
        e.noveltyBits = 7.5;

        // The layout before tenants, written out field by field.
        DataOutputSerializer old = new DataOutputSerializer(64);
        old.writeByte(1 | 4 | 8 | 16);
        old.writeLong(e.ts);
        for (String s : new String[] {e.eventId, e.user, e.action, e.session, e.ip, e.country, e.region, e.city}) {
            StringValue.writeString(s, old);
        }
        old.writeLong(e.asn);
        old.writeDouble(e.lat);
        StringValue.writeString(e.userAgent, old);
        StringValue.writeString(e.device, old);
        old.writeDouble(e.amount);
        StringValue.writeString(e.friend, old);
        StringValue.writeString(e.extra, old);
        StringValue.writeString(e.source, old);
        old.writeDouble(e.bits);
        old.writeDouble(e.noveltyBits);

        DataOutputSerializer now = new DataOutputSerializer(64);
        EventSerializer.INSTANCE.serialize(e, now);
        assertThat(now.getCopyOfBuffer()).isEqualTo(old.getCopyOfBuffer());
        assertSame(e, EventSerializer.INSTANCE.deserialize(new DataInputDeserializer(old.getCopyOfBuffer())));

        // With a tenant: one more flag and the tenant after everything else.
        e.tenant = "t1";
        DataOutputSerializer withTenant = new DataOutputSerializer(64);
        EventSerializer.INSTANCE.serialize(e, withTenant);
        byte[] bytes = withTenant.getCopyOfBuffer();
        byte[] before = old.getCopyOfBuffer();
        assertThat(bytes[0]).isEqualTo((byte) (before[0] | 64));
        assertThat(java.util.Arrays.copyOfRange(bytes, 1, before.length)).isEqualTo(java.util.Arrays.copyOfRange(before, 1, before.length));
        assertSame(e, roundTrip(e));
    }

    private static Event roundTrip(Event e) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        EventSerializer.INSTANCE.serialize(e, out);
        Event back = EventSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        // copy(in, out) writes the same bytes
        DataOutputSerializer copied = new DataOutputSerializer(64);
        EventSerializer.INSTANCE.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
        return back;
    }

    private static void assertSame(Event a, Event b) {
        assertThat(b).usingRecursiveComparison().isEqualTo(a);
    }
}
