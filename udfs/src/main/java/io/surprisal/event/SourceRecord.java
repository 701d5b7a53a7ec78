package io.surprisal.event;

/**
 * What a source emits for one input record: the parsed event, admitted into event time, or the
 * dead letter saying why not. Parsing and the event-time checks happen in the source itself, per
 * split (file or Kafka partition), so that each split's watermark is generated from that split's
 * own events and one split cannot make another's events late.
 */
public class SourceRecord {
    /** The event, or null when the record is a dead letter. */
    public Event event;
    /** Why the record is not an event, or null. */
    public DeadLetter deadLetter;

    public SourceRecord() {}

    public static SourceRecord of(Event event) {
        SourceRecord r = new SourceRecord();
        r.event = event;
        return r;
    }

    public static SourceRecord of(DeadLetter deadLetter) {
        SourceRecord r = new SourceRecord();
        r.deadLetter = deadLetter;
        return r;
    }

    /** Parses a line into an event or a dead letter, before any event-time check. */
    public static SourceRecord parse(SourceLine line) {
        Object parsed = EventParser.parseOrDeadLetter(line);
        return parsed instanceof Event e ? of(e) : of((DeadLetter) parsed);
    }

    /** The event time for watermarks: the event's, or none for a dead letter. */
    public long eventTime() {
        return event == null ? Long.MIN_VALUE : event.ts;
    }
}
