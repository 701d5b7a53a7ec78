package io.surprisal.novelty;

import io.surprisal.cep.PatternRouting;
import io.surprisal.flink.Descriptors;
import io.surprisal.flink.InstanceShares;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertBuilder;
import io.surprisal.classifier.LoadedModel;
import io.surprisal.classifier.ModelDetector;
import io.surprisal.classifier.ModelFiles;
import io.surprisal.config.SurprisalConfig.CepConfig;
import io.surprisal.config.SurprisalConfig.ModelDetectorConfig;
import io.surprisal.config.SurprisalConfig.NoveltyConfig;
import io.surprisal.event.Event;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import io.surprisal.config.SurprisalConfig.StateConfig;
import io.surprisal.flink.CachedValue;
import io.surprisal.flink.HotUsers;
import io.surprisal.flink.LoginRecencySerializer;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.util.OutputTag;

/**
 * The keyed work of detector {@code login-novelty}, shared by its two Flink functions:
 * {@link LoginNoveltyFunction} (allowlist from the configuration only; chains after the per-user
 * scoring operator) and {@link LoginNoveltyWithUpdatesFunction} (plus allowlist and model updates on a broadcast input).
 *
 * <p>At every login and at the first event of a session it scores the login's attributes with
 * {@link NoveltyScorer}, sets {@link Event#noveltyBits} and {@link Event#novel}, raises at most one
 * alert per session, and learns successful logins into the user's {@link LoginProfile} and the
 * population's counts. Population counts are per parallel instance and checkpointed as union list
 * state tagged with the instance ({@link InstanceShares}).
 *
 * <p>Each login also becomes a vector ({@link LoginFeatures}, from the score just computed and the
 * profile before it learns the login): written out when {@code novelty.emit-vectors} is on ({@link
 * Descriptors#LOGIN_VECTORS}) and scored by detector {@code model}'s login model when {@code
 * detectors.model.logins} is on.
 *
 * <p>It also routes each event to the user-keyed CEP patterns it can still matter to ({@link
 * PatternRouting}, on {@link Descriptors#cepEvents}): the per-user read it makes for every event
 * anyway ({@link LoginRecency}) knows the user's last failed and novel logins.
 */
public final class LoginNoveltyLogic implements Serializable {
    private static final long serialVersionUID = 1L;

    private final NoveltyConfig config;
    private final ModelDetectorConfig modelConfig;
    private final java.time.Duration ttl;
    /** The cache's sizes ({@code state.cache-users}, {@code state.cache-dirty-users}). */
    private final StateConfig cache;
    private final int maxEvents;
    /** Detector model's login model, or null when it does not score logins. */
    private transient ModelDetector loginModel;
    private transient Counter modelsLoaded;
    private transient Counter loginsJudged;

    private transient CachedValue<LoginProfile> profileState;
    private transient CachedValue<LoginRecency> recencyState;
    /** The operator's key, which the cache sets to write a user back; null: no cache. */
    private transient KeyContext keys;
    private transient boolean stateKeepsObjects;
    /** The users seen last ({@code state.cache-users}), or null when not cached. */
    private transient HotUsers hot;
    /** Routes events to the user-keyed CEP patterns. */
    private final PatternRouting routing;
    private transient ListState<LoginCount> populationState;
    private transient PopulationLogins population;
    /** Logins at {@link #pendingTs} not yet in {@link #population} (see {@link #process}). */
    private transient List<Pending> pending;
    private transient long pendingTs;
    private transient NoveltyScorer scorer;
    private transient UserAgentParser agents;
    private transient List<AllowlistEntry> configured;
    private transient Counter scoredMetric;
    private transient Counter alertsMetric;
    private transient Counter allowlistedMetric;
    private transient LongCounter warmingUp;
    private transient LongCounter withoutHistory;

    /** Accumulator: logins of returning users scored while the population was not yet ready (no alert possible). */
    public static final String WARMING_UP_ACCUMULATOR = "warming-up:login-novelty";
    /** Accumulator: logins scored of users with no login before (nothing to be new against). */
    public static final String WITHOUT_HISTORY_ACCUMULATOR = "without-history:login-novelty";

