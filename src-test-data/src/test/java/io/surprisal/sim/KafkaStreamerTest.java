package io.surprisal.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaStreamerTest {
  private static final Instant NOW = Instant.parse("2027-01-05T10:20:30.700Z");

  private static MockProducer<String, String> producer() {
    return new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
  }

  @Test
  void sendsKeyedRestampedLinesInOrder() {
    SimulatorConfig config = SimulatorConfig.of(50, 1, 4L).withMaxEventsPerVisit(50);
    List<String> original = new ArrayList<>();
    new Simulator(config).eventLines().forEachRemaining(original::add);
    MockProducer<String, String> producer = producer();
    try (KafkaStreamer streamer = new KafkaStreamer(producer, "events", 1_000_000, true,
        Clock.fixed(NOW, ZoneOffset.UTC))) {
      long sent = streamer.stream(new Simulator(config).eventLines(), 200);
      assertThat(sent).isEqualTo(200);
    }
    List<ProducerRecord<String, String>> records = producer.history();
    assertThat(records).hasSize(200);
    for (int i = 0; i < records.size(); i++) {
      ProducerRecord<String, String> r = records.get(i);
      assertThat(r.topic()).isEqualTo("events");
      assertThat(r.value()).startsWith("{\"ts\":\"2027-01-05T10:20:30Z\",");
      assertThat(r.key()).isEqualTo(KafkaStreamer.userOf(original.get(i)));
      // everything after ts is untouched
      assertThat(r.value().substring(28)).isEqualTo(original.get(i).substring(28));
    }
  }

  @Test
  void withoutRestampLinesAreSentAsGeneratedAndStreamEndsWithTheLines() {
    List<String> lines = List.of(
        "{\"ts\":\"2026-11-02T00:00:01Z\",\"event_id\":\"e-1\",\"user\":\"u0000001\"}",
        "{\"ts\":\"2026-11-02T00:00:02Z\",\"event_id\":\"e-2\",\"user\":\"u0000002\"}");
    MockProducer<String, String> producer = producer();
    KafkaStreamer streamer = new KafkaStreamer(producer, "t", 1_000, false, Clock.systemUTC());
    assertThat(streamer.stream(lines.iterator())).isEqualTo(2);
    assertThat(producer.history()).extracting(ProducerRecord::value).containsExactlyElementsOf(lines);
    assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("u0000001", "u0000002");
  }

  @Test
  void paceIsRespectedAndInterruptStops() throws Exception {
    MockProducer<String, String> producer = producer();
    KafkaStreamer streamer = new KafkaStreamer(producer, "t", 20, true, Clock.systemUTC());
    Iterator<String> endless = new Simulator(SimulatorConfig.of(10, 30, 1L)).eventLines();
    long[] sent = new long[1];
    Thread t = new Thread(() -> sent[0] = streamer.stream(endless));
    long begin = System.nanoTime();
    t.start();
    Thread.sleep(300);
    t.interrupt();
    t.join(5_000);
    double seconds = (System.nanoTime() - begin) / 1e9;
    assertThat(t.isAlive()).isFalse();
    // 20 events/s: about 6-7 sent in 0.3 s, never far ahead of the pace
    assertThat(sent[0]).isBetween(2L, (long) Math.ceil(20 * seconds) + 1);
  }
}
