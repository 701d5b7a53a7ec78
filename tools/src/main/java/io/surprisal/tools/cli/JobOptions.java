package io.surprisal.tools.cli;

import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.FileUtils;
import picocli.CommandLine.Option;

/** The options every command that runs the job shares: a config file and overrides, and Flink settings. */
final class JobOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration (defaults: conf/surprisal.yaml)")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one configuration key, e.g. detectors.transition.threshold-bits=14")
    List<String> sets = new ArrayList<>();

    @Option(names = "-D", paramLabel = "KEY=VALUE",
            description = "Override one of Flink's runtime settings of conf/flink/config.yaml, e.g. -Dstate.backend.type=hashmap")
    Map<String, String> flinkSettings = new LinkedHashMap<>();

    /** The configuration for a local run over {@code input}. */
    SurprisalConfig resolveLocal(Path input) {
        return resolveLocal(input, List.of());
    }

    /** The configuration for a local run over {@code input}, with {@code more} overrides after {@code --set}'s. */
    SurprisalConfig resolveLocal(Path input, List<String> more) {
        List<String> all = new ArrayList<>();
        all.add("source.type=file");
        all.add("source.file.path=" + input);
        all.addAll(sets);
        all.addAll(more);
        return ConfigLoader.load(config, all);
    }

    /** The {@code -D} settings, over Flink's configuration of a local run. */
    Configuration flinkSettings() {
        return Configuration.fromMap(flinkSettings);
    }

    /** A fresh working directory for one local run: checkpoints and the sinks' files. */
    static Path tempDir() throws IOException {
        return Files.createTempDirectory("surprisal-run");
    }

    /**
     * Deletes a run's working directory. Flink's checkpoint cleaner may still be removing old
     * checkpoints in it: Flink's own {@link FileUtils#deleteDirectory} skips an entry that vanishes
     * rather than stopping, which would leave the rest behind (a bench's copy of its events is
     * hundreds of MB), and a directory refilled meanwhile is tried again. What still stands after
     * three tries is named on stderr.
     */
    static void deleteTree(Path dir) {
        for (int attempt = 0; attempt < 3 && Files.exists(dir, LinkOption.NOFOLLOW_LINKS); attempt++) {
            try {
                FileUtils.deleteDirectory(dir.toFile());
            } catch (IOException notYetEmpty) {
                // the next try
            }
        }
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            System.err.println("surprisal: could not delete the run's working directory " + dir + "; it may be removed by hand");
        }
    }
}
