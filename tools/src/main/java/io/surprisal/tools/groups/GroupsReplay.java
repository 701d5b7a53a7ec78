package io.surprisal.tools.groups;

import io.surprisal.alert.Alert;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.Event;
import io.surprisal.event.EventParser;
import io.surprisal.event.UserKey;
import io.surprisal.groups.BehaviourGroups;
import io.surprisal.groups.GroupModel;
import io.surprisal.groups.UserGroup;
import io.surprisal.model.BehaviourScorer;
import io.surprisal.model.UserProfile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.zip.GZIPInputStream;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * The job's per-user operator, replayed without Flink for the evaluation of behaviour groups: the
 * same {@link BehaviourScorer} and {@link BehaviourGroups}, one per parallel instance, each user on
 * the instance the job's key partitioning gives them, events in event-time order, sessions closed
 * by inactivity as the job's timers close them. What it gives back that the job's output does not
 * hold: every user's group at the end, not only alerted users'.
 */
public final class GroupsReplay {
    /** Every user's group (by user key) and posterior at the end, the group-change alerts, and each instance's model. */
    public record Result(Map<String, UserGroup> users, List<Alert> changes, List<GroupModel> models) {}

    private GroupsReplay() {}

    /** Reads an events file (JSON lines, optionally .gz); lines the job would dead-letter are skipped. */
    public static List<Event> read(Path file) throws IOException {
        List<Event> out = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(EventParser.parse(line));
                } catch (EventParser.InvalidEventException e) {
                    // the job dead-letters it: it teaches nothing
                }
            }
        }
        out.sort(Comparator.comparingLong(e -> e.ts)); // stable: arrival order within an instant
        return out;
    }

    public static Result replay(List<Event> events, SurprisalConfig config, int parallelism) {
        int maxParallelism = KeyGroupRangeAssignment.computeDefaultMaxParallelism(parallelism);
        long gap = config.model().session().inactivityGap().toMillis();
        Instance[] instances = new Instance[parallelism];
        for (int i = 0; i < parallelism; i++) {
            instances[i] = new Instance(config, i);
        }
        for (Event e : events) {
            String key = UserKey.of(e);
            Instance in = instances[KeyGroupRangeAssignment.assignKeyToParallelOperator(key, maxParallelism, parallelism)];
            in.closeIdleUpTo(e.ts, gap);
            in.onEvent(key, e, gap);
        }
        Map<String, UserGroup> users = new HashMap<>();
        List<Alert> changes = new ArrayList<>();
        List<GroupModel> models = new ArrayList<>();
        for (Instance in : instances) {
            in.closeIdleUpTo(Long.MAX_VALUE, gap);
            // The users' groups as an alert of theirs would carry them now (groups founded at the last closes included).
            for (Map.Entry<String, UserGroup> u : new java.util.TreeMap<>(in.groupsOfUsers).entrySet()) {
                in.groups.retype(in.profiles.get(u.getKey()), u.getValue(), Long.MAX_VALUE);
            }
            users.putAll(in.groupsOfUsers);
            changes.addAll(in.changes);
            models.add(in.groups.model());
        }
        return new Result(users, changes, models);
    }

    private static final class Instance {
        final BehaviourScorer scorer;
        final BehaviourGroups groups;
        final Map<String, UserProfile> profiles = new HashMap<>();
        final Map<String, UserGroup> groupsOfUsers = new HashMap<>();
        final PriorityQueue<Object[]> deadlines = new PriorityQueue<>(Comparator.comparingLong(d -> (Long) d[0]));
        final List<Alert> changes = new ArrayList<>();
        final List<Alert> scratch = new ArrayList<>();
        String currentKey;

        Instance(SurprisalConfig config, int index) {
            scorer = new BehaviourScorer(config.model().transition(), config.model().session(), config.detectors(),
                    config.alerts().maxEvents());
            groups = new BehaviourGroups(config.model().groups(), config.detectors().groupChange(),
                    config.detectors().falseAlarmWindow(), config.alerts().maxEvents(), index);
            scorer.addSessionListener((p, top, now, why, alerts) -> {
                UserGroup u = groupsOfUsers.computeIfAbsent(currentKey, k -> new UserGroup());
                Alert a = groups.onSessionClose(currentKey, p, top, u, now);
                if (a != null) {
                    changes.add(a);
                    alerts.add(a); // leaves with the session's other alerts, as in the job
                }
            });
        }

        void onEvent(String key, Event e, long gap) {
            UserProfile p = profiles.computeIfAbsent(key, k -> new UserProfile());
            currentKey = key;
            scorer.onEvent(p, e, scratch);
            retypeOnAlert(key, p, e.ts);
            if (p.sessionOpen()) {
                deadlines.add(new Object[] {p.lastTs + gap, key});
            }
        }

        /** As the job does when alerts of the user leave: the user is typed again against the groups as they are. */
        void retypeOnAlert(String key, UserProfile p, long now) {
            UserGroup u = groupsOfUsers.get(key);
            if (!scratch.isEmpty() && u != null) {
                groups.retype(p, u, now);
            }
            scratch.clear();
        }

        /** Closes the sessions whose inactivity gap ends at or before {@code ts}, as the job's timers do. */
        void closeIdleUpTo(long ts, long gap) {
            while (!deadlines.isEmpty() && (Long) deadlines.peek()[0] <= ts) {
                Object[] d = deadlines.poll();
                long at = (Long) d[0];
                String key = (String) d[1];
                UserProfile p = profiles.get(key);
                if (p.sessionOpen() && p.lastTs + gap == at) {
                    currentKey = key;
                    scorer.advanceTo(at);
                    scorer.closeSession(p, "inactivity", scratch);
                    retypeOnAlert(key, p, at);
                }
            }
        }
    }
}
