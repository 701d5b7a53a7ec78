package io.surprisal.job;

import io.surprisal.alert.Alert;
import io.surprisal.cep.CepPatterns;
import io.surprisal.cep.LateEventDeadLetter;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.DeadLetter;
import io.surprisal.event.Event;
import io.surprisal.event.SourceRecord;
import io.surprisal.event.UserKey;
import io.surprisal.feedback.Feedback;
import io.surprisal.alert.AlertBoundsFunction;
import io.surprisal.alert.AlertSuppressionFunction;
import io.surprisal.flink.Descriptors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import io.surprisal.feedback.FeedbackParseFunction;
import io.surprisal.feedback.FeedbackSuppressionFunction;
import io.surprisal.cep.BruteForceFunction;
import io.surprisal.cep.CepRoutingFunction;
import io.surprisal.cep.CredentialStuffingFunction;
import io.surprisal.flink.SeparateDeadLettersFunction;
import io.surprisal.purchase.PurchaseNetworkFunction;
import io.surprisal.novelty.LoginNoveltyFunction;
import io.surprisal.novelty.LoginNoveltyUpdate;
import io.surprisal.novelty.LoginNoveltyWithUpdatesFunction;
import io.surprisal.cep.PatternRouting;
import io.surprisal.flink.UserBehaviourFunction;
import io.surprisal.flink.UserCachingBroadcastOperator;
import io.surprisal.flink.UserCachingOperator;
import io.surprisal.flink.UserBehaviourWithModelUpdatesFunction;
import io.surprisal.novelty.LoginVector;
import io.surprisal.session.ClosedSession;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The job graph, from raw lines to alerts and dead letters. It takes its source stream as an
 * argument and returns streams, so {@link SurprisalJob}, {@link LocalRunner} and the tests all run
 * this same graph and only attach different sources and sinks.
 */
public final class SurprisalPipeline {
    private SurprisalPipeline() {}

    /**
     * Uids of operators of earlier builds whose state this graph no longer restores: velocity's own
     * keyed operator, whose state savepoints hold under the hash of {@code cep-bot-velocity}
     * (velocity is now a part of the per-user operator). Restoring such a savepoint takes
     * {@code --allowNonRestoredState}, which may leave out these and nothing else (docs/operations.md).
     */
    public static final List<String> RETIRED_UIDS = List.of("cep-bot-velocity");

    /**
     * What the graph produces; {@code closedSessions} carries vectors only when {@code
     * model.session.emit-vectors} is on, {@code loginVectors} only when {@code novelty.emit-vectors}
     * is (null when login novelty is off).
     */
    public record Streams(DataStream<Event> scoredEvents, DataStream<Alert> alerts, DataStream<DeadLetter> deadLetters,
            DataStream<ClosedSession> closedSessions, DataStream<LoginVector> loginVectors) {}

    /**
     * The graph, with allowlist updates ({@link Connectors#allowlistUpdates}), feedback
     * ({@link Connectors#feedbackUpdates}) and model updates ({@link Connectors#modelUpdates}) from
     * the configured sources, if any.
     */
    public static Streams build(SurprisalConfig config, DataStream<SourceRecord> lines) {
        var env = lines.getExecutionEnvironment();
        return build(config, lines, Connectors.allowlistUpdates(env, config).orElse(null), Connectors.feedbackUpdates(env, config).orElse(null),
                Connectors.modelUpdates(env, config).orElse(null));
    }

    /**
     * The front of the graph: the source's records split into events and dead letters (a side
     * output, {@link Descriptors#DEAD_LETTERS}), both counted. Event time and watermarks come from
     * the source (per split, {@link Connectors#watermarks}).
     */
    public static SingleOutputStreamOperator<Event> parse(DataStream<SourceRecord> records) {
        return records
                .process(new SeparateDeadLettersFunction())
                .name("events and dead letters")
                .uid("parse-events");
    }

    /**
     * The graph, with login-novelty allowlist updates (JSON lines) from {@code allowlistUpdates}, or
     * none when it is null.
     */
    public static Streams build(SurprisalConfig config, DataStream<SourceRecord> lines, DataStream<String> allowlistUpdates) {
        return build(config, lines, allowlistUpdates, null, null);
    }

