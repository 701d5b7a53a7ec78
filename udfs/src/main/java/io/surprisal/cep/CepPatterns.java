package io.surprisal.cep;

import io.surprisal.alert.Alert;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.config.SurprisalConfig.CepConfig;
import io.surprisal.event.Event;
import io.surprisal.event.UserKey;
import io.surprisal.flink.Descriptors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The CEP patterns (sequences that are bad by themselves), built from {@code cep.*} in the
 * configuration, and the helper that runs one on the scored event stream. Every pattern skips past
 * the last event of a match (a burst alerts once, not once per overlapping sub-sequence) and has a
 * window, so partial matches time out and are dropped.
 *
 * <p>The detectors that count rather than follow a sequence ({@code brute-force}, {@code
 * credential-stuffing}) are keyed functions ({@code BruteForceFunction},
 * {@code CredentialStuffingFunction}): as patterns they keep a partial
 * match open per event, which a flood from one user or IP turns into work in proportion to the
 * flood at every event. The sequences here keep one per event that opens them; login novelty lets
 * at most {@code cep.max-openers} of those per user in each eighth of the window open one ({@link
 * OpenerSlot}), and holds failed-login-then-buy's until a buy completes a match ({@link
 * PatternSpec#holdsOpeners}).
 */
public final class CepPatterns {
    private CepPatterns() {}

    public static final String FAILED_LOGIN_THEN_BUY = "failed-login-then-buy";
    public static final String BRUTE_FORCE = "brute-force";
    public static final String ACCOUNT_TAKEOVER = "account-takeover";
    public static final String CREDENTIAL_STUFFING = "credential-stuffing";

    /** Pattern element names, also the keys of a match. */
    static final String FAILED = "failed-login";
    static final String SUCCESS = "login";
    static final String BUY = "buy";
    static final String NOVEL_LOGIN = "novel-login";
    static final String PROFILE_CHANGE = "profile-change";
    static final String PAYMENT_CHANGE = "payment-change";
    static final String TRADE = "trade";

    private static final Set<String> PROFILE_ACTIONS = Set.of("update_email", "password_reset", "update_address");
    private static final Set<String> PAYMENT_ACTIONS = Set.of("payment_modify", "bank_modify");
    private static final Set<String> TRADE_ACTIONS = Set.of("buy_item", "sell_item");

    /** The {@code detector} of an alert of pattern {@code name}. */
    public static String detector(String name) {
        return "cep:" + name;
    }

    /** What a pattern is keyed by. */
    public enum Key {
        USER,
        IP
    }

    /**
     * One pattern ready to run.
     *
     * @param name the pattern's name ({@code detector} is {@code cep:<name>})
     * @param uid the operator's uid (also its name's stem); a pattern may run as several operators
     * @param key what the pattern is keyed by
     * @param relevant the events the pattern's conditions can take; only these reach its operator.
     *     Every pattern uses relaxed contiguity (followedBy), which skips other events anyway, so the
     *     filter changes no match; it spares the CEP operator (a state write and a timer per event)
     *     the bulk of the stream (page views).
     * @param gate what else a relevant event needs to matter, given the user's recent logins ({@link
     *     #admits}); also what opens a partial match
     * @param within the pattern's window
     * @param completes for a pattern of an opener and one more step: that step's condition. Its
     *     openers then wait in the router ({@code PatternRouting}) and reach the operator only with an
     *     event that completes a match; null: every admitted event reaches it as it comes. A successful
     *     login (the notFollowedBy of the one pattern gated by a failed login) drops them
     */
    public record PatternSpec(String name, String uid, Key key, Pattern<Event, ?> pattern, FilterFunction<Event> relevant,
            Gate gate, Duration within, FilterFunction<Event> completes) {
        /**
         * True when the event can still take part in a match, given the user's last failed login
         * and last novel login (event times, {@link Long#MIN_VALUE} for none). A match of a gated
         * pattern starts with a failed (or novel) login and fits in {@code within}, so an event with
         * no such login within {@code within} before it can neither complete nor, through
         * notFollowedBy, break one: leaving it out changes no match. It spares the CEP operators
         * most buys, trades and successful logins (each costs a CEP operator a dozen state accesses).
         */
        public boolean admits(Event e, long lastFailedLogin, long lastNovelLogin) throws Exception {
            if (!relevant.filter(e)) {
                return false;
            }
            return switch (gate) {
                case NONE -> true;
                case AFTER_FAILED_LOGIN -> gate.opens(e) || follows(e, lastFailedLogin);
                case AFTER_NOVEL_LOGIN -> gate.opens(e) || follows(e, lastNovelLogin);
            };
        }

        /** The length of the slots that bound how many events of one user open a partial match ({@link OpenerSlot}). */
        public long openerSlotMillis() {
            return OpenerSlot.slotMillis(within.toMillis());
        }

        public PatternSpec {
            // The router closes the failed-login gate after a match: only that gate's patterns may hold openers.
            if (completes != null && gate != Gate.AFTER_FAILED_LOGIN) {
                throw new IllegalArgumentException(name + ": only a pattern gated by a failed login may hold its openers");
            }
        }

        /** Whether the pattern's openers wait in the router for an event that completes a match ({@code completes}). */
        public boolean holdsOpeners() {
            return completes != null;
        }

        /** True for the patterns login novelty feeds (the user-keyed ones); the others filter the enriched stream. */
        public boolean routedByLoginNovelty() {
            return key == Key.USER;
        }

        /** Whether {@code e} comes at most the window after {@code since} (an event time, {@link Long#MIN_VALUE} for none): the gate is open for it. */
        public boolean follows(Event e, long since) {
            return since != Long.MIN_VALUE && e.ts - since <= within.toMillis();
        }
    }

