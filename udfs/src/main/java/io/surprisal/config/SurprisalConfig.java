package io.surprisal.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole job configuration, parsed once from YAML ({@code conf/surprisal.yaml} holds every key
 * with its default) into immutable records. Functions receive the part they need.
 */
public record SurprisalConfig(
        JobConfig job,
        SourceConfig source,
        StateConfig state,
        ModelConfig model,
        DetectorsConfig detectors,
        AlertsConfig alerts,
        SinksConfig sinks,
        NoveltyConfig novelty)
        implements Serializable {

    /** Job-wide settings. */
    public record JobConfig(String name, int parallelism) implements Serializable {}

    /** Where events come from and how event time is tracked. */
    public record SourceConfig(
            SourceType type,
            FileSourceConfig file,
            KafkaSourceConfig kafka,
            Duration outOfOrderness,
            Duration idleness,
            int maxLineBytes)
            implements Serializable {}

    /** The kinds of event source. */
    public enum SourceType {
        FILE,
        KAFKA
    }

    /** A file of JSON lines. */
    public record FileSourceConfig(String path) implements Serializable {}

    /** A Kafka topic of JSON values. */
    public record KafkaSourceConfig(
            String bootstrapServers, String topic, String groupId, String startingOffsets)
            implements Serializable {}

    /** State backend, checkpointing and state retention. */
    public record StateConfig(
            StateBackendType backend,
            boolean incremental,
            String checkpointDir,
            Duration checkpointInterval,
            Duration ttl)
            implements Serializable {}

    /** The kinds of state backend. */
    public enum StateBackendType {
        ROCKSDB,
        HASHMAP
    }

    /** Parameters of the statistical models. */
    public record ModelConfig(TransitionModelConfig transition, SessionModelConfig session)
            implements Serializable {}

    /** The per-user transition model blended with the population's. */
    public record TransitionModelConfig(
            double priorStrength,
            double smoothing,
            int maxStatesPerUser,
            int maxTransitionsPerUser,
            int maxPopulationStepsPerUser,
            int maxPopulationTransitions,
            long minPopulationEvents)
            implements Serializable {}

    /** Session boundaries and the population's distribution of session surprisal. */
    public record SessionModelConfig(
            Duration inactivityGap,
            double quantile,
            double excessFactor,
            double minExcessBits,
            double totalFactor,
            double minBits,
            long minSessions,
            int topEvents)
            implements Serializable {}

    /** Which detectors run, and their thresholds. */
    public record DetectorsConfig(TransitionDetectorConfig transition, SessionDetectorConfig session)
            implements Serializable {}

    /** Detector {@code transition}: one surprising step. */
    public record TransitionDetectorConfig(boolean enabled, double thresholdBits)
            implements Serializable {}

    /** Detector {@code session}: a surprising session as a whole. */
    public record SessionDetectorConfig(boolean enabled) implements Serializable {}

    /** What alerts carry. */
    public record AlertsConfig(int maxEvents) implements Serializable {}

    /** Where a submitted job sends alerts and dead letters. */
    public record SinksConfig(SinkType type, KafkaSinkConfig kafka) implements Serializable {}

    /** The kinds of sink. */
    public enum SinkType {
        PRINT,
        KAFKA
    }

    /** The alert and dead-letter topics. */
    public record KafkaSinkConfig(
            String bootstrapServers, String alertsTopic, String deadLettersTopic, Duration transactionTimeout)
            implements Serializable {}

    /** Detector {@code login-novelty}: how unusual a login's place, network, device and hour are for its user. */
    public record NoveltyConfig(
            boolean enabled,
            double thresholdBits,
            int minUserLogins,
            long minPopulationLogins,
            int topK,
            Duration halfLife,
            double priorStrength,
            double maxAttributeBits,
            double rarityFloorBits,
            double hourWeight,
            int hourSpread,
            int maxPopulationValues,
            int userAgentCache,
            AllowlistConfig allowlist)
            implements Serializable {}

    /** Logins that never raise a login-novelty alert: global and per-user networks, ASNs, countries. */
    public record AllowlistConfig(
            List<String> networks,
            List<Long> asns,
            List<String> countries,
            Map<String, UserAllowlistConfig> users,
            AllowlistUpdatesConfig updates)
            implements Serializable {}

    /** One user's allowlist. */
    public record UserAllowlistConfig(List<String> networks, List<Long> asns, List<String> countries)
            implements Serializable {}

    /** Where allowlist changes arrive while the job runs. */
    public record AllowlistUpdatesConfig(
            AllowlistUpdatesType type, String path, Duration pollInterval, String bootstrapServers, String topic, String groupId)
            implements Serializable {}

    /** The kinds of allowlist update source. */
    public enum AllowlistUpdatesType {
        NONE,
        FILE,
        KAFKA
    }
}
