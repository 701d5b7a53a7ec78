package io.surprisal.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertJson;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job graph ({@link SurprisalPipeline}) on a MiniCluster with RocksDB, over the purchase
 * network challenge's test_1 translated into the input contract: befriend / unfriend events and
 * purchases, in the challenge's order.
 */
class PurchaseNetworkITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void flagsTheChallengePurchase(@TempDir Path work) throws Exception {
        SurprisalPipeline.Streams streams = graph("/purchase-network/challenge-test-1.jsonl", work,
                "detectors.purchase-network.degrees=3", "detectors.purchase-network.tracked-purchases=50");
        List<Alert> alerts = new ArrayList<>();
        try (CloseableIterator<Alert> it = streams.alerts().executeAndCollect("purchase-network-itcase")) {
            it.forEachRemaining(alerts::add);
        }

        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.detector).isEqualTo("purchase-network");
            assertThat(a.user).isEqualTo("2");
            assertThat(a.summary).isEqualTo("purchase of 1601.83 by 2 is above mean 29.10 + 3 sd 21.46"
                    + " of the last 50 purchases in their 3-degree network (3 purchases)");
            assertThat(a.reasons).singleElement().satisfies(r -> assertThat(r.expected).contains("mean 29.10 + 3 sd 21.46"));
            assertThat(a.events).extracting(e -> e.eventId).containsExactly("s1");
            assertThat(AlertJson.toJson(a)).contains("\"ts\":\"2017-06-13T11:33:02Z\"");
        });
    }

    /**
     * On RocksDB: a hub with 200 friends (several friend blocks) minus one unfriended, a purchase
     * of 50100000000000.83 flagged, and a negative and an unrepresentable amount in the job's dead
     * letters with their reason.
     */
    @Test
    void flagsAnAmountOf50100000000000_83AndDeadLettersUnusableAmounts(@TempDir Path work) throws Exception {
        SurprisalPipeline.Streams streams = graph("/purchase-network/amounts-and-hub.jsonl", work,
                "detectors.purchase-network.degrees=2");
        DataStream<String> outcomes = streams.alerts()
                .filter(a -> a.detector.equals("purchase-network"))
                .map(a -> "alert " + a.summary)
                .union(streams.deadLetters().map(d -> "dead letter " + d.reason + " " + d.error + " " + d.source));
        List<String> collected = new ArrayList<>();
        try (CloseableIterator<String> it = outcomes.executeAndCollect("purchase-network-amounts-itcase")) {
            it.forEachRemaining(collected::add);
        }

        assertThat(collected).containsExactlyInAnyOrder(
                "alert purchase of 50100000000000.83 by hub is above mean 11.00 + 3 sd 1.00"
                        + " of the last 50 purchases in their 2-degree network (2 purchases)",
                "dead letter wrong_type detector purchase-network: field 'amount': amount -100.0 is negative"
                        + " amounts-and-hub.jsonl:205",
                "dead letter wrong_type detector purchase-network: field 'amount': amount 1.0E300 is too large to be read"
                        + " to the cent: numbers are read as doubles, exact to the cent below 70368744177664.00"
                        + " amounts-and-hub.jsonl:206");
    }

    /** The job's graph over a test resource, on RocksDB with parallelism 2, run in {@code work}, and the given settings. */
    private static SurprisalPipeline.Streams graph(String resource, Path work, String... settings) throws Exception {
        Path input = Path.of(PurchaseNetworkITCase.class.getResource(resource).toURI());
        SurprisalConfig config = ConfigLoader.load(null, List.of(settings));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(LocalClusterConfiguration.forRunIn(
                work, Configuration.fromMap(Map.of("parallelism.default", "2", "state.backend.type", "rocksdb"))));
        JobSettings.apply(env, config);
        return SurprisalPipeline.build(config, Connectors.fileSource(env, input.toString(), config.source()));
    }
}
