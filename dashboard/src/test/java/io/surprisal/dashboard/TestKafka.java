package io.surprisal.dashboard;

import io.surprisal.job.KafkaTestBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.test.KafkaClusterTestKit;

/**
 * The job's in-process Kafka broker ({@link KafkaTestBroker}, from the job's test jar) and what the
 * dashboard's tests do with it: produce lines, read committed records, wait for one.
 */
final class TestKafka {
    private TestKafka() {}

    static KafkaClusterTestKit start(NewTopic... topics) throws Exception {
        return KafkaTestBroker.start(topics);
    }

    static void produce(KafkaClusterTestKit kafka, String topic, List<String> values) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(KafkaTestBroker.producerProperties(kafka))) {
            for (String v : values) {
                producer.send(new ProducerRecord<>(topic, v)).get();
            }
        }
    }

    /** A read_committed consumer of {@code topic} from its beginning, in a group of its own. */
    static KafkaConsumer<String, String> readCommitted(KafkaClusterTestKit kafka, String topic) {
        KafkaConsumer<String, String> c = new KafkaConsumer<>(KafkaTestBroker.readCommittedProperties(kafka, topic));
        c.subscribe(List.of(topic));
        return c;
    }

    /** Polls {@code consumer} until a record value satisfies {@code wanted} or {@code timeout} passes; every value seen is added to {@code seen}. */
    static String await(KafkaConsumer<String, String> consumer, Duration timeout, List<String> seen,
            java.util.function.Predicate<String> wanted) {
        long end = System.currentTimeMillis() + timeout.toMillis();
        for (String s : seen) {
            if (wanted.test(s)) {
                return s;
            }
        }
        while (System.currentTimeMillis() < end) {
            List<String> batch = new ArrayList<>();
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                batch.add(r.value());
            }
            seen.addAll(batch);
            for (String s : batch) {
                if (wanted.test(s)) {
                    return s;
                }
            }
        }
        return null;
    }
}
