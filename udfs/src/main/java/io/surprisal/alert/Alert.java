package io.surprisal.alert;

import io.surprisal.event.Event;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One finding of one detector about one user, explaining itself in bits. The alert contract (README)
 * is its JSON form, written by {@link AlertJson}. A Flink POJO.
 */
public class Alert {
    /** Deterministic from detector, user and triggering event ids: a replay yields the same id. */
    public String alertId;
    /** Event time of the triggering event, epoch milliseconds. */
    public long ts;
    public String user;
    public String detector;
    public Severity severity;
    public double score;
    public double threshold;
    /** Unit of score and threshold, e.g. {@code bits}. */
    public String unit;
    /** One sentence a person reads. */
    public String summary;
    public List<Reason> reasons = new ArrayList<>();
    /** The triggering events, at most 20. */
    public List<Event> events = new ArrayList<>();
    public String session;

    public Alert() {}

    /** Computes {@link #alertId} from the detector, the user and the events' ids. */
    public Alert withDerivedId() {
        StringBuilder sb = new StringBuilder(detector).append('\n').append(user);
        for (Event e : events) {
            sb.append('\n').append(e.eventId);
        }
        alertId = UUID.nameUUIDFromBytes(sb.toString().getBytes(StandardCharsets.UTF_8)).toString();
        return this;
    }

    @Override
    public String toString() {
        return "Alert{" + detector + " " + user + " " + severity + " " + summary + "}";
    }
}