    /** What a pattern's events other than its first step need: a recent login of some kind. */
    public enum Gate {
        /** Every relevant event. */
        NONE,
        /** A failed login of the user within the window (the event itself, or before it). */
        AFTER_FAILED_LOGIN,
        /** A novel successful login of the user within the window (the event itself, or before it). */
        AFTER_NOVEL_LOGIN;

        /** Whether {@code e} is the login that opens a partial match of a pattern with this gate. */
        public boolean opens(Event e) {
            return switch (this) {
                case NONE -> false;
                case AFTER_FAILED_LOGIN -> isFailedLogin(e);
                case AFTER_NOVEL_LOGIN -> e.novel && isSuccessfulLogin(e);
            };
        }
    }

    /** The enabled CEP patterns (brute-force and credential-stuffing are keyed functions). */
    public static List<PatternSpec> enabled(CepConfig c) {
        List<PatternSpec> out = new ArrayList<>();
        if (c.failedLoginThenBuy().enabled()) {
            out.add(new PatternSpec(FAILED_LOGIN_THEN_BUY, "cep-" + FAILED_LOGIN_THEN_BUY, Key.USER,
                    failedLoginThenBuy(c.failedLoginThenBuy().within()),
                    e -> "login".equals(e.action) || "buy_item".equals(e.action),
                    Gate.AFTER_FAILED_LOGIN, c.failedLoginThenBuy().within(), CepPatterns::isSuccessfulBuy));
        }
        if (c.accountTakeover().enabled()) {
            out.add(new PatternSpec(ACCOUNT_TAKEOVER, "cep-" + ACCOUNT_TAKEOVER, Key.USER,
                    accountTakeover(c.accountTakeover().within()),
                    // Only a novel login can take a step (the first): the others never reach the operator.
                    e -> !e.fail && (("login".equals(e.action) && e.novel) || PROFILE_ACTIONS.contains(e.action)
                            || PAYMENT_ACTIONS.contains(e.action) || TRADE_ACTIONS.contains(e.action)),
                    Gate.AFTER_NOVEL_LOGIN, c.accountTakeover().within(), null));
        }
        return out;
    }

    /** A failed login, then a successful buy, with no successful login between them. */
    public static Pattern<Event, Event> failedLoginThenBuy(Duration within) {
        return Pattern.<Event>begin(FAILED, AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(CepPatterns::isFailedLogin))
                .notFollowedBy(SUCCESS)
                .where(SimpleCondition.of(CepPatterns::isSuccessfulLogin))
                .followedBy(BUY)
                .where(SimpleCondition.of(CepPatterns::isSuccessfulBuy))
                .within(within);
    }

