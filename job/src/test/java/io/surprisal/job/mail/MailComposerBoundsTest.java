package io.surprisal.job.mail;

import static io.surprisal.job.mail.MailFixtures.alert;
import static io.surprisal.job.mail.MailFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertGroup;
import io.surprisal.alert.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No alert makes a mail large: fields are cut in both parts, and a part stops taking alerts at its budget. */
class MailComposerBoundsTest {
    private final MailComposer composer = new MailComposer("https://dash.example.org/alerts/{alert_id}");

    private static Alert withEvents(String user, long ts, String userAgent) {
        Alert a = alert(user, "transition", Severity.HIGH, ts, "pay");
        for (int j = 1; j < 20; j++) {
            a.events.add(event("ev-" + user + "-" + ts + "-" + j, user, ts + j, "view", "DE", "Berlin", "198.51.100.9", userAgent));
        }
        return a.withDerivedId();
    }

    @Test
    void anAlertWhoseEventsCarryMegabyteUserAgentsRendersASmallMail() {
        String megabyte = "Mozilla/5.0 " + "A".repeat(1_000_000);
        AlertGroup g = new AlertGroup("mallory", 2_000_000);
        g.add(withEvents("mallory", 1_000_000, megabyte));
        MailComposer.Composed c = composer.compose(new PendingMail(List.of("security@example.org"), g));
        assertThat(c.html().length()).isLessThan(50_000);
        assertThat(c.text().length()).isLessThan(50_000);
        assertThat(c.html()).contains("Mozilla/5.0 AAAA").contains("A\u2026</td>");
    }

    @Test
    void aGroupOfManyLargeAlertsStopsAtTheBudgetAndCountsTheRest() {
        AlertGroup g = new AlertGroup("mallory", 2_000_000);
        for (int i = 0; i < AlertGroup.MAX_ALERTS; i++) {
            g.add(withEvents("mallory", 1_000_000 + i * 1000L, "Mozilla/5.0 " + "<b>".repeat(700)));
        }
        g.more = 7;
        MailComposer.Composed c = composer.compose(new PendingMail(List.of("security@example.org"), g));
        int shown = c.text().split("== HIGH transition at ", -1).length - 1;
        assertThat(shown).isBetween(1, AlertGroup.MAX_ALERTS - 1);
        int hidden = AlertGroup.MAX_ALERTS - shown + 7;
        assertThat(c.text()).contains("... and " + hidden + " more alerts for this user (see the dashboard).");
        assertThat(c.html()).contains("... and " + hidden + " more alerts for this user (see the dashboard).");
        // The budget, plus at most the one alert that crossed it.
        assertThat(c.html().length()).isLessThan(MailComposer.BODY_BUDGET + 100_000);
        assertThat(c.text().length()).isLessThan(MailComposer.BODY_BUDGET + 100_000);
    }
}
