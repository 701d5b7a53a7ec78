package io.surprisal.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code surprisal watch}: prints alerts as they reach the alerts topic (read committed: only what
 * the job's transactions committed) and, optionally, the mails a GreenMail server received.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Print alerts from the alerts topic as they come (read_committed), and mails from a GreenMail server's API.")
public final class WatchCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--kafka", defaultValue = "127.0.0.1:9092", description = "bootstrap servers (default ${DEFAULT-VALUE})")
    String kafka;

    @Option(names = "--topic", defaultValue = "surprisal-alerts", description = "alerts topic (default ${DEFAULT-VALUE})")
    String topic;

    @Option(names = "--greenmail-api", paramLabel = "URL", description = "GreenMail API base, e.g. http://127.0.0.1:8083")
    String greenmail;

    @Override
    public Integer call() throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "surprisal-watch-" + ProcessHandle.current().pid());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Set<String> seenMails = new HashSet<>();
        long nextMailPoll = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    System.out.println(describeAlert(r.value()));
                }
                if (greenmail != null && System.currentTimeMillis() >= nextMailPoll) {
                    nextMailPoll = System.currentTimeMillis() + 2000;
                    pollMails(http, seenMails);
                }
                System.out.flush();
            }
        }
        return 0;
    }

    static String describeAlert(String json) {
        try {
            JsonNode a = JSON.readTree(json);
            return String.format(Locale.ROOT, "ALERT %s %-8s %-22s %s: %s", a.path("ts").asText(),
                    a.path("severity").asText().toUpperCase(Locale.ROOT), a.path("detector").asText(),
                    Sanitize.forTerminal(a.path("user").asText()), Sanitize.forTerminal(a.path("summary").asText()));
        } catch (Exception e) {
            return "ALERT (unreadable) " + Sanitize.forTerminal(json);
        }
    }

    private void pollMails(HttpClient http, Set<String> seen) {
        try {
            JsonNode users = get(http, greenmail + "/api/user");
            for (JsonNode u : users) {
                String email = u.path("email").asText();
                for (JsonNode m : get(http, greenmail + "/api/user/" + email + "/messages")) {
                    String key = email + "/" + m.path("uid").asText();
                    if (seen.add(key)) {
                        System.out.printf(Locale.ROOT, "MAIL  to %s: %s%n", Sanitize.forTerminal(email),
                                Sanitize.forTerminal(m.path("subject").asText()));
                    }
                }
            }
        } catch (Exception e) {
            // the mail server may not be up yet; the next poll tries again
        }
    }

    private static JsonNode get(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return JSON.readTree(r.body());
    }
}
