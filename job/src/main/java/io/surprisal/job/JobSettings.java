package io.surprisal.job;

import io.surprisal.config.SurprisalConfig;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Applies the configuration's state, checkpoint and serialization settings to an environment. */
public final class JobSettings {
    private JobSettings() {}

    /** The Flink configuration the job's settings amount to. */
    public static Configuration flinkConfiguration(SurprisalConfig config) {
        Configuration c = new Configuration();
        c.set(PipelineOptions.NAME, config.job().name());
        // Every type must have a Flink serializer: a Kryo fallback is a bug, not a slowdown.
        c.set(PipelineOptions.GENERIC_TYPES, false);
        c.set(StateBackendOptions.STATE_BACKEND,
                config.state().backend() == SurprisalConfig.StateBackendType.ROCKSDB ? "rocksdb" : "hashmap");
        c.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, config.state().incremental());
        c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, config.state().checkpointDir());
        return c;
    }

    public static void apply(StreamExecutionEnvironment env, SurprisalConfig config) {
        env.configure(flinkConfiguration(config));
        if (config.job().parallelism() > 0) {
            env.setParallelism(config.job().parallelism());
        }
        long interval = config.state().checkpointInterval().toMillis();
        if (interval > 0) {
            env.enableCheckpointing(interval, CheckpointingMode.EXACTLY_ONCE);
        }
    }
}
