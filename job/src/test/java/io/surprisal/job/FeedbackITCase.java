package io.surprisal.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.Timestamps;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feedback changes what the job sends: the deployed job (Kafka in, Kafka out, feedback from a Kafka
 * topic) on a MiniCluster raises a brute-force alert for two users; a false positive for one user's
 * alert, by its repeat key, goes to the feedback topic as a dashboard writes it; the same input two
 * hours later then raises that user's alert again only for the other user.
 */
class FeedbackITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENTS = "fb-events";
    private static final String ALERTS = "fb-alerts";
    private static final String DEAD_LETTERS = "fb-dead-letters";
    private static final String FEEDBACK = "fb-feedback";
    private static final String BRUTE_FORCE = "cep:brute-force";

    private static KafkaClusterTestKit kafka;

    @TempDir
    static Path work;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = KafkaTestBroker.start(new NewTopic(EVENTS, 1, (short) 1), new NewTopic(ALERTS, 1, (short) 1),
                new NewTopic(DEAD_LETTERS, 1, (short) 1), new NewTopic(FEEDBACK, 1, (short) 1));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aFalsePositiveStopsTheRepeatOfThatAlertWhileAnotherUsersAlertIsStillSent() throws Exception {
        List<String> sets = new ArrayList<>(KafkaTestBroker.jobSettings(kafka, EVENTS, ALERTS, DEAD_LETTERS, "feedback-it"));
        sets.addAll(List.of(
                "feedback.updates.type=kafka",
                "feedback.updates.bootstrap-servers=" + kafka.bootstrapServers(),
                "feedback.updates.topic=" + FEEDBACK));
        SurprisalConfig config = ConfigLoader.load(null, sets);
        // One instance of each operator and aligned checkpoints: once a checkpoint after the feedback
        // has completed, the suppression step has applied it, and alerts leave in input order.
        Configuration flink = RecoveryITCase.flink(work, Configuration.fromMap(java.util.Map.of(
                "parallelism.default", "1", "execution.checkpointing.unaligned.enabled", "false")));
        JobClient job = RecoveryITCase.deployed(config, flink).executeAsync("feedback");
        try (KafkaProducer<String, String> producer = producer()) {
            // Three hours ago, so that the repeat two hours later is still in the past (not "future").
            Instant t0 = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
            bruteForce(producer, "mallory", "198.51.100.7", t0, "1");
            bruteForce(producer, "peggy", "203.0.113.9", t0.plusSeconds(10), "1");
            tick(producer, t0.plusSeconds(60));
            List<JsonNode> first = await(a -> bruteForceOf(a, "peggy"), 1);
            JsonNode mallorys = first.stream().filter(a -> bruteForceOf(a, "mallory")).findFirst().orElseThrow();

            // The dashboard marks mallory's alert a false positive; an invalid record after it shows,
            // by its dead letter, when the job has read both.
            producer.send(new ProducerRecord<>(FEEDBACK, "mallory", JSON.createObjectNode()
                    .put("schema_version", 1).put("action", "false_positive").put("at", Timestamps.format(System.currentTimeMillis()))
                    .put("by", "analyst").put("alert_id", mallorys.get("alert_id").asText()).put("user", "mallory").putNull("tenant")
                    .put("detector", BRUTE_FORCE).put("repeat_key", mallorys.get("repeat_key").asText()).put("note", "pen test")
                    .toString()));
            producer.send(new ProducerRecord<>(FEEDBACK, "marker", "{\"action\":\"mute\",\"note\":\"marker\"}"));
            producer.flush();
            List<String> dead = awaitDeadLetter("marker");
            assertThat(dead).singleElement().asString().contains("\"reason\":\"missing_field\"").contains("\"source\":\"feedback\"");

            // The same input two hours later (past the suppression window).
            Instant t2 = t0.plus(2, ChronoUnit.HOURS);
            bruteForce(producer, "mallory", "198.51.100.7", t2, "2");
            bruteForce(producer, "peggy", "203.0.113.9", t2.plusSeconds(10), "2");
            tick(producer, t2.plusSeconds(60));
            List<JsonNode> all = await(a -> bruteForceOf(a, "peggy"), 2);

            List<String> bruteForce = new ArrayList<>();
            for (JsonNode a : all) {
                if (a.get("detector").asText().equals(BRUTE_FORCE)) {
                    bruteForce.add(a.get("user").asText() + " " + a.get("ts").asText());
                }
            }
            assertThat(bruteForce).containsExactly(
                    "mallory " + Timestamps.format(t0.plusSeconds(4).toEpochMilli()),
                    "peggy " + Timestamps.format(t0.plusSeconds(14).toEpochMilli()),
                    "peggy " + Timestamps.format(t2.plusSeconds(14).toEpochMilli()));
            // Peggy's two alerts are the same alert again: one repeat key.
            assertThat(all.stream().filter(a -> bruteForceOf(a, "peggy")).map(a -> a.get("repeat_key").asText()).distinct()).hasSize(1);
        } finally {
            job.cancel().get();
        }
    }

    private static boolean bruteForceOf(JsonNode alert, String user) {
        return alert.get("detector").asText().equals(BRUTE_FORCE) && alert.get("user").asText().equals(user);
    }

    /** Five failed logins a second apart, from one address: cep:brute-force's alert at the fifth. */
    private static void bruteForce(KafkaProducer<String, String> producer, String user, String ip, Instant start, String visit) {
        for (int i = 0; i < 5; i++) {
            producer.send(new ProducerRecord<>(EVENTS, user, JSON.createObjectNode()
                    .put("ts", Timestamps.format(start.plusSeconds(i).toEpochMilli())).put("event_id", user + "-" + visit + "-" + i)
                    .put("user", user).put("session", user + "-" + visit).put("action", "login").put("status", "fail").put("ip", ip)
                    .toString()));
        }
    }

    /** Another user's event that carries event time past the attempts (the watermark follows the events). */
    private static void tick(KafkaProducer<String, String> producer, Instant at) {
        producer.send(new ProducerRecord<>(EVENTS, "clock", JSON.createObjectNode()
                .put("ts", Timestamps.format(at.toEpochMilli())).put("event_id", "tick-" + at.toEpochMilli())
                .put("user", "clock").put("action", "view_item").toString()));
        producer.flush();
    }

    /** The committed alerts once {@code count} of them match (within 60 s). */
    private static List<JsonNode> await(Predicate<JsonNode> match, int count) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        List<JsonNode> all = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(KafkaTestBroker.readCommittedProperties(kafka, ALERTS))) {
            c.subscribe(List.of(ALERTS));
            while (all.stream().filter(match).count() < count && System.currentTimeMillis() < deadline) {
                for (var r : c.poll(Duration.ofMillis(200))) {
                    all.add(JSON.readTree(r.value()));
                }
            }
        }
        assertThat(all.stream().filter(match).count()).as("matching alerts within 60 s, of " + all).isEqualTo(count);
        return all;
    }

    private static List<String> awaitDeadLetter(String containing) {
        long deadline = System.currentTimeMillis() + 60_000;
        List<String> found = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(KafkaTestBroker.readCommittedProperties(kafka, DEAD_LETTERS))) {
            c.subscribe(List.of(DEAD_LETTERS));
            while (found.isEmpty() && System.currentTimeMillis() < deadline) {
                for (var r : c.poll(Duration.ofMillis(200))) {
                    if (r.value().contains(containing)) {
                        found.add(r.value());
                    }
                }
            }
        }
        return found;
    }

    private static KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(p);
    }
}
