package io.surprisal.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the alerts topic and the feedback topic into the store, read_committed (only what the
 * job's transactions committed), and tells the live feed of every new alert and action. It keeps
 * its positions in the store, not in a consumer group: the store and its positions change together,
 * and an empty store starts both topics from their beginning.
 */
final class TopicReader implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicReader.class);
    private static final Duration PARTITION_CHECK = Duration.ofSeconds(30);
    private static final Duration RETENTION_CHECK = Duration.ofMinutes(1);

    private final DashboardConfig config;
    private final AlertStore store;
    private final LiveFeed feed;
    private final KafkaConsumer<String, String> consumer;
    private volatile boolean running = true;
    private long unreadable;

    TopicReader(DashboardConfig config, AlertStore store, LiveFeed feed) {
        this.config = config;
        this.store = store;
        this.feed = feed;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "surprisal-dashboard");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(p);
    }

    @Override
    public void run() {
        Set<TopicPartition> assigned = new HashSet<>();
        long nextPartitionCheck = 0;
        long nextRetention = 0;
        try {
            while (running) {
                long now = System.currentTimeMillis();
                if (now >= nextPartitionCheck) {
                    assignNewPartitions(assigned);
                    nextPartitionCheck = now + (assigned.isEmpty() ? 1000 : PARTITION_CHECK.toMillis());
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(500);
                    continue;
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    handle(r);
                }
                if (now >= nextRetention) {
                    int deleted = store.applyRetention(config.retention(), now);
                    if (deleted > 0) {
                        LOG.info("retention: deleted {} alerts older than {} before the newest", deleted, config.retention());
                    }
                    nextRetention = now + RETENTION_CHECK.toMillis();
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("the topic reader stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void assignNewPartitions(Set<TopicPartition> assigned) {
        List<TopicPartition> added = new ArrayList<>();
        for (String topic : List.of(config.alertsTopic(), config.feedbackTopic())) {
            List<PartitionInfo> infos;
            try {
                infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.warn("cannot list the partitions of {} yet: {}", topic, e.toString());
                continue;
            }
            for (PartitionInfo pi : infos == null ? List.<PartitionInfo>of() : infos) {
                TopicPartition tp = new TopicPartition(topic, pi.partition());
                if (!assigned.contains(tp)) {
                    added.add(tp);
                }
            }
        }
        if (added.isEmpty()) {
            return;
        }
        assigned.addAll(added);
        consumer.assign(assigned);
        for (TopicPartition tp : added) {
            Map<Integer, Long> stored = store.offsets(tp.topic());
            Long next = stored.get(tp.partition());
            if (next == null) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, next);
            }
            LOG.info("reading {} from {}", tp, next == null ? "its beginning" : "offset " + next);
        }
    }

    private void handle(ConsumerRecord<String, String> r) {
        if (r.topic().equals(config.alertsTopic())) {
            Optional<AlertRecord> alert = r.value() == null ? Optional.empty() : AlertRecord.parse(r.value());
            if (alert.isPresent()) {
                store.putAlert(alert.get(), r.topic(), r.partition(), r.offset()).ifPresent(feed::alert);
                return;
            }
        } else {
            Optional<Feedback> action = r.value() == null ? Optional.empty() : Feedback.parse(r.value());
            if (action.isPresent()) {
                store.putAction(action.get(), r.topic(), r.partition(), r.offset());
                feed.action(action.get());
                return;
            }
        }
        unreadable++;
        LOG.warn("skipped an unreadable record at {}/{}/{} ({} so far)", r.topic(), r.partition(), r.offset(), unreadable);
        store.skip(r.topic(), r.partition(), r.offset());
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }
}