    /** A login waiting to teach the population: what it showed, what it was to its user, and whether it teaches. */
    private record Pending(LoginAttributes attributes, LoginOutcome outcome, boolean teach) {}

    /**
     * @param model detector model's configuration: with {@code logins} on, each login is scored by
     *     its login model; null: never
     */
    public LoginNoveltyLogic(NoveltyConfig config, CepConfig cep, ModelDetectorConfig model, StateConfig state, int maxEvents) {
        this.config = config;
        this.modelConfig = model;
        this.ttl = state.ttl();
        this.cache = state;
        this.maxEvents = maxEvents;
        this.routing = new PatternRouting(cep, ttl);
    }

    /** Restores this instance's population counts (recovery: its own; rescale: an even share of all). */
    public void initializeState(FunctionInitializationContext context, TaskInfo task) throws Exception {
        populationState = context.getOperatorStateStore().getUnionListState(Descriptors.POPULATION_LOGINS);
        population = new PopulationLogins(config.maxPopulationValues());
        pending = new ArrayList<>();
        pendingTs = Long.MIN_VALUE;
        if (context.isRestored()) {
            var sel = InstanceShares.select(populationState.get(), c -> c.owner, c -> c.parallelism,
                    task.getIndexOfThisSubtask(), task.getNumberOfParallelSubtasks());
            java.util.Map<String, Long> sums = new java.util.TreeMap<>();
            for (LoginCount c : sel.entries()) {
                sums.merge(c.key, c.count, Long::sum);
            }
            List<LoginCount> restored = new ArrayList<>(sums.size());
            sums.forEach((k, v) -> restored.add(new LoginCount(k, InstanceShares.share(v, sel.owners()))));
            population.addAll(restored);
        }
    }

    /** Every instance writes its whole model, tagged with who it is (see {@link InstanceShares}). */
    public void snapshotState(TaskInfo task) throws Exception {
        List<LoginCount> entries = population.entries();
        if (!pending.isEmpty()) {
            // The current instant's logins, without applying them: scoring must not depend on
            // where a checkpoint falls.
            PopulationLogins copy = new PopulationLogins(config.maxPopulationValues());
            copy.addAll(entries);
            pending.forEach(p -> copy.observe(p.attributes(), p.outcome(), p.teach()));
            entries = copy.entries();
        }
        for (LoginCount c : entries) {
            c.owner = task.getIndexOfThisSubtask();
            c.parallelism = task.getNumberOfParallelSubtasks();
        }
        populationState.update(entries);
    }

    /**
     * Lets this detector cache users ({@code state.cache-users}, {@code state.cache-dirty-users}):
     * called by the operator that runs it, before {@link #open}, with the operator's key.
     */
    public void cacheUsersWith(KeyContext operatorKeys, boolean stateKeepsObjects) {
        this.keys = operatorKeys;
        this.stateKeepsObjects = stateKeepsObjects;
    }

    /** Writes every cached user changed since the last call to state: before each checkpoint barrier. */
    public void writeBackCachedUsers() throws Exception {
        if (hot != null) {
            hot.writeBack();
        }
    }

