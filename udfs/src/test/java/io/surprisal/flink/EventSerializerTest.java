package io.surprisal.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.event.Event;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
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
