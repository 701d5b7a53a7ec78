package io.surprisal.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigConstants;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;

/**
 * Flink's configuration of an embedded MiniCluster (bin/surprisal's run, eval and bench, the tests):
 * the job's runtime settings from Flink's configuration directory, {@code FLINK_CONF_DIR}, which
 * bin/surprisal and the build's tests point at conf/flink, the standalone cluster's own. So a local
 * run uses the cluster's parallelism, state backend, RocksDB options, checkpoints, buffer timeout
 * and watermark interval, and a change to them is made in one file.
 */
public final class LocalClusterConfiguration {
    /**
     * The prefixes of the runtime settings a job runs with. The other keys of the file describe the
     * standalone cluster's processes (addresses, ports, memory, metric reporters, directories), which
     * an embedded cluster in another process must not take (it would bind the cluster's ports).
     */
    static final List<String> RUNTIME_PREFIXES = List.of("parallelism.", "state.", "execution.", "pipeline.", "restart-strategy.");

    private LocalClusterConfiguration() {}

    /**
     * The runtime settings of {@code FLINK_CONF_DIR}, checkpoints in {@code checkpointDir} (a local
     * run's own, not the cluster's), then {@code overrides} (e.g. a test's
     * {@code state.backend.type: hashmap}, or the launcher's {@code -D key=value}).
     */
    public static Configuration load(Path checkpointDir, Configuration overrides) {
        Configuration c = runtimeSettings(flinkConfDir());
        c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir.toUri().toString());
        // The managed memory of one task manager of conf/flink/config.yaml, which RocksDB's block cache
        // and write buffers come from (a MiniCluster's default, 128 MB, is a fifth of what that task
        // manager has).
        c.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("512m"));
        c.addAll(overrides);
        return c;
    }

    /**
     * {@link #load} for a run that keeps everything it writes in {@code workDir}: checkpoints in
     * {@code checkpoints/}, and Flink's temporary files in {@code tmp/} ({@code io.tmp.dirs}: the
     * MiniCluster's working directory, its RPC system's jar of about 20 MB, RocksDB's files), which
     * would otherwise stay in the system's temporary directory after each run. Deleting {@code
     * workDir} removes them all.
     */
    public static Configuration forRunIn(Path workDir, Configuration overrides) throws IOException {
        Configuration c = load(workDir.resolve("checkpoints"), overrides);
        if (!overrides.contains(CoreOptions.TMP_DIRS)) {
            c.set(CoreOptions.TMP_DIRS, Files.createDirectories(workDir.resolve("tmp")).toString());
        }
        return c;
    }

    /** The parallelism a local run with {@code overrides} has: the Flink configuration's, unless overridden. */
    public static int parallelism(Configuration overrides) {
        Configuration c = runtimeSettings(flinkConfDir());
        c.addAll(overrides);
        return c.get(CoreOptions.DEFAULT_PARALLELISM);
    }

    /** The runtime settings ({@link #RUNTIME_PREFIXES}) of the Flink configuration in {@code confDir}. */
    public static Configuration runtimeSettings(Path confDir) {
        Map<String, String> all = GlobalConfiguration.loadConfiguration(confDir.toString()).toMap();
        Configuration c = new Configuration();
        all.forEach((key, value) -> {
            if (RUNTIME_PREFIXES.stream().anyMatch(key::startsWith)) {
                c.setString(key, value);
            }
        });
        return c;
    }

    private static Path flinkConfDir() {
        String dir = System.getenv(ConfigConstants.ENV_FLINK_CONF_DIR);
        if (dir == null || dir.isBlank()) {
            throw new IllegalStateException(ConfigConstants.ENV_FLINK_CONF_DIR + " is not set: an embedded run takes Flink's "
                    + "runtime settings from its config.yaml (bin/surprisal and the build's tests set it to conf/flink)");
        }
        Path path = Path.of(dir);
        if (!Files.isRegularFile(path.resolve(GlobalConfiguration.FLINK_CONF_FILENAME))) {
            throw new IllegalStateException(ConfigConstants.ENV_FLINK_CONF_DIR + "=" + dir + " has no "
                    + GlobalConfiguration.FLINK_CONF_FILENAME);
        }
        return path;
    }
}
