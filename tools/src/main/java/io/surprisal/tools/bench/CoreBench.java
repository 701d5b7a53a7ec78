package io.surprisal.tools.bench;

import io.surprisal.alert.Alert;
import io.surprisal.amount.AmountDetector;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.Event;
import io.surprisal.event.EventParser;
import io.surprisal.event.UserKey;
import io.surprisal.groups.BehaviourGroups;
import io.surprisal.groups.UserGroup;
import io.surprisal.purchase.PurchaseNetworkFunction;
import io.surprisal.model.BehaviourScorer;
import io.surprisal.model.UserProfile;
import io.surprisal.velocity.VelocityState;
import io.surprisal.velocity.VelocityTracker;
import io.surprisal.novelty.LoginAttributes;
import io.surprisal.novelty.LoginProfile;
import io.surprisal.novelty.NoveltyScore;
import io.surprisal.novelty.NoveltyScorer;
import io.surprisal.novelty.PopulationLogins;
import io.surprisal.novelty.UserAgentParser;
import io.surprisal.purchase.HeapPurchaseNetworkStore;
import io.surprisal.purchase.CentsAmount;
import io.surprisal.purchase.PurchaseNetworkStore;
import io.surprisal.purchase.StoredPurchaseNetwork;
import io.surprisal.session.SessionCloser;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark part (c): the detectors' plain-Java cores, no Flink, in one thread, over the same
 * events in file order (which is event-time order), with per-user state in hash maps. Covers what
 * the job's detectors compute per event and per closed visit, as the job configures them:
 * transition, session and cusum ({@link BehaviourScorer}), the detectors of closed visits
 * (session-profile, session-forest, and model when a model is given: {@link SessionCloser}; (c)
 * loads none, and the job's model is off without one), amount, behaviour groups (with the typing
 * and naming of each alert),
 * login novelty (attributes, user-agent parse, score, learning), velocity ({@link
 * VelocityTracker}) and the purchase network ({@link StoredPurchaseNetwork} over in-memory maps).
 * Not covered: the CEP patterns (Flink CEP operators only), alert suppression, serialization,
 * state backends, the event-time ordering buffers and the inactivity timer (a visit closes here
 * only by its own logout or end, or by the user's next visit). Parsing is timed apart, not in the
 * figure.
 */
public final class CoreBench {
    private CoreBench() {}

    /**
     * Events processed; nanoseconds in the detectors; nanoseconds parsing; alerts the cores raised,
     * in all, by detector and those named with the user's behaviour group; sessions the scorer
     * closed (each handed to the closed visits' detectors and the groups, which judge only those
     * that are visits).
     */
    public record Result(long events, long detectorNanos, long parseNanos, long alerts, Map<String, Long> alertsByDetector,
            long alertsWithGroup, long sessionsClosed) {}

    private static final int BATCH = 50_000;

    public static Result run(SurprisalConfig config, Path file, long limit) throws Exception {
        Cores cores = new Cores(config);
        long events = 0;
        long parseNanos = 0;
        long detectorNanos = 0;
        List<Event> batch = new ArrayList<>(BATCH);
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            boolean more = true;
            while (more && events < limit) {
                batch.clear();
                long t0 = System.nanoTime();
                String line;
                while (batch.size() < BATCH && events + batch.size() < limit && (line = r.readLine()) != null) {
                    try {
                        batch.add(EventParser.parse(line));
                    } catch (EventParser.InvalidEventException e) {
                        // the job dead-letters it; nothing for the detectors
                    }
                }
                more = batch.size() == BATCH;
                long t1 = System.nanoTime();
                for (Event e : batch) {
                    cores.onEvent(e);
                }
                long t2 = System.nanoTime();
                parseNanos += t1 - t0;
                detectorNanos += t2 - t1;
                events += batch.size();
            }
        }
        return new Result(events, detectorNanos, parseNanos, cores.alerts, new java.util.TreeMap<>(cores.byDetector), cores.withGroup,
                cores.sessionsClosed);
    }

    /** The detectors with their per-user state in maps. */
    private static final class Cores {
        private final SurprisalConfig config;
        private final BehaviourScorer behaviour;
        private final Map<String, UserProfile> profiles = new HashMap<>();
        private final NoveltyScorer novelty;
        private final PopulationLogins logins;
        private final UserAgentParser agents;
        private final Map<String, LoginProfile> loginProfiles = new HashMap<>();
        private final VelocityTracker velocity;
        private final Map<String, VelocityState> paces = new HashMap<>();
        private final StoredPurchaseNetwork network;
        private final SessionCloser sessions;
        private final AmountDetector amount;
        private final BehaviourGroups groups;
        private final Map<String, UserGroup> userGroups = new HashMap<>();
        private final UserKey userKey = new UserKey();
        private final List<Alert> alertBuffer = new ArrayList<>();
        private String key;
        long alerts;
        final Map<String, Long> byDetector = new HashMap<>();
        long withGroup;
        long sessionsClosed;

        Cores(SurprisalConfig config) {
            this.config = config;
            behaviour = new BehaviourScorer(config.model().transition(), config.model().session(), config.detectors(),
                    config.alerts().maxEvents());
            novelty = new NoveltyScorer(config.novelty());
            logins = new PopulationLogins(config.novelty().maxPopulationValues());
            agents = new UserAgentParser(config.novelty().userAgentCache());
            velocity = new VelocityTracker(config.detectors().velocity());
            var purchases = config.detectors().purchaseNetwork();
            network = new StoredPurchaseNetwork(purchases.degrees(), purchases.trackedPurchases(), new HeapPurchaseNetworkStore());
            // As UserBehaviourFunction sets them up: the closed visits' detectors (and the vectors'
            // copy when the job emits them), then the groups.
            sessions = new SessionCloser(config, config.model().session().emitVectors() ? closed -> {} : null, behaviour::population);
            if (sessions.active()) {
                behaviour.addSessionListener(sessions);
            }
            groups = config.model().groups().enabled()
                    ? new BehaviourGroups(config.model().groups(), config.detectors().groupChange(), config.detectors().falseAlarmWindow(),
                            config.alerts().maxEvents(), 0)
                    : null;
            if (groups != null) {
                behaviour.addSessionListener((profile, top, now, why, closeAlerts) -> {
                    Alert a = groups.onSessionClose(key, profile, top, userGroups.computeIfAbsent(key, k -> new UserGroup()), now);
                    if (a != null) {
                        closeAlerts.add(a);
                    }
                });
            }
            behaviour.addSessionListener((profile, top, now, why, closeAlerts) -> sessionsClosed++);
            amount = config.detectors().amount().enabled()
                    ? new AmountDetector(config.detectors().amount(), config.detectors().falseAlarmWindow(),
                            config.model().transition().populationTeachingWindow())
                    : null;
        }

        void onEvent(Event e) throws Exception {
            // Transition, session and cusum; the detectors of the visit the event closes; amount.
            key = userKey.getKey(e);
            sessions.setKey(key);
            UserProfile profile = profiles.computeIfAbsent(key, u -> new UserProfile());
            behaviour.onEvent(profile, e, alertBuffer);
            if (amount != null) {
                Alert a = amount.onEvent(profile, e, config.alerts().maxEvents());
                if (a != null) {
                    alertBuffer.add(a);
                }
            }
            if (groups != null && !alertBuffer.isEmpty()) {
                // As the job's alerts are: typed against the groups as they are now, and named by it.
                UserGroup u = userGroups.get(key);
                if (u != null) {
                    groups.retype(profile, u, e.ts);
                }
                for (Alert a : alertBuffer) {
                    groups.annotate(a, u);
                }
            }
            for (Alert a : alertBuffer) {
                count(a.detector);
                withGroup += a.group == null ? 0 : 1;
            }
            alertBuffer.clear();

            // Login novelty, as LoginNoveltyFunction does it (no allowlist, no alert text).
            LoginProfile lp = config.novelty().enabled() ? loginProfiles.computeIfAbsent(key, u -> new LoginProfile()) : null;
            boolean sessionStart = lp != null && e.session != null && !e.session.equals(lp.lastSession);
            if (sessionStart) {
                lp.lastSession = e.session;
            }
            if (lp != null && ("login".equals(e.action) || sessionStart)) {
                LoginAttributes a = LoginAttributes.of(e, agents);
                NoveltyScore score = novelty.score(lp, a, logins);
                e.noveltyBits = score.bits();
                boolean over = !score.coldStart() && score.bits() >= config.novelty().thresholdBits()
                        && logins.ready(config.novelty().minReturningLogins(), config.novelty().minReturningLoginsPerUser());
                if (over) {
                    count("login-novelty");
                }
                if (!e.fail) {
                    novelty.learn(lp, a, e.ts, score.outcome());
                    logins.observe(a, score.outcome(), !over);
                }
            }

            // Velocity.
            if (config.detectors().velocity().enabled()
                    && velocity.onEvent(paces.computeIfAbsent(key, u -> new VelocityState()), e.ts) != VelocityTracker.Finding.NONE) {
                count("velocity");
            }

            // Purchase network.
            if (config.detectors().purchaseNetwork().enabled() && PurchaseNetworkFunction.isRouted(e)) {
                switch (e.action) {
                    case PurchaseNetworkFunction.BEFRIEND -> network.befriend(e.user, e.friend);
                    case PurchaseNetworkFunction.UNFRIEND -> network.unfriend(e.user, e.friend);
                    default -> {
                        long cents;
                        try {
                            cents = CentsAmount.fromAmount(e.amount);
                        } catch (IllegalArgumentException ignored) {
                            return;
                        }
                        if (network.judgeAndRecord(e.user, e.ts, cents).flagged()) {
                            count("purchase-network");
                        }
                    }
                }
            }
        }

        private void count(String detector) {
            alerts++;
            byDetector.merge(detector, 1L, Long::sum);
        }
    }
}
