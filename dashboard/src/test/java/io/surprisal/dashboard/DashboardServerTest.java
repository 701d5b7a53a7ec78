package io.surprisal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web server's access rules over real HTTP: the token, the CSRF checks on actions, the
 * validation of an action's body, the headers of every page. No broker is needed: every request
 * here is refused before a feedback record would be sent.
 */
class DashboardServerTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir
    Path dir;
    private AlertStore store;
    private FeedbackPublisher publisher;
    private DashboardServer server;

    private String start(String token) {
        DashboardConfig config = new DashboardConfig("127.0.0.1", 0, "127.0.0.1:1", "alerts", "feedback", dir.resolve("alerts"),
                Duration.ofDays(1), token, "test");
        store = new AlertStore(config.storePath());
        publisher = new FeedbackPublisher(config);
        server = new DashboardServer(config, store, new LiveFeed(), publisher);
        server.start();
        return "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
            publisher.close();
            store.close();
        }
    }

    @Test
    void pagesSetTheCsrfCookieAndAPolicyWithoutInlineScript() throws Exception {
        String base = start(null);
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self';");
        assertThat(page.headers().firstValue("Set-Cookie").orElseThrow()).startsWith(DashboardServer.CSRF_COOKIE + "=").contains("SameSite=Strict");
        assertThat(page.body()).contains("/webjars/echarts/").doesNotContain("${");
        HttpResponse<String> js = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/webjars/echarts/5.3.1/dist/echarts.min.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(js.statusCode()).isEqualTo(200);
    }

    @Test
    void anActionWithoutTheCsrfTokenOrFromAnotherOriginIsRefused() throws Exception {
        String base = start(null);
        String url = base + "/api/allowlist";
        String body = "{\"network\":\"203.0.113.0/24\"}";
        assertThat(post(url, body, null, null, null).statusCode()).as("no token").isEqualTo(403);
        assertThat(post(url, body, "a".repeat(48), "b".repeat(48), null).statusCode()).as("cookie and header differ").isEqualTo(403);
        assertThat(post(url, body, "a".repeat(48), "a".repeat(48), "http://evil.example").statusCode()).as("another origin").isEqualTo(403);
        HttpResponse<String> bad = post(url, "{\"network\":\"not a network\"}", "a".repeat(48), "a".repeat(48), base);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("CIDR");
        HttpResponse<String> form = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", DashboardServer.CSRF_COOKIE + "=" + "a".repeat(48)).header(DashboardServer.CSRF_HEADER, "a".repeat(48))
                .POST(HttpRequest.BodyPublishers.ofString("network=1.2.3.4/32")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).as("only JSON bodies").isEqualTo(400);
        HttpResponse<String> mute = post(base + "/api/mute", "{\"user\":\"u\",\"detector\":\"*\"}", "a".repeat(48), "a".repeat(48), null);
        assertThat(mute.statusCode()).isEqualTo(400);
        assertThat(mute.body()).contains("'for'");
    }

    @Test
    void withATokenEveryRequestNeedsIt() throws Exception {
        String base = start("s3cret-token");
        HttpResponse<String> none = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/alerts")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Basic");
        String basic = "Basic " + Base64.getEncoder().encodeToString("anyone:s3cret-token".getBytes(StandardCharsets.UTF_8));
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/alerts")).header("Authorization", basic).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/alerts")).header("Authorization", "Bearer s3cret-token").build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/static/list.js")).header("Authorization", "Bearer wrong").build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        HttpResponse<String> probe = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(probe.statusCode()).as("the probe needs no token").isEqualTo(200);
        assertThat(probe.body()).isEqualTo("ok");
    }

    @Test
    void exposingTheDashboardNeedsAToken() {
        assertThatThrownBy(() -> new DashboardConfig("0.0.0.0", 8090, "k:9092", "a", "f", dir.resolve("s"), Duration.ofDays(1), null, "x"))
                .hasMessageContaining("token");
        assertThat(new DashboardConfig("0.0.0.0", 8090, "k:9092", "a", "f", dir.resolve("s"), Duration.ofDays(1), "t", "x").toString())
                .contains("token=set").doesNotContain("=t,");
    }

    private static HttpResponse<String> post(String url, String body, String cookie, String header, String origin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            b.header("Cookie", DashboardServer.CSRF_COOKIE + "=" + cookie);
        }
        if (header != null) {
            b.header(DashboardServer.CSRF_HEADER, header);
        }
        if (origin != null) {
            b.header("Origin", origin);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
