package io.surprisal.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobOptionsTest {
    @TempDir
    Path root;

    @Test
    void aRunsWorkingDirectoryIsDeletedWholly() throws IOException {
        Path work = tree(root.resolve("work"), 5, 5);
        Files.writeString(work.resolve("bench-events.jsonl"), "{}\n");

        JobOptions.deleteTree(work);

        assertThat(work).doesNotExist();
        assertThat(root).isEmptyDirectory();
    }

    @Test
    void entriesRemovedByAnotherThreadMeanwhileDoNotStopTheDeletion() throws Exception {
        // As Flink's checkpoint cleaner removes old checkpoints while the run's directory goes.
        for (int round = 0; round < 20; round++) {
            Path work = tree(root.resolve("work-" + round), 60, 10);
            Files.writeString(work.resolve("bench-events.jsonl"), "{}\n");
            List<Path> checkpoints = new ArrayList<>();
            try (var dirs = Files.list(work)) {
                dirs.filter(Files::isDirectory).forEach(checkpoints::add);
            }
            Collections.shuffle(checkpoints, new Random(round));
            Thread cleaner = new Thread(() -> checkpoints.forEach(JobOptionsTest::deleteQuietly));
            cleaner.start();
            JobOptions.deleteTree(work);
            cleaner.join();

            assertThat(work).as("round %d", round).doesNotExist();
        }
    }

    /** A directory of {@code dirs} checkpoint-like directories of {@code files} files each. */
    private static Path tree(Path dir, int dirs, int files) throws IOException {
        for (int d = 0; d < dirs; d++) {
            Path chk = Files.createDirectories(dir.resolve("chk-" + d));
            for (int f = 0; f < files; f++) {
                Files.writeString(chk.resolve("part-" + f), "state");
            }
        }
        return dir;
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.list(dir)) {
            files.forEach(f -> f.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException gone) {
            // already deleted by the other side
        }
        dir.toFile().delete();
    }
}
