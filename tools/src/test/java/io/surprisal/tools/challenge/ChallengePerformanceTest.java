package io.surprisal.tools.challenge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load run, not part of the normal suite: 500,000 batch events and 100,000 stream events over
 * 10,000 users, D = 2, T = 50, average degree 6. Run by hand with
 * {@code ./mvnw -q -B -o -pl tools -am test -Dtest=ChallengePerformanceTest -Dsurprisal.perf=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("perf")
@EnabledIfSystemProperty(named = "surprisal.perf", matches = "true")
class ChallengePerformanceTest {

    @TempDir
    Path temp;

    @Test
    void batchOf500kAndStreamOf100k() throws Exception {
        Path batch = temp.resolve("batch_log.json");
        Path stream = temp.resolve("stream_log.json");
        Path out = temp.resolve("flagged_purchases.json");
        long generationStart = System.nanoTime();
        ChallengeDataGenerator.Counts counts =
                ChallengeDataGenerator.generate(batch, stream, 10_000, 6.0, 500_000, 100_000, 2, 50, 2017);
        long generationMillis = (System.nanoTime() - generationStart) / 1_000_000;

        ChallengeResult result = ChallengeRunner.run(batch, stream, out);

        System.out.printf("perf: generated %s in %d ms (batch %d MB, stream %d MB)%n", counts, generationMillis,
                Files.size(batch) >> 20, Files.size(stream) >> 20);
        System.out.printf("perf: %s%n", result);
        System.out.printf("perf: ChallengeRunner.run wall time %d ms, flagged %d of %d judged%n",
                result.elapsed().toMillis(), result.flaggedPurchases(), result.purchasesJudged());
        assertThat(result.batchEvents()).isEqualTo(500_000);
        assertThat(result.streamEvents()).isEqualTo(100_000);
        assertThat(result.skippedLines()).isZero();
        assertThat(Files.readAllLines(out)).hasSize((int) result.flaggedPurchases());
    }
}