    public void open(RuntimeContext context) {
        hot = keys != null && cache.cacheUsers() > 0
                ? new HotUsers(cache.cacheUsers(), cache.cacheDirtyUsers(), ttl.toMillis(), 2, 0, System::currentTimeMillis, keys, this::writeBack)
                : null;
        // Heap state keeps the objects it is given: the cache gives and takes copies.
        var profileSerializer = context.createSerializer(org.apache.flink.api.common.typeinfo.TypeInformation.of(LoginProfile.class));
        profileState = new CachedValue<>(context.getState(Descriptors.loginProfile(ttl)), hot, 0,
                stateKeepsObjects ? profileSerializer::copy : p -> p);
        recencyState = new CachedValue<>(context.getState(Descriptors.loginRecency(ttl)), hot, 1,
                stateKeepsObjects ? LoginRecencySerializer.INSTANCE::copy : r -> r);
        routing.open(context);
        scorer = new NoveltyScorer(config);
        agents = new UserAgentParser(config.userAgentCache());
        configured = Allowlist.entriesOf(config.allowlist());
        var metrics = context.getMetricGroup();
        scoredMetric = metrics.addGroup("novelty").counter("loginsScored");
        allowlistedMetric = metrics.addGroup("novelty").counter("allowlisted");
        alertsMetric = metrics.addGroup("alerts", LoginNoveltyFunction.DETECTOR).counter("count");
        metrics.addGroup("novelty").gauge("userAgentCacheMisses", () -> agents.misses());
        warmingUp = context.getLongCounter(WARMING_UP_ACCUMULATOR);
        withoutHistory = context.getLongCounter(WITHOUT_HISTORY_ACCUMULATOR);
        if (modelConfig != null && modelConfig.scoresLogins()) {
            loginModel = new ModelDetector(modelConfig, ModelFiles.LOGIN, LoginFeatures.NAMES, LoginFeatures.COUNT);
            modelsLoaded = metrics.addGroup("model").counter("loginModelsLoaded");
            loginsJudged = metrics.addGroup("model").counter("loginsScored");
            if (!modelConfig.path().isBlank()) {
                ModelFiles files = ModelFiles.read(java.nio.file.Path.of(modelConfig.path()), ModelFiles.LOGIN);
                if (files == null) {
                    throw new io.surprisal.classifier.ModelException("detectors.model.logins is on but " + modelConfig.path()
                            + " has no login model (" + ModelFiles.LOGIN_CARD_FILE + ")");
                }
                useLoginModel(loginModel.load(files));
            }
        }
    }

    /** Writes a user leaving the cache, or changed before a checkpoint barrier, to state; their key is current. */
    private void writeBack(HotUsers.User u, long now) throws java.io.IOException {
        profileState.writeBack(u, now);
        recencyState.writeBack(u, now);
    }

    /** Detector model's login detector, or null when it does not score logins. */
    public ModelDetector loginModel() {
        return loginModel;
    }

    /** Scores logins with {@code next} from the next login on. */
    public void useLoginModel(LoadedModel next) {
        loginModel.use(next);
        modelsLoaded.inc();
    }

    public void close() {
        if (loginModel != null) {
            loginModel.close(); // its native session
        }
    }

    /** The allowlist entries of the configuration. */
    public List<AllowlistEntry> configuredAllowlist() {
        return configured;
    }

    /** Where the allowlist comes from when a login is over the threshold (built lazily, it may cost a state read). */
    public interface AllowlistSource {
        Allowlist get() throws Exception;
    }

    /** Where the operator's side outputs go: the calling function's context. */
    public interface Output {
        <X> void output(OutputTag<X> tag, X value);
    }

    /**
     * Scores the event of the current key (events in per-user event-time order), enriching it, and
     * routes it to the CEP patterns it can still matter to; its alerts, and its login vector when
     * they are on, go to {@code out}.
     */
    public void process(String key, Event e, AllowlistSource allowlist, Output out) throws Exception {
        if (hot != null) {
            hot.enter(key);
        }
        // Population learning is deferred until event time moves past an instant: every login is
        // scored against the logins strictly before it, so the order in which users' events of the
        // same instant arrive (timers of different keys) cannot change any score.
        if (e.ts > pendingTs) {
            pending.forEach(p -> population.observe(p.attributes(), p.outcome(), p.teach()));
            pending.clear();
            pendingTs = e.ts;
        }
        // Most events are neither a login nor a session's first: they cost one read of a small
        // value (session, last failed and novel login), not a read of the whole profile.
        LoginRecency recency = recencyState.value();
        if (recency == null) {
            recency = new LoginRecency();
        }
        boolean changed = false;
        boolean sessionStart = e.session != null && !e.session.equals(recency.session);
        if (sessionStart) {
            recency.session = e.session;
            changed = true;
        }
        if ("login".equals(e.action) || sessionStart) {
            score(e, allowlist, out);
        }
        changed |= routing.route(e, recency, out::output);
        if (changed) {
            recencyState.update(recency);
        }
    }

