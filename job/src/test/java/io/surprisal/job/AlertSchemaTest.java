package io.surprisal.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertBuilder;
import io.surprisal.alert.AlertJson;
import io.surprisal.event.Event;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schema in docs/schema against alerts the job's writer produces, and against broken ones. */
class AlertSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Alert alert(String tenant) {
        Event e = new Event();
        e.ts = 1_793_606_400_000L;
        e.eventId = "e-1";
        e.user = "jane";
        e.tenant = tenant;
        e.session = "s-1";
        e.action = "login";
        e.country = "UA";
        e.asn = 15895L;
        e.userAgent = "<script>alert(1)</script>\r\nBcc: x@example.com";
        e.extra = "{\"campaign\":{\"id\":7}}";
        e.bits = 12.25;
        return AlertBuilder.of("login-novelty", e, 20)
                .bits(14.5, 12.0)
                .summary("unusual login for jane")
                .reason("country", "UA", "US 40 of 40 logins", 9.5)
                .repeatOn("country=UA")
                .event(e)
                .build();
    }

    @Test
    void alertsOfTheWriterValidateWithAndWithoutTenant() throws Exception {
        AlertSchema schema = new AlertSchema();
        assertThat(schema.violations(AlertJson.toJson(alert(null)))).isEmpty();
        assertThat(schema.violations(AlertJson.toJson(alert("shop-eu")))).isEmpty();
    }

    @Test
    void theSchemaNamesEveryFieldTheWriterWritesAndRequiresAllButTheTenantAndTheGroup() throws Exception {
        AlertSchema schema = new AlertSchema();
        List<String> written = new ArrayList<>();
        Alert typed = alert("shop-eu");
        typed.group = "g1.0";
        typed.groupPosterior = 0.995;
        String json = AlertJson.toJson(typed);
        assertThat(schema.violations(json)).isEmpty();
        JSON.readTree(json).fieldNames().forEachRemaining(written::add);
        List<String> named = new ArrayList<>();
        schema.document.get("properties").fieldNames().forEachRemaining(named::add);
        List<String> required = new ArrayList<>();
        schema.document.get("required").forEach(n -> required.add(n.asText()));

        assertThat(named).containsExactlyInAnyOrderElementsOf(written);
        List<String> optional = new ArrayList<>(written);
        optional.removeAll(required);
        assertThat(optional).containsExactly("tenant", "group", "group_posterior");
        assertThat(written.get(0)).isEqualTo("schema_version");
    }

    @Test
    void brokenAlertsDoNot() throws Exception {
        AlertSchema schema = new AlertSchema();
        ObjectNode good = (ObjectNode) JSON.readTree(AlertJson.toJson(alert(null)));

        ObjectNode noRepeatKey = good.deepCopy();
        noRepeatKey.remove("repeat_key");
        assertThat(schema.violations(noRepeatKey.toString())).singleElement().asString().contains("repeat_key");

        ObjectNode nextMajor = good.deepCopy();
        nextMajor.put("schema_version", 2);
        assertThat(schema.violations(nextMajor.toString())).singleElement().asString().contains("schema_version");

        ObjectNode badTime = good.deepCopy();
        badTime.put("ts", "yesterday");
        assertThat(schema.violations(badTime.toString())).singleElement().asString().contains("ts");

        ObjectNode badSeverity = good.deepCopy();
        badSeverity.put("severity", "urgent");
        assertThat(schema.violations(badSeverity.toString())).isNotEmpty();

        // Within a major version fields are only added: a subscriber's schema lets a new field through.
        ObjectNode added = good.deepCopy();
        added.put("group", "g-7");
        assertThat(schema.violations(added.toString())).isEmpty();
    }
}
