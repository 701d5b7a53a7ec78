package io.surprisal.config;

import java.time.Duration;

/** Range checks that types alone cannot express; each message names its key. */
final class ConfigValidator {
    private ConfigValidator() {}

    static void validate(SurprisalConfig c) {
        require(c.source().outOfOrderness().toMillis() >= 0, "source.out-of-orderness must be >= 0");
        require(c.source().outOfOrderness().compareTo(Duration.ofDays(366)) <= 0, "source.out-of-orderness must be <= 366d");
        require(c.source().maxAhead().toMillis() > 0 && c.source().maxAhead().compareTo(Duration.ofDays(366)) <= 0,
                "source.max-ahead must be > 0 and <= 366d");
        require(c.source().maxLineBytes() >= 1024, "source.max-line-bytes must be >= 1024");
        require(c.source().file().maxEventsPerSecond() >= 0, "source.file.max-events-per-second must be >= 0 (0: not paced)");
        require(c.state().ttl().toMillis() > 0, "state.ttl must be > 0");
        require(c.state().cacheUsers() >= 0, "state.cache-users must be >= 0 (0: no cache)");
        require(c.state().cacheDirtyUsers() >= 0, "state.cache-dirty-users must be >= 0 (0: a user is written when the next one comes)");
        var t = c.model().transition();
        require(t.priorStrength() > 0, "model.transition.prior-strength must be > 0");
        require(t.smoothing() > 0, "model.transition.smoothing must be > 0");
        require(t.maxStatesPerUser() >= 4 && t.maxStatesPerUser() <= 4096,
                "model.transition.max-states-per-user must be in 4..4096");
        require(t.maxTransitionsPerUser() >= 4, "model.transition.max-transitions-per-user must be >= 4");
        require(t.maxPopulationTransitions() >= 16, "model.transition.max-population-transitions must be >= 16");
        require(t.maxPopulationStepsPerUser() >= 1 && t.maxPopulationStepsPerUser() <= 127,
                "model.transition.max-population-steps-per-user must be in 1..127");
        require(t.populationTeachingWindow().toMillis() > 0, "model.transition.population-teaching-window must be > 0");
        require(t.minPopulationEvents() >= 0 && t.minPopulationEventsPerUser() >= 0,
                "model.transition.min-population-events and min-population-events-per-user must be >= 0");
        var s = c.model().session();
        require(s.inactivityGap().toMillis() > 0, "model.session.inactivity-gap must be > 0");
        require(s.maxPopulationSessionsPerUser() >= 1 && s.maxPopulationSessionsPerUser() <= 127,
                "model.session.max-population-sessions-per-user must be in 1..127");
        require(s.minSessions() >= 0 && s.minSessionsPerUser() >= 0,
                "model.session.min-sessions and min-sessions-per-user must be >= 0");
        require(c.detectors().falseAlarmWindow().toMillis() > 0, "detectors.false-alarm-window must be > 0");
        require(s.topEvents() >= 1 && s.topEvents() <= 100, "model.session.top-events must be in 1..100");
        var profile = c.detectors().sessionProfile();
        require(profile.thresholdBits() > 0, "detectors.session-profile.threshold-bits must be > 0");
        require(profile.minRatio() >= 1, "detectors.session-profile.min-ratio must be >= 1");
        require(profile.maxEvidence() >= 2, "detectors.session-profile.max-evidence must be >= 2");
        require(profile.minPopulationSessions() >= 2, "detectors.session-profile.min-population-sessions must be >= 2");
        require(profile.maxPopulationSessionsPerUser() >= 1 && profile.maxPopulationSessionsPerUser() <= 127,
                "detectors.session-profile.max-population-sessions-per-user must be 1..127");
        for (String m : profile.alertOn()) {
            require(java.util.Arrays.stream(io.surprisal.session.SessionMeasure.values()).anyMatch(x -> x.key.equals(m)),
                    "detectors.session-profile.alert-on: unknown measure '" + m + "' (events, duration, pace, visit-gap)");
        }
        var length = c.detectors().visitLength();
        require(length.thresholdBits() > 0, "detectors.visit-length.threshold-bits must be > 0");
        require(length.minRatio() >= 1, "detectors.visit-length.min-ratio must be >= 1");
        // The calibration fits its far tail on the top 5% of ordinary visits, at least 30 of them.
        require(length.minPopulationVisits() >= 600, "detectors.visit-length.min-population-visits must be >= 600");
        var forest = c.detectors().sessionForest();
        require(forest.thresholdBits() > 0, "detectors.session-forest.threshold-bits must be > 0");
        require(forest.trees() >= 1 && forest.trees() <= 500, "detectors.session-forest.trees must be 1..500");
        require(forest.sampleSize() >= 16 && forest.sampleSize() <= 4096, "detectors.session-forest.sample-size must be 16..4096");
        require(forest.minPopulationSessions() >= 1, "detectors.session-forest.min-population-sessions must be >= 1");
        require(forest.maxPopulationSessionsPerUser() >= 1 && forest.maxPopulationSessionsPerUser() <= 127,
                "detectors.session-forest.max-population-sessions-per-user must be 1..127");
        require(forest.maxLessonsPerMinute() >= 1, "detectors.session-forest.max-lessons-per-minute must be at least 1");
        var amount = c.detectors().amount();
        require(amount.thresholdBits() > 0, "detectors.amount.threshold-bits must be > 0");
        require(amount.minRatio() >= 1, "detectors.amount.min-ratio must be >= 1");
        require(amount.maxEvidence() >= 2, "detectors.amount.max-evidence must be >= 2");
        require(amount.minPopulationPurchases() >= 2, "detectors.amount.min-population-purchases must be >= 2");
        require(amount.maxPopulationPurchasesPerUser() >= 1 && amount.maxPopulationPurchasesPerUser() <= 127,
                "detectors.amount.max-population-purchases-per-user must be 1..127");
        var cusum = c.detectors().cusum();
        require(cusum.allowanceBits() >= 0, "detectors.cusum.allowance-bits must be >= 0");
        require(cusum.thresholdBits() > 0, "detectors.cusum.threshold-bits must be > 0");
        require(cusum.restartBits() >= 0 && cusum.restartBits() < cusum.thresholdBits(),
                "detectors.cusum.restart-bits must be >= 0 and below detectors.cusum.threshold-bits");
        var p = c.detectors().purchaseNetwork();
        require(p.degrees() >= 1 && p.degrees() <= 6, "detectors.purchase-network.degrees must be in 1..6");
        require(p.trackedPurchases() >= 2 && p.trackedPurchases() <= 10000,
                "detectors.purchase-network.tracked-purchases must be in 2..10000");
        var model = c.detectors().model();
        require(model.minProbability() > 0 && model.minProbability() < 1, "detectors.model.min-probability must be in (0, 1)");
        require(model.reasons() >= 0 && model.reasons() <= 16, "detectors.model.reasons must be in 0..16");
        updatesSource(model.updates(), "detectors.model.updates");
        require(!model.scoresLogins() || c.novelty().enabled(),
                "detectors.model.logins scores logins in login novelty's operator: it needs novelty.enabled");
        require(c.alerts().maxEvents() >= 1 && c.alerts().maxEvents() <= 20, "alerts.max-events must be in 1..20");
        require(!c.suppression().window().isNegative(), "suppression.window must be >= 0");
        c.suppression().detectors().forEach((d, w) -> require(!w.isNegative(), "suppression.detectors." + d + " must be >= 0"));
        require(c.suppression().maxAlerts() >= 0, "suppression.max-alerts must be >= 0 (0: no budget per user and detector)");
        if (c.sinks().type() == SurprisalConfig.SinkType.KAFKA) {
            // Compared with Flink's checkpoint interval where the sinks are attached (io.surprisal.job.Connectors).
            require(c.sinks().kafka().transactionTimeout().toMillis() > 0, "sinks.kafka.transaction-timeout must be > 0");
            require(c.sinks().kafka().transactionalIdPrefix() != null && !c.sinks().kafka().transactionalIdPrefix().isBlank(),
                    "sinks.kafka.transactional-id-prefix must not be empty");
        }
        var m = c.mail();
        require(m.port() > 0 && m.port() < 65536, "mail.port must be in 1..65535");
        require(m.groupWindow().toMillis() >= 0, "mail.group-window must be >= 0");
        require(m.ratePerMinute() >= 1, "mail.rate-per-minute must be >= 1");
        require(m.queueSize() >= 1, "mail.queue-size must be >= 1");
        require(m.retryInitialBackoff().toMillis() > 0, "mail.retry-initial-backoff must be > 0");
        require(m.retryMaxBackoff().compareTo(m.retryInitialBackoff()) >= 0,
                "mail.retry-max-backoff must be >= mail.retry-initial-backoff");
        require(m.maxRejections() >= 1 && m.maxRejections() <= 100, "mail.max-rejections must be in 1..100");
        require(m.timeout().toMillis() > 0, "mail.timeout must be > 0");
        if (m.enabled()) {
            require(m.host() != null && !m.host().isBlank(), "mail.host is required when mail.enabled is true");
            require(m.from() != null && !m.from().isBlank(), "mail.from is required when mail.enabled is true");
            require(m.routes() != null && !m.routes().isEmpty(), "mail.routes needs at least one route when mail.enabled is true");
            for (var r : m.routes()) {
                require(r.to() != null && !r.to().isEmpty(), "every mail.routes entry needs a non-empty 'to'");
                require(r.minSeverity() != null, "every mail.routes entry needs a min-severity");
            }
        }
        var cep = c.cep();
        require(cep.failedLoginThenBuy().within().toMillis() > 0, "cep.failed-login-then-buy.within must be > 0");
        require(cep.bruteForce().minFailures() >= 2 && cep.bruteForce().minFailures() <= 19,
                "cep.brute-force.min-failures must be in 2..19 (the failures and the success travel with the alert, at most 20 events)");
        require(cep.bruteForce().within().toMillis() > 0, "cep.brute-force.within must be > 0");
        require(cep.accountTakeover().within().toMillis() > 0, "cep.account-takeover.within must be > 0");
        var velocity = c.detectors().velocity();
        require(velocity.maxEventsPerMinute() >= 1, "detectors.velocity.max-events-per-minute must be >= 1");
        require(velocity.sustainedMinutes() >= 1 && velocity.sustainedMinutes() <= 60, "detectors.velocity.sustained-minutes must be in 1..60");
        require(velocity.regularGaps() == 0 || (velocity.regularGaps() >= 5 && velocity.regularGaps() <= 1000),
                "detectors.velocity.regular-gaps must be 0 (off) or in 5..1000");
        require(velocity.maxGapCv() >= 0 && velocity.maxGapCv() < 1, "detectors.velocity.max-gap-cv must be in [0, 1)");
        require(velocity.maxRegularGap().toMillis() > 0 && velocity.maxRegularGap().toMillis() <= 3_600_000L,
                "detectors.velocity.max-regular-gap must be in (0, 1h]");
        require(cep.credentialStuffing().minUsers() >= 2 && cep.credentialStuffing().minUsers() <= 20,
                "cep.credential-stuffing.min-users must be in 2..20");
        require(cep.credentialStuffing().within().toMillis() > 0, "cep.credential-stuffing.within must be > 0");
        require(cep.maxOpeners() >= 1 && cep.maxOpeners() <= 1000, "cep.max-openers must be in 1..1000");
        var n = c.novelty();
        require(n.thresholdBits() > 0, "novelty.threshold-bits must be > 0");
        require(n.minReturningLogins() >= 0, "novelty.min-returning-logins must be >= 0");
        require(n.minReturningLoginsPerUser() >= 0, "novelty.min-returning-logins-per-user must be >= 0");
        require(n.topK() >= 1 && n.topK() <= 64, "novelty.top-k must be in 1..64");
        require(n.halfLife().toMillis() > 0, "novelty.half-life must be > 0");
        require(n.newValuePriorLogins() > 0, "novelty.new-value-prior-logins must be > 0");
        require(n.maxGroupBits() > 0, "novelty.max-group-bits must be > 0");
        require(n.hourPriorStrength() > 0, "novelty.hour-prior-strength must be > 0");
        require(n.hourMaxBits() >= 0, "novelty.hour-max-bits must be >= 0");
        var travel = n.impossibleTravel();
        require(travel.maxSpeedKmh() > 0, "novelty.impossible-travel.max-speed-kmh must be > 0");
        require(travel.minDistanceKm() >= 0, "novelty.impossible-travel.min-distance-km must be >= 0");
        require(travel.bits() >= 0 && travel.knownPlaceBits() >= 0,
                "novelty.impossible-travel.bits and known-place-bits must be >= 0");
        require(n.hourSpread() >= 0 && n.hourSpread() <= 11, "novelty.hour-spread must be in 0..11");
        require(n.maxPopulationValues() >= 16, "novelty.max-population-values must be >= 16");
        require(n.userAgentCache() >= 1, "novelty.user-agent-cache must be >= 1");
        updatesSource(n.allowlist().updates(), "novelty.allowlist.updates");
        updatesSource(c.feedback().updates(), "feedback.updates");
        require(c.feedback().falsePositiveFor().toMillis() > 0, "feedback.false-positive-for must be > 0");
        try {
            io.surprisal.novelty.Allowlist.fromConfig(n.allowlist());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("novelty.allowlist: " + e.getMessage());
        }
        if (c.source().type() == SurprisalConfig.SourceType.FILE) {
            require(c.source().file().path() != null && !c.source().file().path().isBlank(),
                    "source.file.path is required when source.type is file");
        }
    }

    private static void updatesSource(SurprisalConfig.UpdatesSourceConfig u, String key) {
        switch (u.type()) {
            case NONE -> { }
            case FILE -> {
                require(u.path() != null && !u.path().isBlank(), key + ".path is required when its type is file");
                require(u.pollInterval().toMillis() > 0, key + ".poll-interval must be > 0");
            }
            case KAFKA -> {
                require(u.bootstrapServers() != null && !u.bootstrapServers().isBlank(), key + ".bootstrap-servers is required when its type is kafka");
                require(u.topic() != null && !u.topic().isBlank(), key + ".topic is required when its type is kafka");
                require(u.groupId() != null && !u.groupId().isBlank(), key + ".group-id is required when its type is kafka");
            }
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new ConfigException(message);
        }
    }
}