    /**
     * The graph, with login-novelty allowlist updates from {@code allowlistUpdates}, feedback
     * records (JSON lines, docs/alert-routing.md) from {@code feedbackUpdates}, and detector model's
     * replacement models from {@code modelUpdates}, each none when null. Feedback's false positives
     * and mutes hold alerts back before every output; its allowlist actions join the allowlist updates.
     */
    public static Streams build(SurprisalConfig config, DataStream<SourceRecord> lines, DataStream<String> allowlistUpdates,
            DataStream<String> feedbackUpdates, DataStream<String> modelUpdates) {
        SingleOutputStreamOperator<Feedback> feedback = null;
        if (feedbackUpdates != null) {
            feedback = feedbackUpdates
                    .process(new FeedbackParseFunction(config.feedback()))
                    .name("feedback records")
                    .uid("feedback-records");
            DataStream<String> allowlisted = feedback.getSideOutput(Descriptors.FEEDBACK_ALLOWLIST);
            allowlistUpdates = allowlistUpdates == null ? allowlisted : allowlistUpdates.union(allowlisted);
        }
        SingleOutputStreamOperator<Event> parsed = parse(lines);

        // Without model updates, one input, chained to the parser's output shuffle as always; with
        // them, a broadcast input carries the models. The same uid: state carries over either way.
        // Either runs in an operator that keeps the users seen last on the heap (state.cache-users).
        String name = "transition and session surprisal";
        SingleOutputStreamOperator<Event> scored = modelUpdates == null
                ? parsed.keyBy(new UserKey()).transform(name, TypeInformation.of(Event.class),
                        new UserCachingOperator<>(new UserBehaviourFunction(config)))
                : parsed.keyBy(new UserKey()).connect(modelUpdates.broadcast()).transform(name, TypeInformation.of(Event.class),
                        new UserCachingBroadcastOperator<>(new UserBehaviourWithModelUpdatesFunction(config), List.of(Descriptors.MODEL)));
        scored.name(name).uid("user-behaviour");

        DataStream<DeadLetter> deadLetters = parsed.getSideOutput(Descriptors.DEAD_LETTERS)
                .union(scored.getSideOutput(Descriptors.DEAD_LETTERS));
        // Suppression sits in the graph itself, so every output (local files, print, Kafka, mail)
        // sees the same suppressed alerts.
        DataStream<Alert> alerts = scored.getSideOutput(Descriptors.ALERTS);

        // Login novelty: already partitioned by user and in per-user event-time order (no second
        // shuffle); it sets Event.novel / noveltyBits, which the CEP patterns below read.
        DataStream<Event> enriched = scored;
        DataStream<LoginVector> loginVectors = null;
        SingleOutputStreamOperator<Event> novel = null;
        if (config.novelty().enabled()) {
            // Already partitioned by user and in per-user event-time order: read as keyed, no shuffle.
            KeyedStream<Event, String> byUserInOrder = DataStreamUtils.reinterpretAsKeyedStream(scored, new UserKey());
            // Without an updates source, one input: it chains to the scoring operator (an event is
            // not serialized between the two). With one, a broadcast input carries the updates:
            // the allowlist's, and detector model's when it scores logins. The same uid either way.
            DataStream<LoginNoveltyUpdate> updates = null;
            if (allowlistUpdates != null) {
                updates = allowlistUpdates.map(new LoginNoveltyUpdate.OfAllowlist()).name("allowlist updates").uid("login-novelty-allowlist-updates");
            }
            if (modelUpdates != null && config.detectors().model().scoresLogins()) {
                DataStream<LoginNoveltyUpdate> models = modelUpdates.map(new LoginNoveltyUpdate.OfModel())
                        .name("login model updates").uid("login-novelty-model-updates");
                updates = updates == null ? models : updates.union(models);
            }
            // Either runs in an operator that keeps the users seen last on the heap (state.cache-users).
            String noveltyName = "login novelty";
            novel = updates == null
                    ? byUserInOrder.transform(noveltyName, TypeInformation.of(Event.class), new UserCachingOperator<>(
                            new LoginNoveltyFunction(config.novelty(), config.cep(), config.detectors().model(), config.state(),
                                    config.alerts().maxEvents())))
                    : byUserInOrder.connect(updates.broadcast()).transform(noveltyName, TypeInformation.of(Event.class),
                            new UserCachingBroadcastOperator<>(new LoginNoveltyWithUpdatesFunction(config.novelty(), config.cep(),
                                    config.detectors().model(), config.state(), config.alerts().maxEvents()),
                                    List.of(Descriptors.ALLOWLIST, Descriptors.LOGIN_MODEL)));
            novel.name(noveltyName).uid("login-novelty");
            alerts = alerts.union(novel.getSideOutput(Descriptors.ALERTS));
            loginVectors = novel.getSideOutput(Descriptors.LOGIN_VECTORS);
            deadLetters = deadLetters.union(novel.getSideOutput(Descriptors.DEAD_LETTERS));
            enriched = novel;
        }

        if (config.detectors().purchaseNetwork().enabled()) {
            // The friendship graph is global: one key, one subtask (docs/detectors.md, "How purchase-network scales").
            SingleOutputStreamOperator<Alert> purchaseAlerts = parsed
                    .filter(PurchaseNetworkFunction::isRouted)
                    .name("purchases and friendships")
                    .uid("purchase-network-events")
                    .keyBy(new PurchaseNetworkFunction.OneKey())
                    .process(new PurchaseNetworkFunction(config))
                    .setParallelism(1)
                    .name("purchase network")
                    .uid("purchase-network");
            alerts = alerts.union(purchaseAlerts);
            deadLetters = deadLetters.union(purchaseAlerts.getSideOutput(Descriptors.DEAD_LETTERS)); // unusable amounts
        }
        Detected sequences = sequenceDetectors(config, enriched, novel);
        for (DataStream<Alert> a : sequences.alerts()) {
            alerts = alerts.union(a);
        }
        for (DataStream<DeadLetter> d : sequences.deadLetters()) {
            deadLetters = deadLetters.union(d);
        }
        if (config.suppression().enabled()) {
            if (config.suppression().maxAlerts() > 0) {
                // First the budget per (user, detector): a user whose every alert has a new reason
                // costs this one key, not a window per reason in the operator below.
                alerts = alerts
                        .keyBy(new AlertSuppressionFunction.DetectorKey())
                        .process(new AlertSuppressionFunction(config.suppression(), AlertSuppressionFunction.Scope.DETECTOR))
                        .name("alert budget per user and detector")
                        .uid("alert-budget");
            }
            alerts = alerts
                    .keyBy(new AlertSuppressionFunction.Key())
                    .process(new AlertSuppressionFunction(config.suppression()))
                    .name("suppress repeated alerts")
                    .uid("alert-suppression");
        }
        // Chained, stateless: every output gets alerts of bounded size, whatever the input (docs/hostile-output.md).
        alerts = alerts.map(new AlertBoundsFunction()).name("bound alert size").uid("alert-bounds");
        if (feedback != null) {
            // After the bounds: a mute names the user as the alert's subscribers saw it.
            alerts = alerts.connect(feedback.broadcast(Descriptors.FEEDBACK_SUPPRESSION))
                    .process(new FeedbackSuppressionFunction())
                    .name("hold back alerts people marked (feedback)")
                    .uid("feedback-suppression");
            deadLetters = deadLetters.union(feedback.getSideOutput(Descriptors.DEAD_LETTERS));
        }
        // Chained, stateless: what the sinks get, counted by detector and severity for the web UI and Prometheus.
        alerts = alerts.map(new AlertMetrics()).name("alerts by detector and severity").uid("alert-metrics");
        return new Streams(enriched, alerts, deadLetters, scored.getSideOutput(Descriptors.CLOSED_SESSIONS), loginVectors);
    }