    private void score(Event e, AllowlistSource allowlist, Output out) throws Exception {
        LoginProfile profile = profileState.value();
        if (profile == null) {
            profile = new LoginProfile();
        }
        scoredMetric.inc();
        LoginAttributes attributes = LoginAttributes.of(e, agents);
        NoveltyScore score = scorer.score(profile, attributes, population);
        e.noveltyBits = score.bits();
        boolean ready = population.ready(config.minReturningLogins(), config.minReturningLoginsPerUser());
        if (score.coldStart()) {
            withoutHistory.add(1L);
        } else if (!ready) {
            warmingUp.add(1L);
        }
        boolean over = !score.coldStart() && ready && score.bits() >= config.thresholdBits();
        if (over && allowlist.get().match(e) != null) {
            allowlistedMetric.inc();
            over = false;
        }
        e.novel = over;
        if (over && !(e.session != null && e.session.equals(profile.lastAlertSession))) {
            profile.lastAlertSession = e.session;
            alertsMetric.inc();
            out.output(Descriptors.ALERTS, alert(e, attributes, score));
        }
        if ("login".equals(e.action)) {
            if (config.emitVectors() || loginModel != null) {
                double[] v = LoginFeatures.vector(profile, attributes, score, e.fail);
                if (config.emitVectors()) {
                    out.output(Descriptors.LOGIN_VECTORS, new LoginVector(e.user, e.tenant, e.session, e.ts, v));
                }
                if (loginModel != null && loginModel.model() != null) {
                    loginsJudged.inc();
                    Alert judged = loginModel.onLogin(v, e, maxEvents);
                    if (judged != null) {
                        out.output(Descriptors.ALERTS, judged);
                    }
                }
            }
            if (e.fail) {
                profile.failedSinceLogin++;
            }
        }
        if (!e.fail) {
            scorer.learn(profile, attributes, e.ts, score.outcome());
            // A login judged novel teaches the population only that its user came back: the
            // population's values and rates of new values describe legitimate logins.
            pending.add(new Pending(attributes, score.outcome(), !over));
        }
        profileState.update(profile);
    }

    /**
     * The login's place and client as a person recognises them again make its repeat key: country,
     * network (ASN), device class, OS and browser, plus impossible travel when it contributed. The
     * finer attributes (region, city, IP prefix, browser version) and the hour are left out, so that a
     * login marked a false positive is not reported again from the next address of the same network.
     */
    static final Feature[] REPEAT_FEATURES = {Feature.COUNTRY, Feature.ASN, Feature.DEVICE, Feature.OS, Feature.BROWSER};

    private Alert alert(Event e, LoginAttributes attributes, NoveltyScore score) {
        AlertBuilder a = AlertBuilder.of(LoginNoveltyFunction.DETECTOR, e, maxEvents).bits(score.bits(), config.thresholdBits());
        for (Feature f : REPEAT_FEATURES) {
            a.repeatOn(f.label() + "=" + attributes.shown()[f.ordinal()]);
        }
        StringBuilder why = new StringBuilder();
        NoveltyScore.Travel travel = score.travel();
        if (travel != null) {
            String observed = ImpossibleTravel.observed(travel, e.user);
            a.reason(Feature.TRAVEL.label(), observed, scorer.travel().expected(), travel.bits());
            a.repeatOn(Feature.TRAVEL.label());
            why.append(Feature.TRAVEL.label()).append(": ").append(observed).append(String.format(Locale.ROOT, " (%.1f bits)", travel.bits()));
        }
        for (NoveltyScore.Contribution c : score.contributions()) {
            String expected = NoveltyScorer.explain(c, e.user);
            a.reason(c.feature().label(), c.value(), expected, c.bits());
            if (why.length() > 0) {
                why.append("; ");
            }
            why.append(c.feature().label()).append(' ').append(c.value()).append(": ").append(expected)
                    .append(String.format(Locale.ROOT, " (%.1f bits)", c.bits()));
        }
        return a.summary(String.format(Locale.ROOT, "unusual login for %s (%.1f bits, threshold %.1f): %s",
                        e.user, score.bits(), config.thresholdBits(), why))
                .event(e.copy())
                .build();
    }

    /** For tests and diagnostics: logins the population model has counted on this instance. */
    public long populationLogins() {
        return population.total() + pending.size();
    }
}
