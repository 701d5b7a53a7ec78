package io.surprisal.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The committed samples are exactly what {@link WriteSamples} produces now. */
class SamplesTest {
  // Surefire runs with the module directory as working directory.
  private static final Path SAMPLES = Path.of("samples");

  private static String read(String file) throws Exception {
    if (file.endsWith(".gz")) {
      try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(SAMPLES.resolve(file)))) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
    return Files.readString(SAMPLES.resolve(file), StandardCharsets.UTF_8);
  }

  @Test
  void committedSamplesAreByteIdenticalToTheGenerator() throws Exception {
    for (WriteSamples.Sample sample : WriteSamples.SAMPLES) {
      assertThat(read(sample.eventsFile())).as(sample.eventsFile())
          .isEqualTo(WriteSamples.eventsText(sample));
      assertThat(read(sample.labelsFile())).as(sample.labelsFile())
          .isEqualTo(WriteSamples.labelsText(sample));
    }
  }

  @Test
  void samplesAreSmallAndContainEveryKind() throws Exception {
    long testSize = Files.size(SAMPLES.resolve("test-sample.jsonl.gz"))
        + Files.size(SAMPLES.resolve("test-sample.labels.csv"));
    long quickSize = Files.size(SAMPLES.resolve("quickstart.jsonl.gz"))
        + Files.size(SAMPLES.resolve("quickstart.labels.csv"));
    assertThat(testSize).isLessThanOrEqualTo(2_000_000);
    assertThat(quickSize).isLessThanOrEqualTo(1_000_000);
    for (WriteSamples.Sample sample : WriteSamples.SAMPLES) {
      Set<String> types = read(sample.labelsFile()).lines().skip(1)
          .map(l -> l.split(",", -1)[1]).collect(Collectors.toSet());
      Set<String> scenarios = read(sample.labelsFile()).lines().skip(1)
          .map(l -> l.split(",", -1)[2]).collect(Collectors.toSet());
      assertThat(types).containsAll(
          Arrays.stream(Profile.values()).map(Profile::label).toList());
      // every scenario the sample's world gives a share (the legacy world has no impossible travel)
      assertThat(scenarios).containsAll(Arrays.stream(Scenario.values())
          .filter(s -> s == Scenario.NONE || sample.config().world().scenarioShare(s) > 0)
          .map(Scenario::label).toList());
    }
  }
}
