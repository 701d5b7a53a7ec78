package io.surprisal.event;

import io.surprisal.flink.EventSerializer;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One user action, as parsed from the input contract, enriched on its way through the job with the
 * bits the detectors assigned to it. Public fields and a public no-argument constructor; Flink
 * serializes it with {@link io.surprisal.flink.EventSerializer} (field by field, no reflection, no
 * Kryo), named by the {@code @TypeInfo} annotation.
 */
@TypeInfo(EventSerializer.Factory.class)
public class Event {
    /** Event time, epoch milliseconds. */
    public long ts;
    public String eventId;
    public String user;
    /** The tenant the user belongs to, or null; part of the user's key ({@link UserKey}). */
    public String tenant;
    public String action;
    /** {@code status: fail}; success is the default. */
    public boolean fail;
    public String session;
    public String ip;
    public String country;
    public String region;
    public String city;
    public Long asn;
    /** Latitude and longitude of the place, decimal degrees (geo-IP), or null. */
    public Double lat;
    public Double lon;
    public String userAgent;
    public String device;
    public Double amount;
    /** The other user of a {@code befriend} / {@code unfriend} event. */
    public String friend;
    /** Fields the contract does not name, as a JSON object text, kept so they reach alerts; or null. */
    public String extra;
    /** Where the line came from: {@code file:line} or {@code topic/partition/offset}. */
    public String source;

    // Enrichment by the per-user scoring operator, read by CEP patterns downstream.
    /** Surprisal of the transition into this event, bits. */
    public double bits;
    /** Login-novelty risk of this event, bits (0 when not scored). */
    public double noveltyBits;
    /** True when login novelty judged the event's login attributes new for this user. */
    public boolean novel;

    public Event() {}

    /** The {@code action:status} state this event moves the user into. */
    public String state() {
        return fail ? action + ":fail" : action + ":success";
    }

    public String status() {
        return fail ? "fail" : "success";
    }

    /** A field-by-field copy, so an operator can keep an event without aliasing the one it emits. */
    public Event copy() {
        Event e = new Event();
        e.ts = ts;
        e.eventId = eventId;
        e.user = user;
        e.tenant = tenant;
        e.action = action;
        e.fail = fail;
        e.session = session;
        e.ip = ip;
        e.country = country;
        e.region = region;
        e.city = city;
        e.asn = asn;
        e.lat = lat;
        e.lon = lon;
        e.userAgent = userAgent;
        e.device = device;
        e.amount = amount;
        e.friend = friend;
        e.extra = extra;
        e.source = source;
        e.bits = bits;
        e.noveltyBits = noveltyBits;
        e.novel = novel;
        return e;
    }

    @Override
    public String toString() {
        return "Event{" + eventId + " " + Timestamps.format(ts) + " " + user + " " + state() + "}";
    }
}
