package io.surprisal.tools.cli;

import io.surprisal.config.SurprisalConfig;
import io.surprisal.job.LocalRunner;
import io.surprisal.job.Utf8Writers;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code surprisal run}: the job on an embedded Flink MiniCluster over a file of events. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the job locally (embedded Flink, RocksDB) over a file of JSON-line events; write alerts as JSON lines.")
public final class RunCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, paramLabel = "FILE", description = "JSON-lines events")
    Path input;

    @Option(names = "--alerts-out", paramLabel = "FILE", description = "alerts as JSON lines (default: stdout)")
    Path alertsOut;

    @Option(names = "--dead-letters-out", paramLabel = "FILE",
            description = "dead letters as JSON lines (default: beside the alerts, <alerts>.dead-letters.jsonl, or ./dead-letters.jsonl)")
    Path deadLettersOut;

    @Option(names = "--sessions-out", paramLabel = "FILE",
            description = "closed sessions' feature vectors as JSON lines (docs/session-vectors.md); turns model.session.emit-vectors on")
    Path sessionsOut;

    @Option(names = "--logins-out", paramLabel = "FILE",
            description = "logins' feature vectors as JSON lines (docs/login-vectors.md); turns novelty.emit-vectors on")
    Path loginsOut;

    @Mixin
    JobOptions job = new JobOptions();

    @Override
    public Integer call() throws Exception {
        if (sessionsOut != null) {
            job.sets.add("model.session.emit-vectors=true");
        }
        if (loginsOut != null) {
            job.sets.add("novelty.emit-vectors=true");
        }
        LocalRunner.Result r = runAndWrite(input, alertsOut, deadLettersOut, job);
        if (sessionsOut != null) {
            writeLines(sessionsOut, r.closedSessions());
        }
        if (loginsOut != null) {
            writeLines(loginsOut, r.logins());
        }
        RunSummary.print(System.err, input.toString(), r);
        return 0;
    }

    /** Writes {@code lines} to {@code file}, one a line; shared with {@code eval}. */
    static void writeLines(Path file, List<String> lines) throws IOException {
        try (Writer w = Utf8Writers.of(file)) {
            for (String s : lines) {
                w.write(s);
                w.write('\n');
            }
        }
    }

    /** Runs the job over {@code input} and writes alerts and dead letters; shared with {@code eval}. */
    static LocalRunner.Result runAndWrite(Path input, Path alertsOut, Path deadLettersOut, JobOptions job) throws Exception {
        if (!Files.isReadable(input)) {
            throw new IOException("cannot read input " + input);
        }
        Path work = JobOptions.tempDir();
        try {
            SurprisalConfig config = job.resolveLocal(input.toAbsolutePath());
            var ticker = RunSummary.startProgress(System.err);
            LocalRunner.Result r;
            try {
                r = LocalRunner.run(config, job.flinkSettings(), input.toAbsolutePath(), work);
            } finally {
                RunSummary.stopProgress(System.err, ticker);
            }
            try (Writer w = alertsOut == null ? Utf8Writers.of(System.out) : Utf8Writers.of(alertsOut)) {
                for (String a : r.alerts()) {
                    w.write(a);
                    w.write('\n');
                }
            }
            Path dl = deadLettersOut != null ? deadLettersOut : defaultDeadLetters(alertsOut);
            try (Writer w = Utf8Writers.of(dl)) {
                for (String d : r.deadLetters()) {
                    w.write(d);
                    w.write('\n');
                }
            }
            return r;
        } finally {
            JobOptions.deleteTree(work);
        }
    }

    static Path defaultDeadLetters(Path alertsOut) {
        if (alertsOut == null) {
            return Path.of("dead-letters.jsonl");
        }
        String name = alertsOut.getFileName().toString();
        String base = name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name;
        return alertsOut.resolveSibling(base + ".dead-letters.jsonl");
    }
}
