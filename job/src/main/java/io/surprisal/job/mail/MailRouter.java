package io.surprisal.job.mail;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertGroup;
import io.surprisal.config.SurprisalConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Routes a user's alert group to recipients: each alert goes to every route it matches (detector
 * and severity); alerts bound for the same recipient list travel in one mail.
 */
public final class MailRouter {
    private final List<SurprisalConfig.MailRoute> routes;

    public MailRouter(List<SurprisalConfig.MailRoute> routes) {
        this.routes = routes;
    }

    public List<PendingMail> route(AlertGroup group) {
        Map<List<String>, AlertGroup> byRecipients = new LinkedHashMap<>();
        for (Alert a : group.alerts) {
            TreeSet<String> to = new TreeSet<>();
            for (SurprisalConfig.MailRoute r : routes) {
                if (r.matches(a.detector, a.severity)) {
                    to.addAll(r.to());
                }
            }
            if (!to.isEmpty()) {
                AlertGroup g = byRecipients.computeIfAbsent(new ArrayList<>(to), k -> {
                    AlertGroup ng = new AlertGroup(group.user, group.windowEnd);
                    ng.more = group.more;
                    return ng;
                });
                g.alerts.add(a);
            }
        }
        List<PendingMail> mails = new ArrayList<>(byRecipients.size());
        byRecipients.forEach((to, g) -> mails.add(new PendingMail(to, g)));
        return mails;
    }
}
