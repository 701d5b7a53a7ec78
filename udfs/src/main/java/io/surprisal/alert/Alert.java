package io.surprisal.alert;

import io.surprisal.event.Event;
import io.surprisal.event.UserKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One finding of one detector about one user, explaining itself in bits. The alert contract (docs/contracts.md)
 * is its JSON form, written by {@link AlertJson}. A Flink POJO; detectors build it with {@link AlertBuilder}.
 */
public class Alert {
    /**
     * The alert contract's major version, {@code schema_version} in its JSON form: within a major
     * version fields are only added, never removed or changed in meaning or type (docs/contracts.md).
     */
    public static final int SCHEMA_VERSION = 1;

    /** Deterministic from detector, user (with its tenant) and triggering event ids: a replay yields the same id. */
    public String alertId;
    /** Event time of the triggering event, epoch milliseconds. */
    public long ts;
    public String user;
    /** The user's tenant, or null when the events carry none. */
    public String tenant;
    public String detector;
    /**
     * What makes "the same alert again" for its detector: a hex hash of the detector, the user's key
     * and the detector's repeat parts ({@link RepeatKey}, docs/contracts.md). Feedback (a false
     * positive) names alerts by it.
     */
    public String repeatKey;
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
    /**
     * How many alerts this one stands for: 1 for an ordinary alert; for a suppression roll-up, the
     * number of alerts with the same user, detector and main reason that were held back in the window.
     */
    public int repeats = 1;
    /**
     * The user's behaviour group (io.surprisal.groups) when the alert was raised, e.g. {@code g3.0},
     * or null (groups off, another operator's alert, or not typed yet); for {@code group-change}, the
     * group the session behaved like.
     */
    public String group;
    /** The posterior of {@link #group}. */
    public double groupPosterior;

    public Alert() {}

    /** Computes {@link #alertId} from the detector, the user's key ({@link UserKey}: the user alone without a tenant) and the events' ids. */
    public Alert withDerivedId() {
        StringBuilder sb = new StringBuilder(detector).append('\n').append(UserKey.of(tenant, user));
        for (Event e : events) {
            sb.append('\n').append(e.eventId);
        }
        alertId = UUID.nameUUIDFromBytes(sb.toString().getBytes(StandardCharsets.UTF_8)).toString();
        return this;
    }

    /** The reason with the most bits (the first of equals), or null if there is none. */
    public Reason mainReason() {
        Reason best = null;
        for (Reason r : reasons) {
            if (best == null || r.bits > best.bits) {
                best = r;
            }
        }
        return best;
    }

    /** A copy sharing the reasons and events lists' elements (which are never mutated once emitted). */
    public Alert copy() {
        Alert a = new Alert();
        a.alertId = alertId;
        a.ts = ts;
        a.user = user;
        a.tenant = tenant;
        a.detector = detector;
        a.repeatKey = repeatKey;
        a.severity = severity;
        a.score = score;
        a.threshold = threshold;
        a.unit = unit;
        a.summary = summary;
        a.reasons = new ArrayList<>(reasons);
        a.events = new ArrayList<>(events);
        a.session = session;
        a.repeats = repeats;
        a.group = group;
        a.groupPosterior = groupPosterior;
        return a;
    }

    @Override
    public String toString() {
        return "Alert{" + detector + " " + user + " " + severity + " " + summary + "}";
    }
}
