package io.surprisal.job;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real in-process Kafka broker for tests (KRaft, one combined node), configured for a single
 * node: internal topics and transactions with replication factor 1, so exactly-once sinks work.
 */
final class KafkaTestBroker {
    private KafkaTestBroker() {}

    /** Starts a broker and creates the given topics on it. */
    static KafkaClusterTestKit start(NewTopic... topics) throws Exception {
        KafkaClusterTestKit kafka = new KafkaClusterTestKit.Builder(
                // The metadata version a released broker formats with by default, not the test kit's
                // (the newest, unreleased one, under which a restored sink's re-commit of a committed
                // transaction is reported as fenced).
                new TestKitNodes.Builder(BootstrapMetadata.fromVersion(MetadataVersion.latestProduction(), "surprisal tests")).setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                // Records are never deleted by age. Alerts carry their events' time as the record
                // timestamp, and the samples' events are weeks old: under the default 7-day retention
                // the broker's first retention check (30 s after start) deleted the earliest alerts.
                .setConfigProp("log.retention.ms", "-1")
                // Timed-out transactions (left open by a failed attempt) aborted within a second, not ten.
                .setConfigProp("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000")
                .build();
        kafka.format();
        kafka.startup();
        kafka.waitForReadyBrokers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(topics)).all().get();
        }
        return kafka;
    }
}
