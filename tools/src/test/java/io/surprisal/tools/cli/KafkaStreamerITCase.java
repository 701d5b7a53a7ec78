package io.surprisal.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surprisal.sim.KafkaStreamer;
import io.surprisal.sim.Simulator;
import io.surprisal.sim.SimulatorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** `bin/surprisal generate --kafka`: the simulator streaming into a real (in-process KRaft) broker. */
class KafkaStreamerITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "surprisal-events";
    private static KafkaClusterTestKit kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        kafka.format();
        kafka.startup();
        kafka.waitForReadyBrokers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get();
        }
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyEventArrivesKeyedByUserInOrderWithLiveTimestamps() throws Exception {
        Simulator sim = new Simulator(new SimulatorConfig(50, 1, 3L, SimulatorConfig.DEFAULT_START));
        List<String> expected = new ArrayList<>();
        Iterator<String> lines = sim.eventLines();
        while (lines.hasNext() && expected.size() < 400) {
            expected.add(lines.next());
        }
        long before = System.currentTimeMillis() / 1000 * 1000;
        long sent;
        try (KafkaStreamer streamer = new KafkaStreamer(kafka.bootstrapServers(), TOPIC, 2000)) {
            sent = streamer.stream(sim.eventLines(), 400);
        }
        assertThat(sent).isEqualTo(400);

        List<ConsumerRecord<String, String>> got = consume(400);
        assertThat(got).hasSize(400);
        Map<String, List<String>> idsByUserSent = new HashMap<>();
        for (String line : expected) {
            JsonNode e = JSON.readTree(line);
            idsByUserSent.computeIfAbsent(e.get("user").asText(), k -> new ArrayList<>()).add(e.get("event_id").asText());
        }
        Map<String, List<String>> idsByUserGot = new HashMap<>();
        Map<String, Long> lastTs = new HashMap<>();
        for (ConsumerRecord<String, String> r : got) {
            JsonNode e = JSON.readTree(r.value());
            assertThat(r.key()).isEqualTo(e.get("user").asText());
            long ts = java.time.Instant.parse(e.get("ts").asText()).toEpochMilli();
            assertThat(ts).as("re-stamped to the time of sending").isGreaterThanOrEqualTo(before);
            assertThat(ts).isGreaterThanOrEqualTo(lastTs.getOrDefault(r.key(), Long.MIN_VALUE));
            lastTs.put(r.key(), ts);
            idsByUserGot.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(e.get("event_id").asText());
        }
        // One partition per user key: each user's events arrive in the order they were generated.
        assertThat(idsByUserGot).isEqualTo(idsByUserSent);
    }

    private static List<ConsumerRecord<String, String>> consume(int n) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "streamer-test");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(TOPIC));
            long deadline = System.currentTimeMillis() + 60_000;
            while (out.size() < n && System.currentTimeMillis() < deadline) {
                c.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }
}
