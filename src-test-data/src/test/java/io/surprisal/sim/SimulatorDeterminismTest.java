package io.surprisal.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.util.Iterator;
import org.junit.jupiter.api.Test;

class SimulatorDeterminismTest {

  private static final SimulatorConfig CONFIG =
      SimulatorConfig.of(400, 2, 1234L).withMaxEventsPerVisit(300).withMinPerKind(1);

  private static String events(SimulatorConfig config) {
    StringWriter w = new StringWriter();
    long n = new Simulator(config).writeEvents(w);
    assertThat(n).isPositive();
    return w.toString();
  }

  private static String labels(SimulatorConfig config) {
    StringWriter w = new StringWriter();
    new Simulator(config).writeLabels(w);
    return w.toString();
  }

  @Test
  void sameSeedGivesSameBytes() {
    assertThat(events(CONFIG)).isEqualTo(events(CONFIG));
    assertThat(labels(CONFIG)).isEqualTo(labels(CONFIG));
  }

  @Test
  void differentSeedsDiffer() {
    SimulatorConfig other = new SimulatorConfig(400, 2, 1235L, CONFIG.start(), 1, 300);
    assertThat(events(other)).isNotEqualTo(events(CONFIG));
    assertThat(labels(other)).isNotEqualTo(labels(CONFIG));
  }

  @Test
  void iteratorMatchesWriterAndCanStopEarly() {
    String written = events(CONFIG);
    Iterator<String> lines = new Simulator(CONFIG).eventLines();
    StringBuilder firstHundred = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      firstHundred.append(lines.next()).append('\n');
    }
    assertThat(written).startsWith(firstHundred.toString());
    StringWriter capped = new StringWriter();
    assertThat(new Simulator(CONFIG).writeEvents(capped, 100)).isEqualTo(100);
    assertThat(capped.toString()).isEqualTo(firstHundred.toString());
  }

  @Test
  void eventBudgetConfigHasEnoughEvents() {
    SimulatorConfig config = SimulatorConfig.forEventBudget(2_000, 150_000, 5L);
    Iterator<String> lines = new Simulator(config).eventLines();
    long n = 0;
    while (n < 150_000 && lines.hasNext()) {
      lines.next();
      n++;
    }
    assertThat(n).isEqualTo(150_000);
  }
}
