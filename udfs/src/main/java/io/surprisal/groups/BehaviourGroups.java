package io.surprisal.groups;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertBuilder;
import io.surprisal.config.SurprisalConfig.GroupChangeDetectorConfig;
import io.surprisal.config.SurprisalConfig.GroupsModelConfig;
import io.surprisal.event.Event;
import io.surprisal.model.MultipleTests;
import io.surprisal.model.TopEventStore;
import io.surprisal.model.UserProfile;
import java.time.Duration;
import java.util.Locale;

/**
 * Behaviour groups and user typing at each session close, and detector {@code group-change}.
 *
 * <ul>
 *   <li>The user is typed from all their transition counts (the profile's): the group of highest
 *       naive-Bayes posterior once they have min-transitions steps and it reaches min-posterior
 *       against every other group and against a chain of the user's own. Until then they keep the
 *       group they had (a new user: none).
 *   <li>The session teaches the user's group its steps when the user's steps more likely lie within
 *       its KL limit than beyond it ({@link GroupModel#likelyWithin}). A user whose steps are
 *       decisively like no group (the posterior of a chain of their own) and beyond the limit of
 *       every group, with steps enough to pin their chain down within the limit, founds a group
 *       and is typed into it.
 *   <li>The session alone is typed too, with the groups' shares as the prior. Its surprisal under
 *       the user's group history (sessions per group, blended by history-prior-sessions with the
 *       population's rate of sessions of each group among the sessions of users of the user's
 *       group), averaged over the session's posterior, is detector {@code group-change}'s score
 *       when the session's group is not the user's. Decisively typed sessions count towards those rates.
 *   <li>When alerts of the user leave, the user is typed again from their counts at the last close
 *       against the groups as they are then ({@link #retype}).
 * </ul>
 * Plain Java: the job's per-user operator and the evaluation's replay run this same code.
 */
public final class BehaviourGroups {
    public static final String DETECTOR = "group-change";

    private final GroupsModelConfig config;
    private final GroupChangeDetectorConfig change;
    private final Duration falseAlarmWindow;
    private final int maxEvents;
    private GroupModel model;

    public BehaviourGroups(GroupsModelConfig config, GroupChangeDetectorConfig change, Duration falseAlarmWindow,
            int maxEvents, int instance) {
        this.config = config;
        this.change = change;
        this.falseAlarmWindow = falseAlarmWindow;
        this.maxEvents = maxEvents;
        this.model = new GroupModel(config, instance);
    }

    public GroupModel model() {
        return model;
    }

    /** Replaces the model with a restored one. */
    public void restore(GroupModel restored) {
        this.model = restored;
    }

    /**
     * A session of the user closes at event time {@code now}: types the user and the session,
     * teaches the model, updates {@code u}, and returns a {@code group-change} alert or null. Call
     * before the profile forgets the session ({@link UserProfile#closeSession}).
     */
    public Alert onSessionClose(String userKey, UserProfile p, TopEventStore top, UserGroup u, long now) {
        model.advanceTo(now);
        u.resolve(model);
        long before = u.group;
        Steps all = Steps.of(p);
        Steps session = Steps.since(p, u.seen);
        u.seen = Steps.countsOf(p);

        if (all.total() >= config.minTransitions()) {
            GroupModel.Typing typing = model.type(all);
            GroupModel.Fit best = typing.best();
            // Typed into a group only when its posterior is decisive against every other group and
            // against a chain of the user's own (so that a user whom their own chain explains better
            // than any group is left untyped).
            if (best != null && best.posterior() >= config.minPosterior()) {
                u.group = best.group();
            } else if (typing.fits().size() > 1
                    && best.posterior() + typing.fits().get(1).posterior() >= config.minPosterior()) {
                model.splitBetween(best.group(), typing.fits().get(1).group()); // two groups that may be one
            }
            GroupModel.Fit mine = typing.of(u.group);
            u.posterior = mine == null ? 0 : mine.posterior();
            if (mine != null && model.likelyWithin(mine, typing)) {
                model.teach(u.group, session);
            }
            GroupModel.Fit nearest = GroupModel.nearest(typing);
            // A founder: decisively like no group, beyond the limit of every one, and with steps that
            // pin their own chain down to within the limit (the divergence a sample of their size
            // shows from its own chain is under it).
            if (!u.proposed && typing.newPosterior() >= config.minPosterior()
                    && (nearest == null || !model.within(nearest, typing))
                    && typing.klBiasBits() <= config.klLimitBits()) {
                u.group = model.propose(userKey, all);
                u.posterior = typing.newPosterior();
                u.proposed = true;
            }
            if (u.group != before) {
                model.move(before, u.group);
            }
        }

        Alert alert = null;
        if (session.total() >= config.minSessionTransitions() && model.size() > 0) {
            GroupModel.Typing typing = model.type(session);
            GroupModel.Fit best = typing.best();
            if (change.enabled() && before != UserGroup.NONE && u.typedSessions() > 0 && best.group() != before) {
                alert = judgeChange(p, top, u, before, typing);
            }
            if (best.posterior() >= config.minPosterior()) {
                u.addSession(best.group());
                model.countSession(before, best.group());
            }
        }
        return alert;
    }

