package io.surprisal.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.config.ConfigLoader;
import io.surprisal.sim.Simulator;
import io.surprisal.sim.SimulatorConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoreBenchTest {
    @TempDir
    Path dir;

    private static String event(String ts, String tenant, String user, String session, String action) {
        return "{\"ts\":\"2026-11-02T00:" + ts + "Z\",\"event_id\":\"e-" + tenant + user + "-" + ts + "\"," + (tenant.isEmpty() ? ""
                : "\"tenant\":\"" + tenant + "\",") + "\"user\":\"" + user + "\",\"session\":\"" + session + "\",\"action\":\"" + action
                + "\",\"status\":\"success\",\"ip\":\"10.0.0.1\",\"country\":\"DE\"}";
    }

    @Test
    void everySessionTheScorerClosesIsCountedUserByUserAndTenantByTenant() throws Exception {
        List<String> lines = new ArrayList<>();
        // u1 ends three visits with a logout.
        for (int v = 0; v < 3; v++) {
            lines.add(event(String.format("%02d:00", 10 * v), "", "u1", "s1-" + v, "login"));
            lines.add(event(String.format("%02d:10", 10 * v), "", "u1", "s1-" + v, "view_item"));
            lines.add(event(String.format("%02d:20", 10 * v), "", "u1", "s1-" + v, "logout"));
        }
        // u2's first visit is closed by their second, which is still open at the end.
        lines.add(event("40:00", "", "u2", "s2-0", "login"));
        lines.add(event("40:10", "", "u2", "s2-0", "view_item"));
        lines.add(event("50:00", "", "u2", "s2-1", "login"));
        lines.add(event("50:10", "", "u2", "s2-1", "view_item"));
        // u3 of tenant a and u3 of tenant b are two users: b's visit does not close a's, a's logout closes only a's.
        lines.add(event("52:00", "a", "u3", "s3-a", "login"));
        lines.add(event("52:10", "b", "u3", "s3-b", "login"));
        lines.add(event("52:20", "a", "u3", "s3-a", "logout"));
        Path file = dir.resolve("events.jsonl");
        Files.write(file, lines, StandardCharsets.UTF_8);

        CoreBench.Result r = CoreBench.run(ConfigLoader.defaults(), file, Long.MAX_VALUE);

        assertThat(r.events()).isEqualTo(16);
        assertThat(r.sessionsClosed()).isEqualTo(5);
    }

    @Test
    void theClosedVisitsDetectorsAmountAndTheGroupsWorkInTheCores() throws Exception {
        Path file = dir.resolve("simulated.jsonl");
        Iterator<String> simulated = new Simulator(SimulatorConfig.forEventBudget(3_000, 200_000, 1)).eventLines();
        List<String> lines = new ArrayList<>();
        while (simulated.hasNext() && lines.size() < 200_000) {
            lines.add(simulated.next());
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
        var without = ConfigLoader.load(null, List.of("detectors.session-profile.enabled=false", "detectors.session-forest.enabled=false",
                "detectors.amount.enabled=false", "model.groups.enabled=false"));

        CoreBench.Result all = CoreBench.run(ConfigLoader.defaults(), file, Long.MAX_VALUE);
        CoreBench.Result others = CoreBench.run(without, file, Long.MAX_VALUE);

        assertThat(all.events()).isEqualTo(others.events()).isEqualTo(lines.size());
        assertThat(all.sessionsClosed()).isEqualTo(others.sessionsClosed()).isPositive();
        assertThat(all.alertsByDetector()).containsKeys("session-profile", "amount");
        assertThat(others.alertsByDetector()).doesNotContainKeys("session-profile", "session-forest", "amount", "group-change");
        // The groups name the alerts of users they have typed; the rest of the cores judge as without them.
        assertThat(all.alertsWithGroup()).isPositive();
        assertThat(others.alertsWithGroup()).isZero();
        for (String detector : others.alertsByDetector().keySet()) {
            assertThat(all.alertsByDetector().get(detector)).as(detector).isEqualTo(others.alertsByDetector().get(detector));
        }
    }
}
