package io.surprisal.config;

import java.io.Serializable;
import io.surprisal.alert.Severity;
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
        CepConfig cep,
        AlertsConfig alerts,
        SuppressionConfig suppression,
        SinksConfig sinks,
        MailConfig mail,
        NoveltyConfig novelty,
        FeedbackConfig feedback)
        implements Serializable {

    /** The job's name (Flink's pipeline name). */
    public record JobConfig(String name) implements Serializable {}

    /** Where events come from and how event time is tracked. */
    public record SourceConfig(
            SourceType type,
            FileSourceConfig file,
            KafkaSourceConfig kafka,
            Duration outOfOrderness,
            Duration idleness,
            Duration maxAhead,
            int maxLineBytes)
            implements Serializable {}

    /** The kinds of event source. */
    public enum SourceType {
        FILE,
        KAFKA
    }

    /**
     * A file of JSON lines; {@code maxEventsPerSecond} paces each parallel reader (0: as fast as
     * the job takes them).
     */
    public record FileSourceConfig(String path, double maxEventsPerSecond) implements Serializable {}

    /** A Kafka topic of JSON values. */
    public record KafkaSourceConfig(
            String bootstrapServers, String topic, String groupId, String startingOffsets)
            implements Serializable {}

    /**
     * How long per-user state lives; how many users per parallel instance the per-user operators
     * keep on the heap ({@code cacheUsers}, 0: none), and how many of those may have changed since
     * they were last written ({@code cacheDirtyUsers}: what a checkpoint barrier waits for). The
     * state backend and checkpoints are Flink's runtime settings, in Flink's configuration.
     */
    public record StateConfig(Duration ttl, int cacheUsers, int cacheDirtyUsers) implements Serializable {}

    /** Parameters of the statistical models. */
    public record ModelConfig(TransitionModelConfig transition, SessionModelConfig session, GroupsModelConfig groups)
            implements Serializable {}

    /**
     * Behaviour groups (io.surprisal.groups): users whose transition distributions lie within
     * {@code klLimitBits} of a group's centroid share it; at most {@code maxGroups} per parallel
     * instance. A user is typed by the naive-Bayes posterior of their transitions once they have
     * {@code minTransitions} and the best group's posterior reaches {@code minPosterior}; a user
     * whose posterior for a chain of their own reaches it founds a group. {@code smoothing}: additive, so that
     * every KL divergence is finite. A session teaches its group at most
     * {@code maxTeachPerSession} transitions. {@code historyPriorSessions}: how many sessions the
     * population's group frequencies weigh in a user's group history.
     */
    public record GroupsModelConfig(
            boolean enabled,
            double klLimitBits,
            int maxGroups,
            double smoothing,
            int minTransitions,
            double minPosterior,
            int minSessionTransitions,
            int maxTeachPerSession,
            double historyPriorSessions,
            int maxVocabulary)
            implements Serializable {}

    /** The per-user transition model blended with the population's. */
    public record TransitionModelConfig(
            double priorStrength,
            double smoothing,
            int maxStatesPerUser,
            int maxTransitionsPerUser,
            int maxPopulationStepsPerUser,
            Duration populationTeachingWindow,
            int maxPopulationTransitions,
            long minPopulationEvents,
            double minPopulationEventsPerUser)
            implements Serializable {}

    /** Session boundaries and the population's distribution of session surprisal. */
    public record SessionModelConfig(
            Duration inactivityGap,
            int maxPopulationSessionsPerUser,
            long minSessions,
            double minSessionsPerUser,
            int topEvents,
            boolean emitVectors)
            implements Serializable {}

    /** Which detectors run, and their thresholds. */
    public record DetectorsConfig(
            Duration falseAlarmWindow,
            TransitionDetectorConfig transition,
            SessionDetectorConfig session,
            CusumDetectorConfig cusum,
            AmountDetectorConfig amount,
            SessionProfileDetectorConfig sessionProfile,
            SessionForestDetectorConfig sessionForest,
            VisitLengthDetectorConfig visitLength,
            PurchaseNetworkDetectorConfig purchaseNetwork,
            VelocityDetectorConfig velocity,
            GroupChangeDetectorConfig groupChange,
            ModelDetectorConfig model)
            implements Serializable {}

    /**
     * Detector {@code group-change}: a closed session typed into a group that is rare for its user
     * (their group history blended with the population's group frequencies). Its surprisal must
     * reach {@code thresholdBits} plus log2 of the user's sessions in the false-alarm window. Needs
     * {@code model.groups.enabled}.
     */
    public record GroupChangeDetectorConfig(boolean enabled, double thresholdBits) implements Serializable {}

    /**
     * Detector {@code transition}: one surprising step. Its tail must reach {@code thresholdBits}
     * plus log2 of the user's steps in the false-alarm window.
     */
    public record TransitionDetectorConfig(boolean enabled, double thresholdBits)
            implements Serializable {}

    /**
     * Detector {@code session}: a surprising session as a whole. Its tail among the population's
     * sessions must reach {@code thresholdBits} plus log2 of the tests (two per session) the user
     * made in the false-alarm window.
     */
    public record SessionDetectorConfig(boolean enabled, double thresholdBits) implements Serializable {}

    /**
     * Detector {@code cusum}: a user's steps keep costing more than typical steps. A CUSUM of each
     * step's surprisal beyond the expected, less {@code allowanceBits} per step, alerting at
     * {@code thresholdBits} plus log2 of the user's steps in the false-alarm window, and restarting
     * from {@code restartBits} (a fast initial response).
     */
    public record CusumDetectorConfig(boolean enabled, double allowanceBits, double thresholdBits, double restartBits)
            implements Serializable {}

    /**
     * Detector {@code amount}: a purchase far above its buyer's usual. Its upper tail under the
     * buyer's history blended with the population's must reach {@code thresholdBits} plus log2 of
     * the user's purchases in the false-alarm window, and the amount be at least {@code minRatio}
     * times the buyer's usual (median). {@code maxEvidence}: the purchases a user's history weighs at
     * most (older ones fade). No alert before the population has {@code minPopulationPurchases};
     * one user teaches it at most {@code maxPopulationPurchasesPerUser} per teaching window.
     */
    public record AmountDetectorConfig(boolean enabled, double thresholdBits, double minRatio, int maxEvidence,
            long minPopulationPurchases, int maxPopulationPurchasesPerUser)
            implements Serializable {}

    /**
     * Detector {@code session-profile}: a closed session far above the user's own usual in events,
     * duration, pace or time since the previous visit, judged like {@code amount}. Only the measures
     * in {@code alertOn} alert; the others are reasons. The tail must reach {@code thresholdBits}
     * plus log2 of (alerting measures x the user's sessions in the false-alarm window), and the value
     * be at least {@code minRatio} times the usual.
     */
    public record SessionProfileDetectorConfig(boolean enabled, double thresholdBits, double minRatio, int maxEvidence,
            long minPopulationSessions, int maxPopulationSessionsPerUser, List<String> alertOn)
            implements Serializable {
        public SessionProfileDetectorConfig {
            alertOn = List.copyOf(alertOn);
        }
    }

    /**
     * Detector {@code visit-length}: a closed visit longer than the population's chain of steps lets
     * visits be (io.surprisal.visitlength), for the user's own usual length. Its calibrated tail must
     * reach {@code thresholdBits} plus log2 of the user's sessions in the false-alarm window, and the
     * visit have at least {@code minRatio} times the user's usual events. No alert before the
     * population has judged {@code minPopulationVisits} ordinary visits.
     */
    public record VisitLengthDetectorConfig(boolean enabled, double thresholdBits, double minRatio, long minPopulationVisits)
            implements Serializable {}

    /**
     * Detector {@code session-forest}: a closed session unlike the population's recent sessions, by a
     * Random Cut Forest of {@code trees} trees of {@code sampleSize} sessions each per parallel
     * instance; its score's tail among the population's recent sessions must reach {@code
     * thresholdBits} plus log2 of the user's sessions in the false-alarm window. No alert before
     * {@code minPopulationSessions} sessions were scored; one user teaches the forest at most {@code
     * maxPopulationSessionsPerUser} sessions per teaching window.
     */
    public record SessionForestDetectorConfig(boolean enabled, double thresholdBits, int trees, int sampleSize,
            long minPopulationSessions, int maxPopulationSessionsPerUser, int maxLessonsPerMinute)
            implements Serializable {}

    /**
     * Detector {@code purchase-network}: a purchase more than 3 sd above the mean of the last
     * {@code trackedPurchases} (T) purchases made within {@code degrees} (D) friendship hops.
     */
    public record PurchaseNetworkDetectorConfig(boolean enabled, int degrees, int trackedPurchases)
            implements Serializable {}

    /**
     * The CEP patterns: sequences that are bad by themselves, each with its own switch.
     * {@code maxOpeners}: per user and sequence pattern, how many events in each eighth of the
     * pattern's window may open a partial match (a flood opens no more).
     */
    public record CepConfig(
            FailedLoginThenBuyConfig failedLoginThenBuy,
            BruteForceConfig bruteForce,
            AccountTakeoverConfig accountTakeover,
            CredentialStuffingConfig credentialStuffing,
            int maxOpeners)
            implements Serializable {}

    /** Pattern {@code failed-login-then-buy}: a failed login, then a buy with no successful login between. */
    public record FailedLoginThenBuyConfig(boolean enabled, Duration within) implements Serializable {}

    /** Pattern {@code brute-force}: at least {@code minFailures} failed logins within {@code within}. */
    public record BruteForceConfig(boolean enabled, int minFailures, Duration within) implements Serializable {}

    /** Pattern {@code account-takeover}: novel login, profile change, payment change, trade. */
    public record AccountTakeoverConfig(boolean enabled, Duration within) implements Serializable {}

    /**
     * Detector {@code velocity}: more than {@code maxEventsPerMinute} events in each of
     * {@code sustainedMinutes} consecutive minutes, or {@code regularGaps} consecutive gaps between
     * events with a coefficient of variation below {@code maxGapCv} (gaps longer than
     * {@code maxRegularGap} break the run).
     */
    public record VelocityDetectorConfig(
            boolean enabled,
            int maxEventsPerMinute,
            int sustainedMinutes,
            int regularGaps,
            double maxGapCv,
            Duration maxRegularGap)
            implements Serializable {
        /** This configuration with the regularity test off (rate only). */
        public VelocityDetectorConfig withoutRegularity() {
            return new VelocityDetectorConfig(enabled, maxEventsPerMinute, sustainedMinutes, 0, maxGapCv, maxRegularGap);
        }
    }

    /** Pattern {@code credential-stuffing}, keyed by IP: failed logins of {@code minUsers} distinct users. */
    public record CredentialStuffingConfig(boolean enabled, int minUsers, Duration within) implements Serializable {}

    /** What alerts carry. */
    public record AlertsConfig(int maxEvents) implements Serializable {}

    /** Where a submitted job sends alerts and dead letters. */
    public record SinksConfig(SinkType type, KafkaSinkConfig kafka) implements Serializable {}

    /** The kinds of sink. */
    public enum SinkType {
        PRINT,
        KAFKA
    }

    /**
     * The alert and dead-letter topics, written in transactions named {@code transactionalIdPrefix}
     * + {@code -alerts} / {@code -dead-letters}.
     */
    public record KafkaSinkConfig(
            String bootstrapServers, String alertsTopic, String deadLettersTopic, Duration transactionTimeout,
            String transactionalIdPrefix)
            implements Serializable {}

    /**
     * Repeated alerts: the same (user, detector, main reason) within {@code window} is sent once,
     * then once more as a roll-up carrying the count. {@code detectors} overrides the window per
     * detector; a zero window turns suppression off for that detector. {@code maxAlerts}: per (user,
     * detector) and window, whatever the reasons, at most this many go out before the rest wait
     * for one roll-up (0: no such budget).
     */
    public record SuppressionConfig(boolean enabled, Duration window, Map<String, Duration> detectors, int maxAlerts)
            implements Serializable {
        /** The window that applies to a detector; zero means no suppression. */
        public Duration windowFor(String detector) {
            if (!enabled) {
                return Duration.ZERO;
            }
            Duration d = detectors == null ? null : detectors.get(detector);
            return d != null ? d : window;
        }
    }

    /** How the mail sink talks to its SMTP server. */
    public enum MailSecurity {
        NONE,
        STARTTLS,
        SMTPS
    }

    /** Alerts by e-mail: server, routing, grouping, rate limit and retries. */
    public record MailConfig(
            boolean enabled,
            String host,
            int port,
            MailSecurity security,
            String username,
            String passwordEnv,
            String from,
            Severity minSeverity,
            List<MailRoute> routes,
            Duration groupWindow,
            int ratePerMinute,
            String dashboardUrl,
            int queueSize,
            Duration retryInitialBackoff,
            Duration retryMaxBackoff,
            int maxRejections,
            Duration timeout)
            implements Serializable {}

    /**
     * Who receives which alerts: those of the listed detectors (all when empty) at or above
     * {@code minSeverity}.
     */
    public record MailRoute(List<String> detectors, Severity minSeverity, List<String> to) implements Serializable {
        public boolean matches(String detector, Severity severity) {
            return severity.compareTo(minSeverity) >= 0
                    && (detectors == null || detectors.isEmpty() || detectors.contains(detector));
        }
    }

    /** Detector {@code login-novelty}: how unusual a login's place, network, device and hour are for its user. */
    public record NoveltyConfig(
            boolean enabled,
            double thresholdBits,
            long minReturningLogins,
            double minReturningLoginsPerUser,
            int topK,
            Duration halfLife,
            double newValuePriorLogins,
            double maxGroupBits,
            double rarityFloorBits,
            double hourWeight,
            int hourSpread,
            double hourPriorStrength,
            double hourMaxBits,
            ImpossibleTravelConfig impossibleTravel,
            int maxPopulationValues,
            int userAgentCache,
            boolean emitVectors,
            AllowlistConfig allowlist)
            implements Serializable {}

    /** Two consecutive logins further apart than an airliner flies in the time between them. */
    public record ImpossibleTravelConfig(
            boolean enabled, double maxSpeedKmh, double minDistanceKm, double bits, double knownPlaceBits)
            implements Serializable {}

    /** Logins that never raise a login-novelty alert: global and per-user networks, ASNs, countries. */
    public record AllowlistConfig(
            List<String> networks,
            List<Long> asns,
            List<String> countries,
            Map<String, UserAllowlistConfig> users,
            UpdatesSourceConfig updates)
            implements Serializable {}

    /** One user's allowlist. */
    public record UserAllowlistConfig(List<String> networks, List<Long> asns, List<String> countries)
            implements Serializable {}

    /**
     * Where changes arrive while the job runs, as JSON lines (allowlist updates, feedback): none; a
     * file or directory watched every {@code pollInterval}; or a Kafka topic read from the start.
     */
    public record UpdatesSourceConfig(
            UpdatesSourceType type, String path, Duration pollInterval, String bootstrapServers, String topic, String groupId)
            implements Serializable {}

    /**
     * Detector {@code model}: a trained classifier scores each closed session, and with {@code
     * logins} each login too; it alerts when the malicious probability reaches {@code
     * minProbability}, naming the {@code reasons} features that weighed most. {@code path}: a model
     * directory (a session model, a login model or both, {@code
     * io.surprisal.classifier.ModelFiles}), or empty; {@code updates}: where replacement models arrive while the job runs (lines, each a model
     * directory's path or a model itself, {@code io.surprisal.classifier.ModelFiles#parseUpdate}).
     * On when either gives a model.
     */
    public record ModelDetectorConfig(String path, boolean logins, double minProbability, int reasons, UpdatesSourceConfig updates)
            implements Serializable {
        public boolean enabled() {
            return !path.isBlank() || updates.type() != UpdatesSourceType.NONE;
        }

        /** Whether login novelty's operator scores logins with a login model. */
        public boolean scoresLogins() {
            return logins && enabled();
        }
    }

    /** The kinds of update source. */
    public enum UpdatesSourceType {
        NONE,
        FILE,
        KAFKA
    }

    /**
     * What people say about alerts (a dashboard's actions, docs/alert-routing.md): records from
     * {@code updates}; a false positive without an end of its own holds for {@code falsePositiveFor}.
     */
    public record FeedbackConfig(UpdatesSourceConfig updates, Duration falsePositiveFor) implements Serializable {}
}