    /** The alert and dead-letter streams of a part of the graph, one per operator (none when it has none). */
    public record Detected(List<DataStream<Alert>> alerts, List<DataStream<DeadLetter>> deadLetters) {}

    /**
     * The sequence detectors: the Flink CEP patterns, brute force and credential stuffing, on {@code
     * enriched} (partitioned by user, in per-user event-time order). The user-keyed patterns get
     * their events from {@code router}'s side outputs ({@link PatternRouting}), or, when it is null,
     * from a routing operator of their own. No streams when none is enabled.
     */
    public static Detected sequenceDetectors(SurprisalConfig config, DataStream<Event> enriched, SingleOutputStreamOperator<Event> router) {
        List<DataStream<Alert>> alerts = new ArrayList<>();
        List<DataStream<DeadLetter>> deadLetters = new ArrayList<>();
        // CEP patterns read the enriched stream: per-user event-time order, each event with its bits
        // and its novelty. Login novelty routes the user-keyed patterns' events (only those that can
        // still matter, a flood's openers bounded: PatternRouting); without it, a routing operator
        // of its own does.
        SingleOutputStreamOperator<Event> routed = router;
        if (routed == null && !PatternRouting.routedPatterns(config.cep()).isEmpty()) {
            DataStream<Event> relevant = enriched.filter(new CepRoutingFunction.Relevant(config.cep()))
                    .name("events for cep patterns")
                    .uid("cep-routing-events");
            routed = DataStreamUtils.reinterpretAsKeyedStream(relevant, new UserKey())
                    .process(new CepRoutingFunction(config.cep(), config.state().ttl()))
                    .name("cep routing")
                    .uid("cep-routing");
        }
        for (CepPatterns.PatternSpec spec : CepPatterns.enabled(config.cep())) {
            SingleOutputStreamOperator<Alert> matches = spec.routedByLoginNovelty()
                    ? CepPatterns.applyToRouted(routed.getSideOutput(Descriptors.cepEvents(spec.uid())), spec, config)
                    : CepPatterns.apply(enriched, spec, config);
            alerts.add(matches);
            deadLetters.add(matches.getSideOutput(Descriptors.CEP_LATE_EVENTS)
                    .map(new LateEventDeadLetter(spec.name()))
                    .name("late events of " + spec.uid())
                    .uid(spec.uid() + "-late"));
        }
        if (config.cep().bruteForce().enabled()) {
            // Logins only; the stream is still partitioned by user: read as keyed (chained, no shuffle).
            DataStream<Event> logins = enriched.filter(BruteForceFunction::isRouted)
                    .name("logins for cep-" + CepPatterns.BRUTE_FORCE)
                    .uid("cep-" + CepPatterns.BRUTE_FORCE + "-events");
            SingleOutputStreamOperator<Alert> bruteForce = DataStreamUtils.reinterpretAsKeyedStream(logins, new UserKey())
                    .process(new BruteForceFunction(config))
                    .name("cep brute-force")
                    // Not the uid of the CEP patterns it replaced: their state has no meaning here.
                    .uid("cep-" + CepPatterns.BRUTE_FORCE + "-runs");
            alerts.add(bruteForce);
            deadLetters.add(bruteForce.getSideOutput(Descriptors.DEAD_LETTERS));
        }
        if (config.cep().credentialStuffing().enabled()) {
            SingleOutputStreamOperator<Alert> stuffing = enriched.filter(CredentialStuffingFunction::isRouted)
                    .name("failed logins for cep-" + CepPatterns.CREDENTIAL_STUFFING)
                    .uid("cep-" + CepPatterns.CREDENTIAL_STUFFING + "-events")
                    .keyBy(new CepPatterns.IpKey())
                    .process(new CredentialStuffingFunction(config))
                    .name("cep credential-stuffing")
                    .uid("cep-" + CepPatterns.CREDENTIAL_STUFFING + "-runs");
            alerts.add(stuffing);
            deadLetters.add(stuffing.getSideOutput(Descriptors.DEAD_LETTERS));
        }
        return new Detected(alerts, deadLetters);
    }
}
