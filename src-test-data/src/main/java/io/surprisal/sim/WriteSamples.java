package io.surprisal.sim;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the committed samples in {@code src-test-data/samples/}. The parameters below are the
 * only source of truth: a test regenerates the samples and compares bytes.
 *
 * <p>Usage (from the repository root): {@code java -cp src-test-data/target/classes
 * io.surprisal.sim.WriteSamples [outputDir]} (default {@code src-test-data/samples}).
 *
 * <p>The samples are smaller than the full population shares would need (2 MB and 1 MB limits at
 * roughly 400 bytes an event), so they use {@code minPerKind = 1} to contain every abnormal
 * profile and every scenario, and a visit cap so that bots do not fill the file.
 */
public final class WriteSamples {

  /** One committed sample: file base name and the exact simulator config. */
  public record Sample(String name, SimulatorConfig config) {
    /** Gzipped JSON lines: a population large enough to learn from, small enough to commit. */
    public String eventsFile() {
      return name + ".jsonl.gz";
    }

    public String labelsFile() {
      return name + ".labels.csv";
    }
  }

  /** 80 users x 2 days, seed 7; for MiniCluster tests (learn on day 0, score day 1). */
  public static final Sample TEST_SAMPLE = new Sample("test-sample",
      new SimulatorConfig(1000, 2, 7L, SimulatorConfig.DEFAULT_START, 2, 300));

  /** 30 users x 2 days, seed 11; for the README quick start. */
  public static final Sample QUICKSTART = new Sample("quickstart",
      new SimulatorConfig(400, 2, 7L, SimulatorConfig.DEFAULT_START, 2, 300));

  public static final List<Sample> SAMPLES = List.of(TEST_SAMPLE, QUICKSTART);

  private WriteSamples() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "src-test-data/samples");
    Files.createDirectories(dir);
    for (Sample sample : SAMPLES) {
      Simulator sim = new Simulator(sample.config());
      long events;
      try (Writer w = gzipWriter(dir.resolve(sample.eventsFile()))) {
        events = sim.writeEvents(w);
      }
      try (Writer w = writer(dir.resolve(sample.labelsFile()))) {
        sim.writeLabels(w);
      }
      System.out.println(sample.name() + ": " + events + " events -> " + dir.resolve(sample.eventsFile()));
    }
  }

  /** Gzip with no timestamp in its header (Java writes 0), so the bytes depend on the content only. */
  private static Writer gzipWriter(Path path) throws IOException {
    return new BufferedWriter(new OutputStreamWriter(
        new java.util.zip.GZIPOutputStream(Files.newOutputStream(path), 1 << 16), StandardCharsets.UTF_8));
  }

  private static Writer writer(Path path) throws IOException {
    return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(path), StandardCharsets.UTF_8));
  }

  /** The events file content of a sample, as it would be written. */
  public static String eventsText(Sample sample) {
    StringWriter w = new StringWriter();
    new Simulator(sample.config()).writeEvents(w);
    return w.toString();
  }

  /** The labels file content of a sample, as it would be written. */
  public static String labelsText(Sample sample) {
    StringWriter w = new StringWriter();
    new Simulator(sample.config()).writeLabels(w);
    return w.toString();
  }
}
