package io.surprisal.tools.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session labels, the split by user, and the grid's CSV. */
class GridSearchTest {
    @TempDir
    Path dir;

    @Test
    void anAttackedUsersSessionsAreMaliciousFromTheAttacksStart() throws Exception {
        Path csv = Files.writeString(dir.resolve("labels.csv"), """
                user,type,scenario,scenario_start
                u1,buyer,none,
                u2,bot,none,
                u3,buyer,takeover,2026-11-03T10:00:00Z
                u4,merchant,travel,2026-11-03T10:00:00Z
                """, StandardCharsets.UTF_8);
        Labels l = Labels.read(csv);
        long before = java.time.Instant.parse("2026-11-03T09:59:59Z").toEpochMilli();
        long after = java.time.Instant.parse("2026-11-03T10:00:00Z").toEpochMilli();
        assertThat(l.malicious("u1", after)).isFalse();
        assertThat(l.malicious("u2", before)).isTrue();
        assertThat(l.malicious("u3", before)).isFalse();
        assertThat(l.malicious("u3", after)).isTrue();
        assertThat(l.malicious("u4", after)).as("a hard negative").isFalse();
        assertThat(l.knows("u9")).isFalse();
    }

    @Test
    void everyCombinationIsScoredWithAUsersSessionsInOneFold() throws Exception {
        List<LabelledRow> rows = OnnxParityTest.rows(300, 3);
        GridSearch search = new GridSearch(OnnxParityTest.NAMES, 3, 0.5, 11);
        for (String user : rows.stream().map(LabelledRow::user).collect(Collectors.toSet())) {
            assertThat(search.foldOf(user)).isBetween(0, 2);
        }
        List<Candidate> grid = Grid.candidates(11).stream().filter(c -> c.family().equals("cart") || c.family().equals("logistic-regression")).toList();
        List<GridSearch.Result> results = search.run(grid, rows, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        assertThat(results).hasSize(grid.size());
        long malicious = rows.stream().filter(LabelledRow::malicious).count();
        for (GridSearch.Result r : results) {
            // Each session is tested exactly once, in the fold of its user.
            assertThat(r.pooled().tp + r.pooled().fn).isEqualTo(malicious);
            assertThat(r.pooled().tp + r.pooled().fp + r.pooled().fn + r.pooled().tn).isEqualTo(rows.size());
        }
        GridSearch.Result best = GridSearch.best(results);
        assertThat(best.candidate().onnx()).isTrue();
        Path csv = dir.resolve("grid.csv");
        GridSearch.writeCsv(csv, results, 3, 0.5, best.id());
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(grid.size() + 1);
        assertThat(lines.get(0)).startsWith("id,family,params,onnx_exportable,folds,threshold,tp,fp,fn,tn,precision,recall,f1");
        assertThat(lines.stream().filter(l -> l.endsWith(",true"))).hasSize(1).allSatisfy(l -> assertThat(l).startsWith(best.id() + ","));
    }

    @Test
    void aUserIsHeldOutOrNotWhateverTheRun() {
        long held = OnnxParityTest.rows(1000, 1).stream().map(LabelledRow::user).distinct().filter(u -> Splits.heldOut(1, u, 30)).count();
        assertThat(held).isBetween(5L, 30L); // of 50 users
        assertThat(Splits.heldOut(1, "u7", 30)).isEqualTo(Splits.heldOut(1, "u7", 30));
    }
}
