package io.surprisal.cep;

import io.surprisal.flink.Descriptors;

import io.surprisal.config.SurprisalConfig.CepConfig;
import io.surprisal.event.Event;
import io.surprisal.novelty.LoginRecency;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.OutputTag;

/**
 * Sends each event of a user to the user-keyed CEP patterns it can still matter to ({@link
 * CepPatterns.PatternSpec#admits}), given the user's last failed and novel logins, which the caller
 * keeps in a {@link LoginRecency}. Of the events that would open a partial match, at most {@code
 * cep.max-openers} per slot ({@link OpenerSlot}) reach a pattern: a user's flood of them keeps a
 * bounded number of partial matches open. The openers of a pattern of two steps
 * (failed-login-then-buy) wait here instead, and reach its operator only with an event that completes a
 * match ({@link #routeHeld}): in Flink 2.2 every event a CEP operator takes costs it several RocksDB
 * seeks, each of which walks the deleted entries that the operator's earlier events left behind, so
 * its cost per event grows with the events it has seen, while a failed login that a buy completes
 * is rare. Login novelty routes this way the events it reads anyway
 * ({@link LoginNoveltyLogic}); with login novelty off, {@link CepRoutingFunction} does.
 */
public final class PatternRouting implements Serializable {
    private static final long serialVersionUID = 1L;

    private final CepConfig cep;
    private final Duration ttl;

    private transient List<CepPatterns.PatternSpec> routed;
    private transient List<OutputTag<Event>> tags;
    /** Per routed pattern (by uid), the slot of events that opened a partial match. */
    private transient MapState<String, OpenerSlot> openers;
    /** The routed pattern that holds its openers ({@link CepPatterns.PatternSpec#holdsOpeners}), or null. */
    private transient CepPatterns.PatternSpec holding;
    /** Per routed pattern that holds its openers (by uid), the openers waiting for an event that completes a match. */
    private transient MapState<String, List<Event>> held;
    private transient List<Counter> openersSkipped;

    public PatternRouting(CepConfig cep, Duration ttl) {
        this.cep = cep;
        this.ttl = ttl;
    }

    /** Where routed events go: a side output of the calling function. */
    public interface Router {
        void route(OutputTag<Event> tag, Event e);
    }

    /** The enabled CEP patterns keyed by user: the ones routed here. */
    public static List<CepPatterns.PatternSpec> routedPatterns(CepConfig cep) {
        List<CepPatterns.PatternSpec> out = new ArrayList<>();
        for (CepPatterns.PatternSpec spec : CepPatterns.enabled(cep)) {
            if (spec.routedByLoginNovelty()) {
                out.add(spec);
            }
        }
        // A match, a turned-away opener and the window's end all move the failed-login gate, which
        // only the pattern that holds its openers may then use.
        long holding = out.stream().filter(CepPatterns.PatternSpec::holdsOpeners).count();
        long failedGated = out.stream().filter(p -> p.gate() == CepPatterns.Gate.AFTER_FAILED_LOGIN).count();
        if (holding > 0 && failedGated > 1) { // a holding pattern is gated by a failed login (PatternSpec)
            throw new IllegalStateException("a pattern that holds its openers must be the only one gated by a failed login: " + out);
        }
        return out;
    }

    public void open(RuntimeContext context) {
        openers = context.getMapState(Descriptors.cepOpeners(ttl));
        routed = routedPatterns(cep);
        holding = routed.stream().filter(CepPatterns.PatternSpec::holdsOpeners).findFirst().orElse(null);
        held = context.getMapState(Descriptors.cepHeldOpeners(ttl));
        tags = new ArrayList<>(routed.size());
        openersSkipped = new ArrayList<>(routed.size());
        for (CepPatterns.PatternSpec spec : routed) {
            tags.add(Descriptors.cepEvents(spec.uid()));
            openersSkipped.add(context.getMetricGroup().addGroup("cep", spec.name()).counter("openersSkipped"));
        }
    }

    /**
     * Routes {@code e} of the current user to the patterns it can still take part in, keeping the
     * user's {@code recency} (their last failed and novel logins) up to date; true when {@code
     * recency} changed and must be written. A user's events must come in event-time order (the
     * per-user operator's ordering step): the gates and the waiting openers assume it.
     */
    public boolean route(Event e, LoginRecency recency, Router router) throws Exception {
        boolean changed = false;
        if (holding != null && recency.lastFailedLogin != Long.MIN_VALUE && !holding.follows(e, recency.lastFailedLogin)) {
            // The gate's window has passed: no opener still waiting can complete a match.
            closeGate(recency);
            changed = true;
        }
        boolean turnedAway = false;
        for (int i = 0; i < routed.size(); i++) {
            CepPatterns.PatternSpec spec = routed.get(i);
            // e's own login opens its gate (Gate.opens): the recency from before e decides the rest.
            if (!spec.admits(e, recency.lastFailedLogin, recency.lastNovelLogin)) {
                continue;
            }
            boolean opens = spec.gate().opens(e);
            if (opens && !mayOpen(spec, e.ts)) {
                openersSkipped.get(i).inc();
                // Waiting nowhere, a turned-away opener can complete nothing: the gate stays as it was.
                turnedAway |= spec == holding;
                continue;
            }
            if (spec == holding) {
                changed |= routeHeld(spec, tags.get(i), e, opens, recency, router);
                continue;
            }
            router.route(tags.get(i), e);
        }
        changed |= !turnedAway && remember(e, recency);
        return closeAfterSuccess(e, recency) || changed;
    }

