package io.surprisal.job.mail;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertGroup;
import io.surprisal.alert.Reason;
import io.surprisal.alert.Severity;
import io.surprisal.event.Event;
import io.surprisal.event.Timestamps;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Renders a {@link PendingMail} as a subject a person can triage, a plain-text part and an HTML
 * part: the summary, the reasons as a table with their bits, the triggering events and a link to
 * the dashboard. Every attacker-controlled string goes through {@link MailText}, cut to a few hundred
 * characters; a part stops taking alerts (or digest rows) once it is past {@link #BODY_BUDGET}
 * characters and counts the rest, so no alert makes a mail large.
 */
public final class MailComposer {
    /** A rendered mail. */
    public record Composed(String subject, String text, String html) {}

    private static final int SUBJECT_MAX = 200;
    private static final int FIELD_MAX = 300;
    private static final int SUMMARY_MAX = 2000;
    private static final int LINK_MAX = 2000;
    private static final int DIGEST_MAX_ROWS = 500;
    /** Characters of a text or HTML part after which no further alert or digest row is rendered. */
    static final int BODY_BUDGET = 256 * 1024;

    private final String dashboardUrl;

    public MailComposer(String dashboardUrl) {
        this.dashboardUrl = dashboardUrl == null ? "" : dashboardUrl;
    }

    public Composed compose(PendingMail mail) {
        return mail.isDigest() ? digest(mail) : group(mail.groups.get(0));
    }

    /** {@code [surprisal] HIGH login-novelty: jane - new country UA, new browser Firefox}. */
    public String subject(AlertGroup g) {
        Alert lead = g.lead();
        StringBuilder sb = new StringBuilder("[surprisal] ")
                .append(lead.severity.name()).append(' ').append(lead.detector).append(": ").append(g.user);
        List<String> phrases = new ArrayList<>();
        for (Reason r : topReasons(lead, 2)) {
            phrases.add(phrase(r));
        }
        if (!phrases.isEmpty()) {
            sb.append(" - ").append(String.join(", ", phrases));
        }
        int others = g.alertCount() - Math.max(1, lead.repeats);
        if (lead.repeats > 1) {
            sb.append(" (x").append(lead.repeats).append(')');
        }
        if (others > 0) {
            sb.append(" (+").append(others).append(" more)");
        }
        return MailText.header(sb.toString(), SUBJECT_MAX);
    }

    /** A reason as a few words: {@code new country UA} when it was never seen, else {@code feature observed}. */
    static String phrase(Reason r) {
        String feature = r.feature == null ? "" : r.feature.replace('_', ' ');
        String expected = r.expected == null ? "" : r.expected.toLowerCase(Locale.ROOT);
        String prefix = expected.contains("never") || expected.startsWith("none") ? "new " : "";
        return prefix + feature + " " + r.observed;
    }

    private static List<Reason> topReasons(Alert a, int n) {
        List<Reason> sorted = new ArrayList<>(a.reasons);
        sorted.sort(Comparator.comparingDouble((Reason r) -> r.bits).reversed());
        return sorted.subList(0, Math.min(n, sorted.size()));
    }

    /** The dashboard link of an alert, {@code {alert_id}} and {@code {user}} URL-encoded. */
    public String link(Alert a) {
        return dashboardUrl
                .replace("{alert_id}", URLEncoder.encode(a.alertId == null ? "" : a.alertId, StandardCharsets.UTF_8))
                .replace("{user}", URLEncoder.encode(a.user == null ? "" : a.user, StandardCharsets.UTF_8));
    }

    private Composed group(AlertGroup g) {
        StringBuilder text = new StringBuilder();
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
        int n = g.alertCount();
        String head = n == 1 ? "1 alert" : n + " alerts";
        text.append(head).append(" for user ").append(MailText.line(g.user, FIELD_MAX)).append("\n\n");
        html.append("<p>").append(head).append(" for user <b>").append(MailText.html(g.user, FIELD_MAX)).append("</b></p>");
        int notShown = g.more;
        for (Alert a : g.alerts) {
            if (overBudget(text, html)) {
                notShown += Math.max(1, a.repeats);
            } else {
                alert(a, text, html);
            }
        }
        if (notShown > 0) {
            text.append("... and ").append(notShown).append(" more alerts for this user (see the dashboard).\n");
            html.append("<p>... and ").append(notShown).append(" more alerts for this user (see the dashboard).</p>");
        }
        footer(text, html);
        return new Composed(subject(g), text.toString(), html.toString());
    }

    private static boolean overBudget(StringBuilder text, StringBuilder html) {
        return text.length() > BODY_BUDGET || html.length() > BODY_BUDGET;
    }

    private void alert(Alert a, StringBuilder text, StringBuilder html) {
        String title = a.severity.name() + " " + a.detector + " at " + Timestamps.format(a.ts)
                + (a.repeats > 1 ? " (stands for " + a.repeats + " alerts with the same reason)" : "");
        text.append("== ").append(MailText.line(title, FIELD_MAX)).append(" ==\n");
        text.append(MailText.line(a.summary, SUMMARY_MAX)).append("\n");
        text.append(String.format(Locale.ROOT, "Score %.1f %s, threshold %.1f\n\n", a.score, MailText.line(a.unit, 20), a.threshold));
        text.append("Reasons:\n");
        text.append(String.format(Locale.ROOT, "  %8s  %-20s  %-30s  %s\n", "bits", "feature", "observed", "expected"));
        html.append("<h3>").append(MailText.html(title, FIELD_MAX)).append("</h3>");
        html.append("<p>").append(MailText.html(a.summary, SUMMARY_MAX)).append("</p>");
        html.append(String.format(Locale.ROOT, "<p>Score %.1f %s, threshold %.1f</p>", a.score, MailText.html(a.unit, 20), a.threshold));
        html.append("<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\"><tr><th>bits</th><th>feature</th><th>observed</th><th>expected</th></tr>");
        for (Reason r : topReasons(a, a.reasons.size())) {
            text.append(String.format(Locale.ROOT, "  %8.2f  %-20s  %-30s  %s\n", r.bits,
                    MailText.line(r.feature, 60), MailText.line(r.observed, FIELD_MAX), MailText.line(r.expected, FIELD_MAX)));
            html.append(String.format(Locale.ROOT, "<tr><td align=\"right\">%.2f</td><td>%s</td><td>%s</td><td>%s</td></tr>", r.bits,
                    MailText.html(r.feature, 60), MailText.html(r.observed, FIELD_MAX), MailText.html(r.expected, FIELD_MAX)));
        }
        html.append("</table>");
        text.append("\nTriggering events:\n");
        html.append("<p>Triggering events:</p><table border=\"1\" cellpadding=\"4\" cellspacing=\"0\">"
                + "<tr><th>time</th><th>action</th><th>status</th><th>ip</th><th>country</th><th>device</th><th>user agent</th><th>bits</th></tr>");
        for (Event e : a.events) {
            text.append("  ").append(Timestamps.format(e.ts)).append("  ")
                    .append(MailText.line(e.action, 60)).append(' ').append(MailText.line(e.status(), 20));
            appendField(text, "ip", e.ip);
            appendField(text, "country", e.country);
            appendField(text, "city", e.city);
            appendField(text, "device", e.device);
            appendField(text, "user agent", e.userAgent);
            text.append(String.format(Locale.ROOT, "  (%.1f bits)\n", Math.max(e.bits, e.noveltyBits)));
            html.append("<tr><td>").append(Timestamps.format(e.ts)).append("</td><td>").append(MailText.html(e.action, 60))
                    .append("</td><td>").append(MailText.html(e.status(), 20)).append("</td><td>").append(MailText.html(e.ip, FIELD_MAX))
                    .append("</td><td>").append(MailText.html(e.country, FIELD_MAX)).append("</td><td>").append(MailText.html(e.device, FIELD_MAX))
                    .append("</td><td>").append(MailText.html(e.userAgent, FIELD_MAX)).append("</td><td align=\"right\">")
                    .append(String.format(Locale.ROOT, "%.1f", Math.max(e.bits, e.noveltyBits))).append("</td></tr>");
        }
        html.append("</table>");
        String link = link(a);
        text.append("\nDashboard: ").append(MailText.line(link, LINK_MAX)).append("\nAlert id: ").append(MailText.line(a.alertId, 100)).append("\n\n");
        html.append("<p><a href=\"").append(MailText.html(link, LINK_MAX)).append("\">Open in the dashboard</a> &middot; alert id ")
                .append(MailText.html(a.alertId, 100)).append("</p>");
    }

    private static void appendField(StringBuilder text, String name, String value) {
        if (value != null) {
            text.append(", ").append(name).append(' ').append(MailText.line(value, FIELD_MAX));
        }
    }

    private Composed digest(PendingMail mail) {
        int alerts = mail.alertCount();
        Set<String> users = new HashSet<>();
        Severity highest = Severity.LOW;
        List<Alert> rows = new ArrayList<>();
        for (AlertGroup g : mail.groups) {
            users.add(g.user);
            for (Alert a : g.alerts) {
                rows.add(a);
                if (a.severity.compareTo(highest) > 0) {
                    highest = a.severity;
                }
            }
        }
        rows.sort(Comparator.comparing((Alert a) -> a.severity).reversed().thenComparingLong(a -> a.ts));
        String subject = MailText.header(String.format(Locale.ROOT, "[surprisal] digest: %d alerts for %d users, highest %s",
                alerts, users.size(), highest.name()), SUBJECT_MAX);
        StringBuilder text = new StringBuilder();
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
        String intro = String.format(Locale.ROOT,
                "More alerts than the mail rate limit allows: %d alerts for %d users in one digest, most severe first.", alerts, users.size());
        text.append(intro).append("\n\n");
        html.append("<p>").append(intro).append("</p><table border=\"1\" cellpadding=\"4\" cellspacing=\"0\">"
                + "<tr><th>severity</th><th>detector</th><th>user</th><th>time</th><th>reasons</th><th>repeats</th><th>link</th></tr>");
        int shown = 0;
        for (Alert a : rows) {
            if (shown == DIGEST_MAX_ROWS || overBudget(text, html)) {
                break;
            }
            shown++;
            List<String> phrases = new ArrayList<>();
            for (Reason r : topReasons(a, 2)) {
                phrases.add(phrase(r));
            }
            String reasons = String.join(", ", phrases);
            text.append(String.format(Locale.ROOT, "%-8s %-16s %-20s %s  %s%s\n    %s\n", a.severity.name(),
                    MailText.line(a.detector, 40), MailText.line(a.user, 60), Timestamps.format(a.ts),
                    MailText.line(reasons, FIELD_MAX), a.repeats > 1 ? " (x" + a.repeats + ")" : "", MailText.line(link(a), LINK_MAX)));
            html.append("<tr><td>").append(a.severity.name()).append("</td><td>").append(MailText.html(a.detector, 40))
                    .append("</td><td>").append(MailText.html(a.user, 60)).append("</td><td>").append(Timestamps.format(a.ts))
                    .append("</td><td>").append(MailText.html(reasons, FIELD_MAX)).append("</td><td align=\"right\">").append(a.repeats)
                    .append("</td><td><a href=\"").append(MailText.html(link(a), LINK_MAX)).append("\">open</a></td></tr>");
        }
        html.append("</table>");
        if (rows.size() > shown) {
            String rest = "... and " + (rows.size() - shown) + " more alerts (see the dashboard).";
            text.append(rest).append('\n');
            html.append("<p>").append(rest).append("</p>");
        }
        footer(text, html);
        return new Composed(subject, text.toString(), html.toString());
    }

    private static void footer(StringBuilder text, StringBuilder html) {
        text.append("-- \nSurprisal: every alert explains itself in bits (surprisal, -log2 p).\n");
        html.append("<hr><p style=\"color:#666\">Surprisal: every alert explains itself in bits (surprisal, -log2 p).</p></body></html>");
    }
}
