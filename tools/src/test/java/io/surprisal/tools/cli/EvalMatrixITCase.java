package io.surprisal.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surprisal.sim.World;
import io.surprisal.sim.eval.MatrixReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code surprisal eval --matrix} end to end on a tiny grid: every world is generated, run through
 * the job on a MiniCluster (the same path as {@code eval}) and scored; the table names every world
 * and every abnormal group, and the JSON report has the figures behind it.
 */
class EvalMatrixITCase {

    @Test
    void aTinyMatrixHasEveryWorldAndEveryGroup(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("matrix.json");
        Path keep = dir.resolve("worlds");
        // every world at the 100-user floor; small-site keeps its week of history
        String table = evalPrinting("eval", "--matrix", "--seed", "3",
                "--scale", "0.001", "--law-budget", "12", "--report", report.toString(), "--keep", keep.toString());
        List<String> lines = table.lines().toList();

        // one row per world, in preset order, with its population
        for (World w : World.PRESETS) {
            assertThat(lines).as(w.name()).anySatisfy(l -> assertThat(l).startsWith(String.format("%-13s %,7d", w.name(), 100)));
        }
        // stdout also carries the test classpath's log lines: find the table by its header
        String header = lines.stream().filter(l -> l.startsWith("world ")).findFirst().orElseThrow();
        assertThat(header).contains("precision", "recall", "FPR");
        for (MatrixReport.Group g : MatrixReport.GROUPS) {
            assertThat(header).contains(g.name());
        }
        assertThat(table).contains("normal users flagged, per detector").contains("targets (every world)")
                .contains("(LengthLawOracle) at 2^-12 a user-day");

        JsonNode json = new ObjectMapper().readTree(Files.readString(report));
        assertThat(json.path("seed").asLong()).isEqualTo(3);
        assertThat(json.path("law_budget_bits").asDouble()).isEqualTo(12.0);
        JsonNode worlds = json.path("worlds");
        assertThat(worlds).hasSize(World.PRESETS.size());
        for (int i = 0; i < worlds.size(); i++) {
            JsonNode w = worlds.get(i);
            assertThat(w.path("world").asText()).isEqualTo(World.PRESETS.get(i).name());
            assertThat(w.path("users").asInt()).isEqualTo(100);
            assertThat(w.path("events").asLong()).isPositive();
            long scored = w.path("true_positives").asLong() + w.path("false_positives").asLong()
                    + w.path("false_negatives").asLong() + w.path("true_negatives").asLong();
            assertThat(scored).isPositive().isLessThanOrEqualTo(100);
            for (MatrixReport.Group g : MatrixReport.GROUPS) {
                // at least one of every group per world (the scaled minPerKind), all active on the scored day
                assertThat(w.path("groups").path(g.name()).path("users").asInt())
                        .as(w.path("world").asText() + " " + g.name()).isPositive();
            }
            // the kept files are the world's
            Path files = keep.resolve(w.path("world").asText());
            assertThat(files.resolve("labels.csv")).exists();
            assertThat(Files.readAllLines(files.resolve("labels.csv"))).hasSize(101);
            assertThat(Files.lines(files.resolve("events.jsonl")).count()).isEqualTo(w.path("events").asLong());
        }
        // many-new has users with no history, and the evaluation sees them
        assertThat(worlds.get(World.PRESETS.indexOf(World.MANY_NEW)).path("new_normal_users").asInt()).isPositive();
    }

