package io.surprisal.job.cli;

import io.surprisal.event.EventParser;
import io.surprisal.job.LocalRunner;
import io.surprisal.sim.eval.EvalConfig;
import io.surprisal.sim.eval.EvalReport;
import io.surprisal.sim.eval.Evaluation;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code surprisal eval}: runs the job exactly as {@code run} does, then scores it against labels. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Run the job over labelled events (as `run` does) and print recall, precision and false-positive rate per profile and scenario, beside the seed notebook's method.")
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, paramLabel = "FILE", description = "events as JSON lines (from `generate`)")
    Path input;

    @Option(names = "--labels", required = true, paramLabel = "FILE", description = "labels CSV (from `generate`)")
    Path labels;

    @Option(names = "--learn-days", defaultValue = "1", description = "days the detectors learn before users are scored (default ${DEFAULT-VALUE})")
    int learnDays;

    @Option(names = "--report", paramLabel = "FILE", description = "also write the table as JSON")
    Path report;

    @Option(names = "--alerts-out", paramLabel = "FILE", description = "keep the alerts (default: a temporary file)")
    Path alertsOut;

    @Mixin
    JobOptions job = new JobOptions();

    @Override
    public Integer call() throws Exception {
        Path alerts = alertsOut != null ? alertsOut : Files.createTempFile("surprisal-eval-alerts", ".jsonl");
        Path dead = RunCommand.defaultDeadLetters(alerts);
        try {
            LocalRunner.Result r = RunCommand.runAndWrite(input, alerts, dead, job);
            RunSummary.print(System.err, input.toString(), r);
            EvalReport rep = Evaluation.evaluate(input, labels, alerts, new EvalConfig(learnDays, firstDay(input)));
            System.out.println(rep.toTable());
            if (report != null) {
                Files.writeString(report, rep.toJson(), StandardCharsets.UTF_8);
            }
            return 0;
        } finally {
            if (alertsOut == null) {
                Files.deleteIfExists(alerts);
                Files.deleteIfExists(dead);
            }
        }
    }

    /** Midnight UTC of the first event's day: day 0 of the evaluation. */
    static Instant firstDay(Path input) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    return Instant.ofEpochMilli(EventParser.parse(line).ts).truncatedTo(ChronoUnit.DAYS);
                } catch (EventParser.InvalidEventException e) {
                    // skip lines the job would dead-letter too
                }
            }
        }
        throw new IOException(input + " holds no event");
    }
}