    /**
     * A successful login that login novelty judged new (device or place), then a successful change of
     * e-mail, password or address, then of payment or bank details, then a successful buy or sell.
     */
    public static Pattern<Event, Event> accountTakeover(Duration within) {
        return Pattern.<Event>begin(NOVEL_LOGIN, AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(e -> e.novel && isSuccessfulLogin(e)))
                .followedBy(PROFILE_CHANGE)
                .where(SimpleCondition.of(e -> !e.fail && PROFILE_ACTIONS.contains(e.action)))
                .followedBy(PAYMENT_CHANGE)
                .where(SimpleCondition.of(e -> !e.fail && PAYMENT_ACTIONS.contains(e.action)))
                .followedBy(TRADE)
                .where(SimpleCondition.of(e -> !e.fail && TRADE_ACTIONS.contains(e.action)))
                .within(within);
    }

    /** A failed login: the first step of every login-attack pattern. */
    public static boolean isFailedLogin(Event e) {
        return e.fail && "login".equals(e.action);
    }

    public static boolean isSuccessfulLogin(Event e) {
        return !e.fail && "login".equals(e.action);
    }

    public static boolean isSuccessfulBuy(Event e) {
        return !e.fail && "buy_item".equals(e.action);
    }

    /** Key: the event's IP address (events without one never reach an IP-keyed pattern). */
    public static final class IpKey implements KeySelector<Event, String> {
        @Override
        public String getKey(Event e) {
            return e.ip;
        }
    }

    /**
     * Runs one pattern on {@code events} (the scored stream, in per-user event-time order), keyed as
     * the pattern asks. {@code events} must come out of an operator keyed by {@link UserKey} with the
     * same parallelism: a user-keyed pattern then reads it as already partitioned (chained, no
     * network shuffle). The result is the pattern's alerts; its side output {@link
     * Descriptors#CEP_LATE_EVENTS} carries events that arrived behind the operator's watermark.
     */
    public static SingleOutputStreamOperator<Alert> apply(DataStream<Event> events, PatternSpec spec, SurprisalConfig config) {
        // A filter is chained and keeps the partitioning, so a user-keyed pattern still reads the
        // scored stream as already keyed by user.
        DataStream<Event> relevant = events.filter(spec.relevant())
                .name("events for " + spec.uid())
                .uid(spec.uid() + "-events");
        KeyedStream<Event, String> keyed = spec.key() == Key.IP
                ? relevant.keyBy(new IpKey())
                : DataStreamUtils.reinterpretAsKeyedStream(relevant, new UserKey());
        return pattern(keyed, spec, config);
    }

    /**
     * Runs a user-keyed pattern on the events login novelty routed to it ({@link PatternSpec#admits}),
     * a side output of that user-keyed operator: read as already keyed, chained.
     */
    public static SingleOutputStreamOperator<Alert> applyToRouted(DataStream<Event> routed, PatternSpec spec, SurprisalConfig config) {
        return pattern(DataStreamUtils.reinterpretAsKeyedStream(routed, new UserKey()), spec, config);
    }

    private static SingleOutputStreamOperator<Alert> pattern(KeyedStream<Event, String> keyed, PatternSpec spec, SurprisalConfig config) {
        return CEP.pattern(keyed, spec.pattern())
                .inEventTime()
                .sideOutputLateData(Descriptors.CEP_LATE_EVENTS)
                .process(alerts(spec, config), TypeInformation.of(Alert.class))
                .name("cep " + spec.uid().substring("cep-".length()))
                .uid(spec.uid());
    }

    /** What turns a match of {@code spec} into an alert. */
    public static PatternAlerts alerts(PatternSpec spec, SurprisalConfig config) {
        return new PatternAlerts(spec.name(), spec.key(), config.alerts().maxEvents());
    }

    /**
     * The operator {@link #apply} runs for {@code spec}, built the way {@code PatternStream} builds
     * it (event time, the pattern's skip strategy, late events to {@link Descriptors#CEP_LATE_EVENTS}),
     * for tests that drive it in a keyed harness.
     */
    public static CepOperator<Event, String, Alert> operator(PatternSpec spec, SurprisalConfig config, TypeSerializer<Event> serializer) {
        return new CepOperator<>(serializer, false, NFACompiler.compileFactory(spec.pattern(), false), null,
                spec.pattern().getAfterMatchSkipStrategy(), alerts(spec, config), Descriptors.CEP_LATE_EVENTS);
    }
}
