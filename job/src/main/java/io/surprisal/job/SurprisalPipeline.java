package io.surprisal.job;

import io.surprisal.alert.Alert;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.DeadLetter;
import io.surprisal.event.Event;
import io.surprisal.event.SourceLine;
import io.surprisal.flink.Descriptors;
import io.surprisal.flink.EventTimestamps;
import io.surprisal.flink.ParseEventsFunction;
import io.surprisal.flink.LoginNoveltyFunction;
import io.surprisal.flink.UserBehaviourFunction;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The job graph, from raw lines to alerts and dead letters. It takes its source stream as an
 * argument and returns streams, so {@link SurprisalJob}, the local launcher and the tests all run
 * this same graph and only attach different sources and sinks.
 */
public final class SurprisalPipeline {
    private SurprisalPipeline() {}

    /** What the graph produces. */
    public record Streams(DataStream<Event> scoredEvents, DataStream<Alert> alerts, DataStream<DeadLetter> deadLetters) {}

    /** The key of every per-user operator. */
    public static final class UserKey implements KeySelector<Event, String> {
        @Override
        public String getKey(Event e) {
            return e.user;
        }
    }

    /** The graph, with allowlist updates from the configured source ({@link Connectors#allowlistUpdates}). */
    public static Streams build(SurprisalConfig config, DataStream<SourceLine> lines) {
        return build(config, lines, Connectors.allowlistUpdates(lines.getExecutionEnvironment(), config));
    }

    /** The graph, with login-novelty allowlist updates (JSON lines) from {@code allowlistUpdates}. */
    public static Streams build(SurprisalConfig config, DataStream<SourceLine> lines, DataStream<String> allowlistUpdates) {
        SingleOutputStreamOperator<Event> parsed = lines
                .process(new ParseEventsFunction(config.source().outOfOrderness()))
                .name("parse events")
                .uid("parse-events");

        DataStream<Event> timed = parsed
                .assignTimestampsAndWatermarks(
                        EventTimestamps.strategy(config.source().outOfOrderness(), config.source().idleness()))
                .name("event time")
                .uid("event-time");

        SingleOutputStreamOperator<Event> scored = timed
                .keyBy(new UserKey())
                .process(new UserBehaviourFunction(config))
                .name("transition and session surprisal")
                .uid("user-behaviour");

        DataStream<DeadLetter> deadLetters = parsed.getSideOutput(Descriptors.DEAD_LETTERS)
                .union(scored.getSideOutput(Descriptors.DEAD_LETTERS));
        DataStream<Alert> alerts = scored.getSideOutput(Descriptors.ALERTS);
        if (!config.novelty().enabled()) {
            return new Streams(scored, alerts, deadLetters);
        }

        // Already partitioned by user and in per-user event-time order: no second shuffle.
        BroadcastStream<String> allowlist = allowlistUpdates.broadcast(Descriptors.ALLOWLIST);
        SingleOutputStreamOperator<Event> novel = DataStreamUtils.reinterpretAsKeyedStream(scored, new UserKey())
                .connect(allowlist)
                .process(new LoginNoveltyFunction(config.novelty(), config.state().ttl(), config.alerts().maxEvents()))
                .name("login novelty")
                .uid("login-novelty");
        return new Streams(novel,
                alerts.union(novel.getSideOutput(Descriptors.ALERTS)),
                deadLetters.union(novel.getSideOutput(Descriptors.DEAD_LETTERS)));
    }
}