    @Test
    void matrixRefusesAnInputFileAndUnknownWorlds() {
        CommandLine cli = new CommandLine(new SurprisalCli());
        cli.setErr(new java.io.PrintWriter(new java.io.StringWriter()));
        assertThat(cli.execute("eval", "--matrix", "--input", "x.jsonl")).isNotZero();
        assertThat(cli.execute("eval", "--matrix", "--worlds", "nope")).isNotZero();
        assertThat(cli.execute("eval")).isNotZero();
        // a budget the oracles cannot be held to is refused before any world is generated
        assertThat(cli.execute("eval", "--matrix", "--law-budget", "0")).isNotZero();
        assertThat(cli.execute("eval", "--matrix", "--law-budget", "41")).isNotZero();
        assertThat(cli.execute("eval", "--matrix", "--law-budget", "Infinity")).isNotZero();
        // one seed or several, and seeds that are not numbers or ranges, refused before any world is generated
        assertThat(cli.execute("eval", "--matrix", "--seed", "1", "--seeds", "1-2")).isNotZero();
        assertThat(cli.execute("eval", "--matrix", "--seeds", "3-1")).isNotZero();
        assertThat(cli.execute("eval", "--matrix", "--seeds", "one")).isNotZero();
    }

    @Test
    void severalSeedsGiveEachSeedsTableThenOneRowASeedAndEverySeedAddedUp(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("seeds.json");
        Path keep = dir.resolve("worlds");
        List<String> lines = evalPrinting("eval", "--matrix", "--seeds", "3-4", "--worlds", "default",
                "--scale", "0.02", "--report", report.toString(), "--keep", keep.toString()).lines().toList();
        assertThat(lines).contains("== seed 3", "== seed 4", "every world of each seed added up (2 seeds)");
        assertThat(keep.resolve("seed-3").resolve("default").resolve("labels.csv")).exists();
        assertThat(keep.resolve("seed-4").resolve("default").resolve("labels.csv")).exists();

        JsonNode json = new ObjectMapper().readTree(Files.readString(report));
        JsonNode seeds = json.path("seeds");
        assertThat(seeds).hasSize(2);
        assertThat(seeds.get(0).path("seed").asLong()).isEqualTo(3);
        assertThat(seeds.get(1).path("seed").asLong()).isEqualTo(4);
        // each seed's row is its world's figures, and every seed added up is the sum of the two
        for (MatrixReport.Group g : MatrixReport.GROUPS) {
            int users = 0;
            int flagged = 0;
            for (JsonNode s : seeds) {
                users += s.path("all_worlds").path("groups").path(g.name()).path("users").asInt();
                flagged += s.path("all_worlds").path("groups").path(g.name()).path("flagged").asInt();
            }
            JsonNode all = json.path("all_seeds").path("groups").path(g.name());
            assertThat(all.path("users").asInt()).as(g.name()).isEqualTo(users).isPositive();
            assertThat(all.path("flagged").asInt()).as(g.name()).isEqualTo(flagged);
        }
        long normal = 0;
        for (JsonNode s : seeds) {
            normal += s.path("all_worlds").path("false_positives").asLong() + s.path("all_worlds").path("true_negatives").asLong();
            String row = String.format("%-12s", s.path("seed").asText());
            long seedNormal = s.path("all_worlds").path("false_positives").asLong() + s.path("all_worlds").path("true_negatives").asLong();
            assertThat(lines).as("seed " + s.path("seed")).anySatisfy(l -> assertThat(l).startsWith(row)
                    .contains(" " + s.path("all_worlds").path("false_positives").asLong() + "/" + seedNormal + " "));
        }
        assertThat(json.path("all_seeds").path("false_positives").asLong() + json.path("all_seeds").path("true_negatives").asLong())
                .isEqualTo(normal).isPositive();
        String pooledNormal = " " + json.path("all_seeds").path("false_positives").asLong() + "/" + normal + " ";
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("all seeds ").contains(pooledNormal));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("lowest seed ").contains("(seed "));
        // two seeds are two populations, not one run twice
        assertThat(seeds.get(0).path("worlds").get(0).path("events").asLong())
                .isNotEqualTo(seeds.get(1).path("worlds").get(0).path("events").asLong());
    }

    /** Runs the command line, asserts it succeeded, and returns what it printed to stdout. */
    private static String evalPrinting(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = new CommandLine(new SurprisalCli()).execute(args);
        } finally {
            System.setOut(stdout);
        }
        assertThat(code).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }
}
