package io.surprisal.dashboard;

import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes feedback records to the feedback topic; an action is answered only once the broker has it. */
final class FeedbackPublisher implements AutoCloseable {
    private final KafkaProducer<String, String> producer;
    private final String topic;

    FeedbackPublisher(DashboardConfig config) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "surprisal-dashboard");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.producer = new KafkaProducer<>(p);
        this.topic = config.feedbackTopic();
    }

    /** Sends the record and waits for the broker's acknowledgement. */
    RecordMetadata publish(Feedback f) throws Exception {
        return producer.send(new ProducerRecord<>(topic, f.key(), f.toJson())).get(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        producer.close();
    }
}
