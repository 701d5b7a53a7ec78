package io.surprisal.job;

import io.surprisal.config.SurprisalConfig;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * What the job sets on its environment itself, whichever cluster runs it: properties of its graph,
 * not of the runtime. Parallelism, state backend, RocksDB, checkpoints, buffer timeout and watermark
 * interval are Flink's configuration (conf/flink/config.yaml, the FlinkDeployment's
 * flinkConfiguration, {@link LocalClusterConfiguration} for embedded runs); the job never overrides them.
 */
public final class JobSettings {
    private JobSettings() {}

    public static void apply(StreamExecutionEnvironment env, SurprisalConfig config) {
        Configuration c = new Configuration();
        c.set(PipelineOptions.NAME, config.job().name());
        // Every type of the graph has a Flink serializer by design: a Kryo fallback is a bug in the
        // job's types, whatever the cluster allows, so it fails when the graph is built.
        c.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(c);
    }
}
