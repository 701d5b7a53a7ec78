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
 * bounded number of partial matches open. Login novelty routes this way the events it reads anyway
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
        return out;
    }

    public void open(RuntimeContext context) {
        openers = context.getMapState(Descriptors.cepOpeners(ttl));
        routed = routedPatterns(cep);
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
     * recency} changed and must be written.
     */
    public boolean route(Event e, LoginRecency recency, Router router) throws Exception {
        boolean changed = remember(e, recency);
        for (int i = 0; i < routed.size(); i++) {
            CepPatterns.PatternSpec spec = routed.get(i);
            if (!spec.admits(e, recency.lastFailedLogin, recency.lastNovelLogin)) {
                continue;
            }
            if (spec.gate().opens(e) && !mayOpen(spec, e.ts)) {
                openersSkipped.get(i).inc();
                continue;
            }
            router.route(tags.get(i), e);
        }
        return closeAfterSuccess(e, recency) || changed;
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
    private static boolean closeAfterSuccess(Event e, LoginRecency recency) {
        if (recency.lastFailedLogin != Long.MIN_VALUE && CepPatterns.isSuccessfulLogin(e)) {
            recency.lastFailedLogin = Long.MIN_VALUE;
            return true;
        }
        return false;
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
