package io.surprisal.tools.methods;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionVectorsTest {

  @Test
  void readsTheJobsLinesWithSortedColumnsAndMissingValuesAsNaN(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sessions.jsonl");
    Files.writeString(file, String.join("\n",
        "{\"user\":\"u1\",\"session\":\"s1\",\"start\":\"2026-01-01T10:00:00Z\",\"ts\":\"2026-01-01T10:05:00Z\",\"closed_by\":\"logout\",\"features\":{\"events\":7,\"visit_gap_s\":null,\"duration_s\":300.5}}",
        "{\"user\":\"u2\",\"tenant\":\"t\",\"session\":null,\"ts\":1767225600000,\"features\":{\"events\":2,\"amount\":12.25}}",
        ""));
    SessionVectors v = SessionVectors.read(file);
    assertThat(v.featureNames()).containsExactly("amount", "duration_s", "events", "visit_gap_s");
    assertThat(v.sessions()).hasSize(2);
    SessionVector first = v.sessions().get(0);
    assertThat(first.user()).isEqualTo("u1");
    assertThat(first.ts()).isEqualTo(Instant.parse("2026-01-01T10:05:00Z"));
    assertThat(first.features()).containsExactly(Double.NaN, 300.5, 7, Double.NaN);
    SessionVector second = v.sessions().get(1);
    assertThat(second.ts()).isEqualTo(Instant.ofEpochMilli(1767225600000L));
    assertThat(second.features()).containsExactly(12.25, Double.NaN, 2, Double.NaN);
  }

  @Test
  void aMissingValueNeitherTrainsNorScores() {
    double[][] training = {{1, Double.NaN}, {2, 5}, {3, 5}, {4, 7}, {5, 3}};
    OutlierMethod.Fitted z = new ZScore().fit(training);
    assertThat(z.score(new double[] {3, Double.NaN})).isZero();
    OutlierMethod.Fitted lof = new LocalOutlierFactor(2).fit(training);
    assertThat(lof.score(new double[] {3, Double.NaN})).isFinite();
  }
}
