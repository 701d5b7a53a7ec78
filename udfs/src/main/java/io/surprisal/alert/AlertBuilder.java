package io.surprisal.alert;

import io.surprisal.event.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * The one way detectors build an {@link Alert}: who and when (from the triggering event), the score
 * against its threshold, a summary, reasons and at most {@code maxEvents} events. {@link #build()}
 * always derives the alert's id, and gives a score in bits its severity by how far it passes the
 * threshold unless one is set.
 *
 * <pre>{@code
 * Alert a = AlertBuilder.of("transition", e, maxEvents)
 *         .bits(tailBits, bar)
 *         .summary("...")
 *         .reason("transition", "login -> buy", "population p=0.0001", bits)
 *         .repeatOn("login -> buy")
 *         .event(e)
 *         .build();
 * }</pre>
 *
 * <p>Its {@link Alert#repeatKey} is the detector, the user's key and the parts given to
 * {@link #repeatOn}, in that order ({@link RepeatKey}).
 */
public final class AlertBuilder {
    private static final String BITS = "bits";

    private final int maxEvents;
    /** What, besides detector and user, makes this alert the same as another ({@link #repeatOn}). */
    private final List<String> repeatParts = new ArrayList<>(2);
    /** The alert under construction; null once built, so that an emitted alert is never changed. */
    private Alert alert = new Alert();

    private AlertBuilder(String detector, long ts, String user, String session, int maxEvents) {
        alert.detector = detector;
        alert.ts = ts;
        alert.user = user;
        alert.session = session;
        this.maxEvents = maxEvents;
    }

    /** An alert of {@code detector} at the time, for the user and in the session of the event that triggered it. */
    public static AlertBuilder of(String detector, Event trigger, int maxEvents) {
        return new AlertBuilder(detector, trigger.ts, trigger.user, trigger.session, maxEvents).tenant(trigger.tenant);
    }

    /** An alert of {@code detector} that no single event triggered, such as a closed session's. */
    public static AlertBuilder of(String detector, long ts, String user, String session, int maxEvents) {
        return new AlertBuilder(detector, ts, user, session, maxEvents);
    }

    /** Whom the alert is about when it is not the triggering event's user, e.g. {@code ip:192.0.2.7}. */
    public AlertBuilder user(String user) {
        open().user = user;
        return this;
    }

    /** The user's tenant, or null for none. */
    public AlertBuilder tenant(String tenant) {
        open().tenant = tenant;
        return this;
    }

    /** Score and threshold in bits. */
    public AlertBuilder bits(double score, double threshold) {
        return score(score, threshold, BITS);
    }

    /** Score and threshold in another unit, e.g. {@code failed logins}; such an alert needs its {@link #severity}. */
    public AlertBuilder score(double score, double threshold, String unit) {
        Alert a = open();
        a.score = score;
        a.threshold = threshold;
        a.unit = unit;
        return this;
    }

    /** The severity, instead of the one a score in bits gets from how far it passes the threshold. */
    public AlertBuilder severity(Severity severity) {
        open().severity = severity;
        return this;
    }

    public AlertBuilder summary(String summary) {
        open().summary = summary;
        return this;
    }

    public AlertBuilder reason(Reason reason) {
        open().reasons.add(reason);
        return this;
    }

    public AlertBuilder reason(String feature, String observed, String expected, double bits) {
        return reason(new Reason(feature, observed, expected, bits));
    }

    /**
     * One more part of what makes another alert of this detector and user "the same alert again",
     * e.g. a transition's steps or a login's country; parts are compared in the order given. Without
     * any, every alert of the detector for the user repeats the others.
     */
    public AlertBuilder repeatOn(String part) {
        open();
        repeatParts.add(part);
        return this;
    }

    /** Whether another {@link #event} would be kept. */
    public boolean hasRoomForEvent() {
        return open().events.size() < maxEvents;
    }

    /** Adds one event while the alert has room for it; past {@code maxEvents} events it is left out. */
    public AlertBuilder event(Event e) {
        if (hasRoomForEvent()) {
            alert.events.add(e);
        }
        return this;
    }

    /** Adds the events, in order; of more than the alert has room for, the first ones and the last one. */
    public AlertBuilder events(List<Event> all) {
        List<Event> events = open().events;
        int room = maxEvents - events.size();
        if (all.size() <= room) {
            events.addAll(all);
        } else if (room > 0) {
            events.addAll(all.subList(0, room - 1));
            events.add(all.get(all.size() - 1));
        }
        return this;
    }

    /**
     * The alert, with its id derived from the detector, the user and the events, and its repeat key
     * from the detector, the user and the repeat parts. A builder builds one alert.
     */
    public Alert build() {
        Alert a = open();
        if (a.unit == null || a.summary == null) {
            throw new IllegalStateException("an alert of " + a.detector + " needs a score and a summary");
        }
        if (a.severity == null) {
            if (!BITS.equals(a.unit)) {
                throw new IllegalStateException("an alert of " + a.detector + " scored in " + a.unit + " needs a severity");
            }
            a.severity = Severity.fromExcessBits(a.score - a.threshold);
        }
        alert = null;
        a.repeatKey = RepeatKey.of(a.detector, a.tenant, a.user, repeatParts);
        return a.withDerivedId();
    }

    private Alert open() {
        if (alert == null) {
            throw new IllegalStateException("this builder's alert is built already");
        }
        return alert;
    }
}
