package io.surprisal.sim;

import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Streams simulator event lines into a Kafka topic in real time, for demos.
 *
 * <p>What it does to the data:
 *
 * <ul>
 *   <li>Record key = the event's {@code user}, value = the JSON line.
 *   <li>Events are sent at a steady {@code eventsPerSecond}, in the simulator's order; the
 *       original gaps between events are not reproduced (a simulated day would otherwise take a
 *       day).
 *   <li>When re-stamping (the default), each event's {@code ts} is replaced with the wall-clock
 *       second at which it is sent, so that event time moves with processing time and watermarks
 *       advance; order is preserved (stamps never go backwards). The rest of the line is
 *       untouched. Without re-stamping, lines are sent as generated.
 * </ul>
 *
 * <p>{@link #stream} returns when the lines run out, after {@code maxEvents}, or when the calling
 * thread is interrupted (the interrupt flag is kept set); the producer is flushed either way.
 */
public final class KafkaStreamer implements AutoCloseable {
  private static final String TS_PREFIX = "{\"ts\":\"";

  private final Producer<String, String> producer;
  private final String topic;
  private final double eventsPerSecond;
  private final boolean restamp;
  private final Clock clock;

  /** A streamer with its own producer on {@code bootstrapServers}, re-stamping {@code ts}. */
  public KafkaStreamer(String bootstrapServers, String topic, double eventsPerSecond) {
    this(bootstrapServers, topic, eventsPerSecond, true);
  }

  /**
   * A streamer with its own producer. With {@code restamp} false the simulated timestamps are kept:
   * event time then runs faster than the wall clock, but the gaps between a user's actions stay
   * real, which pacing-based detectors (velocity) need.
   */
  public KafkaStreamer(String bootstrapServers, String topic, double eventsPerSecond, boolean restamp) {
    this(new KafkaProducer<>(producerProperties(bootstrapServers)), topic, eventsPerSecond, restamp,
        Clock.systemUTC());
  }

  /** A streamer on a given producer (closed by {@link #close()}); for tests and custom configs. */
  public KafkaStreamer(Producer<String, String> producer, String topic, double eventsPerSecond,
      boolean restamp, Clock clock) {
    if (!(eventsPerSecond > 0)) {
      throw new IllegalArgumentException("eventsPerSecond must be > 0: " + eventsPerSecond);
    }
    this.producer = producer;
    this.topic = topic;
    this.eventsPerSecond = eventsPerSecond;
    this.restamp = restamp;
    this.clock = clock;
  }

  /** Producer settings: string key and value, small linger for throughput. */
  public static Properties producerProperties(String bootstrapServers) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    return p;
  }

  /** Streams all lines; see {@link #stream(Iterator, long)}. */
  public long stream(Iterator<String> lines) {
    return stream(lines, Long.MAX_VALUE);
  }

  /**
   * Sends up to {@code maxEvents} lines at the configured rate; returns how many were sent.
   * Blocks the calling thread; stops early on interrupt.
   */
  public long stream(Iterator<String> lines, long maxEvents) {
    long intervalNanos = (long) (1_000_000_000L / eventsPerSecond);
    long startNanos = System.nanoTime();
    long sent = 0;
    long lastStamp = Long.MIN_VALUE;
    try {
      while (sent < maxEvents && lines.hasNext() && !Thread.currentThread().isInterrupted()) {
        long due = startNanos + sent * intervalNanos;
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
          if (Thread.currentThread().isInterrupted()) {
            return sent;
          }
        }
        String line = lines.next();
        if (restamp) {
          lastStamp = Math.max(lastStamp, clock.instant().getEpochSecond());
          line = restamp(line, Instant.ofEpochSecond(lastStamp));
        }
        producer.send(new ProducerRecord<>(topic, userOf(line), line));
        sent++;
      }
      return sent;
    } finally {
      producer.flush();
    }
  }

  /** The line with its leading {@code ts} replaced by {@code ts} (seconds precision). */
  static String restamp(String line, Instant ts) {
    if (!line.startsWith(TS_PREFIX)) {
      throw new IllegalArgumentException("not a simulator line: " + line);
    }
    int end = line.indexOf('"', TS_PREFIX.length());
    return TS_PREFIX + Instant.ofEpochSecond(ts.getEpochSecond()) + line.substring(end);
  }

  /** The {@code user} field of a simulator line (ids never need escaping). */
  static String userOf(String line) {
    int at = line.indexOf("\"user\":\"");
    if (at < 0) {
      return null;
    }
    int from = at + 8;
    return line.substring(from, line.indexOf('"', from));
  }

  @Override
  public void close() {
    producer.close();
  }
}
