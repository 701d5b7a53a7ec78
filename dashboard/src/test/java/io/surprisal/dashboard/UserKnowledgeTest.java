package io.surprisal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UserKnowledgeTest {
    private static AlertStore.StoredAlert alert(String id, String ts, String groupFields) {
        return new AlertStore.StoredAlert("{\"alert_id\":\"" + id + "\",\"ts\":\"" + ts + "\",\"user\":\"jane\",\"detector\":\"cusum\""
                + groupFields + ",\"reasons\":[],\"events\":[{\"event_id\":\"e-" + id + "\",\"user\":\"jane\",\"ts\":\"" + ts
                + "\",\"country\":\"US\",\"city\":\"San Jose\",\"ip\":\"203.0.113.7\",\"asn\":7922}]}", "new");
    }

    @Test
    void theGroupIsTheNewestAlertsThatCarriesOne() {
        UserKnowledge.Summary s = UserKnowledge.of("jane", List.of(
                alert("a1", "2026-11-02T08:00:00Z", ",\"group\":\"g1.0\",\"group_posterior\":0.995"),
                alert("a3", "2026-11-02T10:00:00Z", ""),
                alert("a2", "2026-11-02T09:00:00Z", ",\"group\":\"g4.1\",\"group_posterior\":0.999")));
        assertThat(s.group()).isEqualTo(new UserKnowledge.Group("g4.1", 0.999, 1_793_610_000_000L, "a2"));
        assertThat(s.places()).extracting(UserKnowledge.Seen::value).containsExactly("US / San Jose");
        assertThat(s.places().get(0).count()).isEqualTo(3);
    }

    @Test
    void aUserNoAlertTypedHasNoGroup() {
        assertThat(UserKnowledge.of("jane", List.of(alert("a1", "2026-11-02T08:00:00Z", ""))).group()).isNull();
    }
}
