package io.surprisal.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorCliTest {

  @Test
  void writesEventsAndLabelsAndStopsAtTheBudget(@TempDir Path dir) throws Exception {
    Path events = dir.resolve("e.jsonl");
    Path labels = dir.resolve("l.csv");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    long n = SimulatorCli.run(new String[] {"--users", "300", "--seed", "5", "--max-events", "2500",
        "--out", events.toString(), "--labels", labels.toString()},
        new PrintStream(log, true, StandardCharsets.UTF_8));
    assertThat(n).isEqualTo(2500);
    assertThat(Files.readAllLines(events)).hasSize(2500);
    List<String> labelLines = Files.readAllLines(labels);
    assertThat(labelLines).hasSize(301).first().isEqualTo(UserLabel.CSV_HEADER);
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("2500 events, 300 users");
    // the same as the library with the same config
    SimulatorConfig config = SimulatorConfig.forEventBudget(300, 2500, 5);
    java.io.StringWriter w = new java.io.StringWriter();
    new Simulator(config).writeEvents(w, 2500);
    assertThat(Files.readString(events)).isEqualTo(w.toString());
  }

  @Test
  void rejectsUnknownOptions() {
    assertThatThrownBy(() -> SimulatorCli.run(new String[] {"--nope", "1"}, System.err))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--nope");
  }
}
