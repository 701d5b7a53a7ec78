package io.surprisal.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surprisal.config.ConfigException;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Embedded runs take the job's runtime settings from conf/flink/config.yaml (FLINK_CONF_DIR, set by
 * the build), not the cluster's processes' settings; the job's environment has them as the file
 * says, and the job adds only what belongs to its graph.
 */
class LocalClusterConfigurationTest {
    @TempDir
    Path work;

    @Test
    void anEmbeddedRunHasTheClustersRuntimeSettingsAndNotItsPorts() {
        Configuration c = LocalClusterConfiguration.load(work.resolve("checkpoints"),
                Configuration.fromMap(Map.of("state.backend.type", "hashmap")));
        Map<String, String> m = c.toMap();
        assertThat(m).containsEntry("state.backend.type", "hashmap")
                .containsEntry("parallelism.default", "2")
                .containsEntry("state.backend.rocksdb.timer-service.factory", "HEAP")
                .containsEntry("state.backend.rocksdb.options-factory", RocksDbCheckpointFlushes.class.getName())
                .containsEntry("execution.checkpointing.dir", work.resolve("checkpoints").toUri().toString());
        assertThat(c.contains(RestOptions.BIND_PORT)).as("an embedded run must not bind the cluster's web port").isFalse();
        assertThat(m.keySet()).noneMatch(k -> k.startsWith("metrics.reporter") || k.startsWith("jobmanager.")
                || k.startsWith("rest.") || k.startsWith("io.tmp.dirs"));
    }

    @Test
    void aRunInADirectoryKeepsItsCheckpointsAndFlinksTemporaryFilesThere() throws Exception {
        Configuration c = LocalClusterConfiguration.forRunIn(work.resolve("run"), new Configuration());
        assertThat(c.get(CoreOptions.TMP_DIRS)).isEqualTo(work.resolve("run").resolve("tmp").toString());
        assertThat(work.resolve("run").resolve("tmp")).isDirectory();
        assertThat(c.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo(work.resolve("run").resolve("checkpoints").toUri().toString());

        Configuration own = LocalClusterConfiguration.forRunIn(work.resolve("other"),
                Configuration.fromMap(Map.of("io.tmp.dirs", work.resolve("mine").toString())));
        assertThat(own.get(CoreOptions.TMP_DIRS)).as("-Dio.tmp.dirs wins").isEqualTo(work.resolve("mine").toString());
    }

    @Test
    void aLocalRunsParallelismIsTheFilesUnlessOverridden() {
        assertThat(LocalClusterConfiguration.parallelism(new Configuration())).isEqualTo(2);
        assertThat(LocalClusterConfiguration.parallelism(Configuration.fromMap(Map.of("parallelism.default", "3")))).isEqualTo(3);
    }

    @Test
    void theJobsEnvironmentHasTheFilesSettingsAndItsOwnGraphProperties() {
        SurprisalConfig config = ConfigLoader.defaults();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(
                LocalClusterConfiguration.load(work.resolve("checkpoints"), new Configuration()));
        JobSettings.apply(env, config);

        assertThat(env.getParallelism()).isEqualTo(2);
        assertThat(env.getCheckpointConfig().getCheckpointInterval()).isEqualTo(10_000);
        assertThat(env.getCheckpointConfig().isUnalignedCheckpointsEnabled()).isTrue();
        assertThat(env.getBufferTimeout()).isEqualTo(10);
        assertThat(env.getConfig().getAutoWatermarkInterval()).isEqualTo(50);
        assertThat(env.getConfiguration().get(PipelineOptions.GENERIC_TYPES)).isFalse();
        assertThat(env.getConfiguration().get(PipelineOptions.NAME)).isEqualTo(config.job().name());
    }

    /** The Kafka sinks commit on checkpoints: the job refuses to build them without, or with a shorter transaction timeout. */
    @Test
    void kafkaSinksNeedCheckpointsShorterThanTheirTransactionTimeout() {
        SurprisalConfig kafka = ConfigLoader.load(null, List.of("sinks.type=kafka"));
        SurprisalConfig.KafkaSinkConfig sink = kafka.sinks().kafka();
        assertThatThrownBy(() -> Connectors.requireCheckpointsFor(sink, -1))
                .isInstanceOf(ConfigException.class).hasMessageContaining("set execution.checkpointing.interval");
        assertThatThrownBy(() -> Connectors.requireCheckpointsFor(sink, Duration.ofMinutes(20).toMillis()))
                .hasMessageContaining("sinks.kafka.transaction-timeout (PT15M) must be longer than Flink's execution.checkpointing.interval (PT20M)");
        Connectors.requireCheckpointsFor(sink, Duration.ofSeconds(10).toMillis());

        Configuration withoutCheckpoints = LocalClusterConfiguration.load(work.resolve("checkpoints"), new Configuration());
        withoutCheckpoints.removeConfig(CheckpointingOptions.CHECKPOINTING_INTERVAL);
        StreamExecutionEnvironment off = StreamExecutionEnvironment.createLocalEnvironment(withoutCheckpoints);
        SurprisalPipeline.Streams streams = SurprisalPipeline.build(kafka, Connectors.fileSource(off, work.resolve("none").toString(), kafka.source()));
        assertThatThrownBy(() -> Connectors.attachRecordSinks(streams.alerts(), streams.deadLetters(), kafka))
                .hasMessageContaining("sinks.type kafka needs checkpoints");
    }
}
