package io.surprisal.config;

/** Range checks that types alone cannot express; each message names its key. */
final class ConfigValidator {
    private ConfigValidator() {}

    static void validate(SurprisalConfig c) {
        require(c.job().parallelism() >= 0, "job.parallelism must be >= 0");
        require(c.source().outOfOrderness().toMillis() >= 0, "source.out-of-orderness must be >= 0");
        require(c.source().maxLineBytes() >= 1024, "source.max-line-bytes must be >= 1024");
        require(c.state().ttl().toMillis() > 0, "state.ttl must be > 0");
        var t = c.model().transition();
        require(t.priorStrength() > 0, "model.transition.prior-strength must be > 0");
        require(t.smoothing() > 0, "model.transition.smoothing must be > 0");
        require(t.maxStatesPerUser() >= 4 && t.maxStatesPerUser() <= 4096,
                "model.transition.max-states-per-user must be in 4..4096");
        require(t.maxTransitionsPerUser() >= 4, "model.transition.max-transitions-per-user must be >= 4");
        require(t.maxPopulationTransitions() >= 16, "model.transition.max-population-transitions must be >= 16");
        var s = c.model().session();
        require(s.inactivityGap().toMillis() > 0, "model.session.inactivity-gap must be > 0");
        require(s.quantile() > 0 && s.quantile() < 1, "model.session.quantile must be in (0, 1)");
        require(s.excessFactor() > 0, "model.session.excess-factor must be > 0");
        require(s.totalFactor() > 0, "model.session.total-factor must be > 0");
        require(s.topEvents() >= 1, "model.session.top-events must be >= 1");
        require(c.alerts().maxEvents() >= 1 && c.alerts().maxEvents() <= 20, "alerts.max-events must be in 1..20");
        var n = c.novelty();
        require(n.thresholdBits() > 0, "novelty.threshold-bits must be > 0");
        require(n.minUserLogins() >= 0, "novelty.min-user-logins must be >= 0");
        require(n.topK() >= 1 && n.topK() <= 64, "novelty.top-k must be in 1..64");
        require(n.halfLife().toMillis() > 0, "novelty.half-life must be > 0");
        require(n.priorStrength() > 0, "novelty.prior-strength must be > 0");
        require(n.maxAttributeBits() > 0, "novelty.max-attribute-bits must be > 0");
        require(n.hourSpread() >= 0 && n.hourSpread() <= 11, "novelty.hour-spread must be in 0..11");
        require(n.maxPopulationValues() >= 16, "novelty.max-population-values must be >= 16");
        require(n.userAgentCache() >= 1, "novelty.user-agent-cache must be >= 1");
        var u = n.allowlist().updates();
        if (u.type() == SurprisalConfig.AllowlistUpdatesType.FILE) {
            require(u.path() != null && !u.path().isBlank(), "novelty.allowlist.updates.path is required when its type is file");
        }
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

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new ConfigException(message);
        }
    }
}
