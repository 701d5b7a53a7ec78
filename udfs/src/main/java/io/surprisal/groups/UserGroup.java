package io.surprisal.groups;

import java.util.Arrays;

/**
 * One user's behaviour group, kept in its own small keyed state beside the user's profile and
 * touched only when a session closes (and when an alert of the user leaves): the group and its
 * posterior, the profile's transition counts at the last close (to tell this session's steps), and
 * the groups the user's sessions were typed into. A Flink POJO.
 */
public class UserGroup {
    /** No group (yet). */
    public static final long NONE = 0L;
    /** Groups remembered in a user's history; the least visited goes first. */
    static final int MAX_HISTORY = 8;

    public long group = NONE;
    public double posterior;
    /** The profile's transition counts by position at the last session close ({@link Steps#countsOf}). */
    public int[] seen = new int[0];
    /** The groups the user's sessions were typed into, and how many sessions each. */
    public long[] historyGroups = new long[0];
    public int[] historySessions = new int[0];
    /** Whether the user has proposed a group of their own: one proposal per user. */
    public boolean proposed;

    public UserGroup() {}

    /** Sessions typed into any group. */
    public long typedSessions() {
        long n = 0;
        for (int s : historySessions) {
            n += s;
        }
        return n;
    }

    /** Sessions typed into {@code id}. */
    public long sessionsIn(long id) {
        for (int i = 0; i < historyGroups.length; i++) {
            if (historyGroups[i] == id) {
                return historySessions[i];
            }
        }
        return 0;
    }

    /** One more session typed into {@code id}. */
    void addSession(long id) {
        addSessions(id, 1);
    }

    private void addSessions(long id, int n) {
        for (int i = 0; i < historyGroups.length; i++) {
            if (historyGroups[i] == id) {
                historySessions[i] += n;
                return;
            }
        }
        if (historyGroups.length >= MAX_HISTORY) {
            int least = 0;
            for (int i = 1; i < historySessions.length; i++) {
                if (historySessions[i] < historySessions[least]) {
                    least = i;
                }
            }
            historyGroups[least] = id;
            historySessions[least] = n;
            return;
        }
        historyGroups = Arrays.copyOf(historyGroups, historyGroups.length + 1);
        historySessions = Arrays.copyOf(historySessions, historySessions.length + 1);
        historyGroups[historyGroups.length - 1] = id;
        historySessions[historySessions.length - 1] = n;
    }

    /** Re-points the history at groups as the model now calls them (merged groups join their survivor). */
    void resolve(GroupModel model) {
        group = model.resolve(group);
        long[] groups = historyGroups;
        int[] sessions = historySessions;
        historyGroups = new long[0];
        historySessions = new int[0];
        for (int i = 0; i < groups.length; i++) {
            long id = model.resolve(groups[i]);
            if (id != NONE) {
                addSessions(id, sessions[i]);
            }
        }
    }
}
