package io.surprisal.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.config.ConfigLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoreBenchTest {
    @TempDir
    Path dir;

    private static String event(String ts, String user, String session, String action) {
        return "{\"ts\":\"2026-11-02T00:" + ts + "Z\",\"event_id\":\"e-" + user + "-" + ts + "\",\"user\":\"" + user + "\",\"session\":\""
                + session + "\",\"action\":\"" + action + "\",\"status\":\"success\",\"ip\":\"10.0.0.1\",\"country\":\"DE\"}";
    }

    /**
     * u1 ends three visits with a logout; u2's first visit is closed by their second, which is
     * still open at the end: four sessions closed.
     */
    private Path events() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int v = 0; v < 3; v++) {
            lines.add(event(String.format("%02d:00", 10 * v), "u1", "s1-" + v, "login"));
            lines.add(event(String.format("%02d:10", 10 * v), "u1", "s1-" + v, "view_item"));
            lines.add(event(String.format("%02d:20", 10 * v), "u1", "s1-" + v, "logout"));
        }
        lines.add(event("40:00", "u2", "s2-0", "login"));
        lines.add(event("40:10", "u2", "s2-0", "view_item"));
        lines.add(event("50:00", "u2", "s2-1", "login"));
        lines.add(event("50:10", "u2", "s2-1", "view_item"));
        Path file = dir.resolve("events.jsonl");
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void theClosedVisitsDetectorsAndTheGroupsHearEverySessionTheScorerCloses() throws Exception {
        CoreBench.Result r = CoreBench.run(ConfigLoader.defaults(), events(), Long.MAX_VALUE);

        assertThat(r.events()).isEqualTo(13);
        assertThat(r.sessionsClosed()).isEqualTo(4);
        assertThat(r.detectorNanos()).isPositive();
    }

    @Test
    void withNothingListeningNoSessionIsHandedOn() throws Exception {
        var config = ConfigLoader.load(null, List.of("detectors.session-profile.enabled=false", "detectors.session-forest.enabled=false",
                "model.groups.enabled=false")); // the model detector is off while no model is given

        CoreBench.Result r = CoreBench.run(config, events(), Long.MAX_VALUE);

        assertThat(r.events()).isEqualTo(13);
        assertThat(r.sessionsClosed()).isZero();
    }
}
