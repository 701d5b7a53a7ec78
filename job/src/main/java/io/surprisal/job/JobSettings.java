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
        // Timers on the heap, not in RocksDB: every event registers one (its time, for ordering)
        // and fires it within seconds, so a RocksDB timer is a put, a seek and a delete per event
        // for an entry that lives a few seconds, and a column family more to flush per checkpoint.
        // The heap holds only the timers of users active within the out-of-orderness bound, the
        // session gap and the pattern windows; they are written to checkpoints with the rest.
        c.setString("state.backend.rocksdb.timer-service.factory", "HEAP");
        // RocksDB tuned for local SSDs (more background threads for flushes and compactions, no
        // fsync, no limit on open files); block cache and write buffers come from managed memory.
        c.setString("state.backend.rocksdb.predefined-options", "FLASH_SSD_OPTIMIZED");
        // Bloom filters: most reads of a user's first events look up keys that are not there yet
        // (every keyed operator, every new user); the filter answers those without reading SST blocks.
        c.setString("state.backend.rocksdb.use-bloom-filter", "true");
        // Every detector waits for the watermark before it decides, so the watermark interval is
        // part of every alert's latency: 50 ms instead of Flink's 200 ms costs a watermark per
        // 50 ms per source, nothing per event.
        c.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, java.time.Duration.ofMillis(50));
        // Records wait for a network buffer to fill or this long at each of the graph's shuffles
        // (by user, by IP, to suppression): 10 ms, not Flink's 100 ms. At a few thousand events a
        // second buffers rarely fill, so the timeout is most of an alert's latency; at full load they
        // fill first and it costs nothing.
        c.set(org.apache.flink.configuration.ExecutionOptions.BUFFER_TIMEOUT, java.time.Duration.ofMillis(10));
        // Unaligned checkpoints: a barrier overtakes the records queued at a shuffle instead of
        // waiting for them on every input, so a checkpoint does not stall the alerts behind it
        // (the bench's p99 at half rate went from about 1 s to 0.5 s). Savepoints stay aligned.
        c.set(CheckpointingOptions.ENABLE_UNALIGNED, true);
        // What a checkpoint stalls the tasks for: its flushes (RocksDbCheckpointFlushes).
        c.setString("state.backend.rocksdb.options-factory", RocksDbCheckpointFlushes.class.getName());
        return c;
    }

    /**
     * What an embedded MiniCluster (local runs, the bench, tests) needs to resemble one task manager
     * of {@code conf/flink/config.yaml}: its managed memory, which RocksDB's block cache and write
     * buffers come from (a MiniCluster's default, 128 MB, is a fifth of what that task manager has).
     */
    public static Configuration forLocalCluster(Configuration c) {
        c.set(org.apache.flink.configuration.TaskManagerOptions.MANAGED_MEMORY_SIZE,
                org.apache.flink.configuration.MemorySize.parse("512m"));
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