    /**
     * An event of a pattern whose openers wait here ({@link CepPatterns.PatternSpec#holdsOpeners}),
     * admitted by its gate: an opener joins the user's waiting openers; an event that completes a
     * match sends the earliest opener still within the window and then itself, and closes the gate
     * (the match ends every partial match: skip past the last event); a successful login drops them
     * ({@link #closeAfterSuccess}). The opener reaches the operator with the completing event's
     * timestamp, behind its watermark otherwise; the window was checked here, as the operator checks
     * it (a partial match times out when the time since its start reaches the window). So the
     * operator keeps no partial match open and sees a fraction of the events, and matches as if it
     * had seen them all.
     *
     * <p>A user with no openers waiting whose gate a failed login had opened before {@code e}
     * ({@code recency}'s last failed login, not yet updated for {@code e}) may have partial matches open in the
     * operator from before openers waited here (a savepoint of an earlier version): until the gate
     * closes, every admitted event of the user goes on as it comes, as it did then.
     *
     * @return true when {@code recency} changed
     */
    private boolean routeHeld(CepPatterns.PatternSpec spec, OutputTag<Event> tag, Event e, boolean opens,
            LoginRecency recency, Router router) throws Exception {
        long window = spec.within().toMillis();
        List<Event> waiting = held.get(spec.uid());
        if (waiting == null && (!opens || spec.follows(e, recency.lastFailedLogin))) {
            router.route(tag, e);
            return false;
        }
        if (opens) {
            held.put(spec.uid(), withOpener(waiting, e, window));
            return false;
        }
        if (spec.completes().filter(e)) {
            Event opener = earliestWithin(waiting, e.ts, window);
            if (opener != null) {
                router.route(tag, opener);
                router.route(tag, e);
            }
            closeGate(recency);
            return true;
        }
        return false;
    }

    /** {@code waiting} (oldest first, or null) without the openers a partial match of which would have timed out by {@code opener}, then {@code opener}. */
    private static List<Event> withOpener(List<Event> waiting, Event opener, long windowMillis) {
        List<Event> out = new ArrayList<>(waiting == null ? 1 : waiting.size() + 1);
        if (waiting != null) {
            for (Event w : waiting) {
                if (stillOpen(w, opener.ts, windowMillis)) {
                    out.add(w);
                }
            }
        }
        out.add(opener);
        return out;
    }

    /** The earliest of {@code waiting} (oldest first) whose partial match has not timed out at {@code ts}, or null. */
    private static Event earliestWithin(List<Event> waiting, long ts, long windowMillis) {
        for (Event w : waiting) {
            if (stillOpen(w, ts, windowMillis)) {
                return w;
            }
        }
        return null;
    }

    /** Whether the partial match {@code opener} began is still open at {@code ts}: the CEP operator drops it once the time since reaches the window. */
    private static boolean stillOpen(Event opener, long ts, long windowMillis) {
        return ts - opener.ts < windowMillis;
    }

    /** Notes {@code e} in the user's recency if it is a failed or a novel login; true when that changed it. */
    private static boolean remember(Event e, LoginRecency recency) {
        if (CepPatterns.isFailedLogin(e)) {
            recency.lastFailedLogin = e.ts;
            return true;
        }
        if (e.novel && CepPatterns.isSuccessfulLogin(e)) {
            recency.lastNovelLogin = e.ts;
            return true;
        }
        return false;
    }

    /**
     * After {@code e} was routed: a successful login ends every partial match of
     * failed-login-then-buy (its notFollowedBy), so until the next failed login no event of the user
     * can complete one, and the pattern's gate closes. True when that changed {@code recency}.
     */
    private boolean closeAfterSuccess(Event e, LoginRecency recency) throws Exception {
        if (recency.lastFailedLogin != Long.MIN_VALUE && CepPatterns.isSuccessfulLogin(e)) {
            closeGate(recency);
            return true;
        }
        return false;
    }

    /**
     * Closes failed-login-then-buy's gate: until the user's next failed login no event of theirs
     * can complete a match, and none of their failed logins waits.
     */
    private void closeGate(LoginRecency recency) throws Exception {
        recency.lastFailedLogin = Long.MIN_VALUE;
        if (holding != null) {
            held.remove(holding.uid());
        }
    }

    /** Whether an event at {@code ts} may open a partial match of {@code spec}: the user's slot has room. */
    private boolean mayOpen(CepPatterns.PatternSpec spec, long ts) throws Exception {
        OpenerSlot slot = openers.get(spec.uid());
        if (slot == null) {
            slot = new OpenerSlot();
        }
        boolean admitted = slot.admit(ts, spec.openerSlotMillis(), cep.maxOpeners());
        if (admitted) {
            openers.put(spec.uid(), slot);
        }
        return admitted;
    }
}
