package io.surprisal.tools.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/surprisal}: the local launcher's commands. */
@Command(
        name = "surprisal",
        mixinStandardHelpOptions = true,
        version = "surprisal 0.1.0",
        description = "Behaviour-anomaly detection for web services on Apache Flink, explained in bits.",
        subcommands = {RunCommand.class, EvalCommand.class, TrainCommand.class, GenerateCommand.class, PurchasesCommand.class, WatchCommand.class, BenchCommand.class})
public final class SurprisalCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    public static void main(String[] args) {
        int code = new CommandLine(new SurprisalCli())
                .setExecutionExceptionHandler((ex, cmd, parsed) -> {
                    cmd.getErr().println("surprisal: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
                    if (System.getenv("SURPRISAL_DEBUG") != null) {
                        ex.printStackTrace(cmd.getErr());
                    }
                    return 1;
                })
                .execute(args);
        System.exit(code);
    }
}