    /**
     * P(group) for the next session of a user typed {@code userGroup}: their sessions per group
     * blended with the population's rate of sessions of that group among the sessions of users
     * typed {@code userGroup}, {@code (n_g + k P(g | g0)) / (n + k)}. Under the hypothesis that the
     * user is still what they were, that rate is the prior of their next session's group.
     */
    double historyProbability(UserGroup u, long userGroup, long group) {
        double k = config.historyPriorSessions();
        return (u.sessionsIn(group) + k * model.sessionRate(userGroup, group)) / (u.typedSessions() + k);
    }

    /** The session's surprisal under the user's group history, averaged over its posterior, in bits. */
    double changeBits(UserGroup u, long userGroup, GroupModel.Typing typing) {
        double p = 0;
        for (GroupModel.Fit f : typing.fits()) {
            p += f.posterior() * historyProbability(u, userGroup, f.group());
        }
        return -GroupModel.log2(p);
    }

    private Alert judgeChange(UserProfile p, TopEventStore top, UserGroup u, long before, GroupModel.Typing typing) {
        double bits = changeBits(u, before, typing);
        double bar = MultipleTests.bar(change.thresholdBits(), p.sessionsInWindow);
        if (bits < bar || p.topSlots.length == 0) {
            return null;
        }
        Event first = top.get(p.topSlots[0]);
        if (first == null) {
            return null;
        }
        GroupModel.Fit now = typing.best();
        String to = GroupModel.name(now.group());
        String from = GroupModel.name(before);
        String barText = String.format(Locale.ROOT, "%.1f + log2(%.1f sessions in the past %s) = %.1f",
                change.thresholdBits(), Math.max(1.0, p.sessionsInWindow), MultipleTests.windowText(falseAlarmWindow), bar);
        AlertBuilder a = AlertBuilder.of(DETECTOR, p.lastTs, first.user, p.sessionId, maxEvents)
                .tenant(first.tenant)
                .bits(bits, bar)
                .summary(String.format(Locale.ROOT,
                        "session %s of %s behaved like group %s (posterior %.3f, %.2f%% of the sessions of %s's users), not like "
                                + "the user's group %s (%d of the user's %d typed sessions): %.1f bits, above %s",
                        p.sessionId == null ? "-" : p.sessionId, first.user, to, now.posterior(),
                        100 * model.sessionRate(before, now.group()), from, from, u.sessionsIn(before), u.typedSessions(), bits, barText))
                .reason("group_change", from + " -> " + to,
                        String.format(Locale.ROOT, "%d of %d sessions in %s; %.2f%% of the sessions of %s's users are; session posterior %.3f",
                                u.sessionsIn(now.group()), u.typedSessions(), to, 100 * model.sessionRate(before, now.group()), from,
                                now.posterior()),
                        bits);
        for (byte slot : p.topSlots) {
            Event e = top.get(slot);
            if (e != null && a.hasRoomForEvent()) {
                a.event(e);
            }
        }
        Alert alert = a.build();
        alert.group = to;
        alert.groupPosterior = now.posterior();
        return alert;
    }

    /**
     * Gives an alert the user's group (as the model calls it now) and its posterior, when the user
     * has one and the alert none. A group still waiting to be founded is none yet.
     */
    public void annotate(Alert a, UserGroup u) {
        if (a.group == null && u != null) {
            long group = model.resolve(u.group);
            if (group != UserGroup.NONE) {
                a.group = GroupModel.name(group);
                a.groupPosterior = u.posterior;
            }
        }
    }

    /**
     * Types the user again, from their steps at their last session close, against the groups as
     * they are at {@code now}: a group founded or taught since may explain those steps decisively
     * better than the one they were typed into (a user whose few visits came before the group of
     * their kind was founded). As at a close: a new group only at min-transitions and min-posterior;
     * else the user keeps theirs. Nothing is taught or proposed. A founder whose group is still
     * waiting to be founded keeps it.
     */
    public void retype(UserProfile p, UserGroup u, long now) {
        model.advanceTo(now);
        if (u.group != UserGroup.NONE && model.resolve(u.group) == UserGroup.NONE
                && (u.group & GroupModel.PROVISIONAL) != 0) {
            return;
        }
        u.resolve(model);
        Steps all = Steps.at(p, u.seen);
        if (all.total() < config.minTransitions()) {
            return;
        }
        GroupModel.Fit best = model.type(all).best();
        if (best != null && best.posterior() >= config.minPosterior() && best.group() != u.group) {
            model.move(u.group, best.group());
            u.group = best.group();
            u.posterior = best.posterior();
        }
    }

    /** The user's group as the model calls it now, once what was taught before {@code now} has joined it. */
    public void settle(UserGroup u, long now) {
        model.advanceTo(now);
        u.resolve(model);
    }
}
