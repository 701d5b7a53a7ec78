package io.surprisal.job;

import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job's main, as {@code flink run surprisal-job.jar --config conf/surprisal.yaml [--set k=v ...]}
 * takes it: resolves the configuration once, chooses connectors, builds the graph, runs.
 */
public final class SurprisalJob {
    private SurprisalJob() {}

    public static void main(String[] args) throws Exception {
        SurprisalConfig config = parseArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobSettings.apply(env, config);
        SurprisalPipeline.Streams streams = SurprisalPipeline.build(config, Connectors.source(env, config));
        Connectors.attachSinks(streams, config);
        env.execute(config.job().name());
    }

    /** {@code --config FILE} and any number of {@code --set key.path=value}. */
    static SurprisalConfig parseArgs(String[] args) {
        Path file = null;
        List<String> sets = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> file = Path.of(value(args, ++i, "--config"));
                case "--set" -> sets.add(value(args, ++i, "--set"));
                default -> throw new IllegalArgumentException(
                        "unknown argument '" + args[i] + "'; usage: --config FILE [--set key.path=value ...]");
            }
        }
        return ConfigLoader.load(file, sets);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }
}
