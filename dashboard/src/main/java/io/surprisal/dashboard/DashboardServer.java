package io.surprisal.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import io.javalin.http.staticfiles.Location;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web application: three pages (list, alert, user) that draw everything with DOM text nodes
 * from a JSON API, server-sent events for the live list, and the actions, which write feedback
 * records. Access: an optional token (HTTP Basic password or bearer); actions need a CSRF token
 * (a SameSite=Strict cookie echoed in a header) and a JSON body.
 */
final class DashboardServer {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
    static final String CSRF_COOKIE = "surprisal_csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Pattern PERIOD = Pattern.compile("(\\d{1,5})([mhd])");
    private static final Pattern NETWORK = Pattern.compile("[0-9A-Fa-f:.]{2,45}/(\\d{1,3})");
    private static final int NOTE_MAX = 500;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DashboardConfig config;
    private final AlertStore store;
    private final LiveFeed feed;
    private final FeedbackPublisher publisher;
    private final Javalin app;

    DashboardServer(DashboardConfig config, AlertStore store, LiveFeed feed, FeedbackPublisher publisher) {
        this.config = config;
        this.store = store;
        this.feed = feed;
        this.publisher = publisher;
        this.app = Javalin.create(c -> {
            c.jetty.host = config.host();
            c.jetty.port = config.port();
            c.startup.showJavalinBanner = false;
            c.staticFiles.enableWebjars();
            c.staticFiles.add(s -> {
                s.hostedPath = "/static";
                s.directory = "/public";
                s.location = Location.CLASSPATH;
            });
            c.routes.before(this::secure);
            c.routes.get("/healthz", ctx -> ctx.result("ok"));
            c.routes.get("/", ctx -> page(ctx, "index.html"));
            c.routes.get("/alerts/{id}", ctx -> page(ctx, "alert.html"));
            c.routes.get("/users", ctx -> page(ctx, "user.html"));
            c.routes.get("/api/alerts", this::listAlerts);
            c.routes.get("/api/counts", this::counts);
            c.routes.get("/api/alerts/{id}", this::alert);
            c.routes.get("/api/user", this::user);
            c.routes.sse("/api/stream", client -> {
                client.keepAlive();
                client.sendComment("live");
                feed.add(client);
            });
            c.routes.post("/api/alerts/{id}/acknowledge", ctx -> action(ctx, this::acknowledge));
            c.routes.post("/api/alerts/{id}/false-positive", ctx -> action(ctx, this::falsePositive));
            c.routes.post("/api/mute", ctx -> action(ctx, this::mute));
            c.routes.post("/api/allowlist", ctx -> action(ctx, this::allowlist));
            c.routes.exception(BadRequest.class, (e, ctx) -> {
                ctx.status(HttpStatus.BAD_REQUEST);
                json(ctx, Map.of("error", e.getMessage()));
            });
        });
    }

    void start() {
        app.start();
    }

    int port() {
        return app.port();
    }

    void stop() {
        app.stop();
    }

    /** Headers on every answer; the token when one is configured. */
    private void secure(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        // No inline script at all: whatever text slips into a page cannot run.
        ctx.header("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                + "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
        // The probe's answer says nothing but "ok": it needs no token.
        if (config.token() == null || ctx.path().equals("/healthz")) {
            return;
        }
        String given = presentedToken(ctx.header("Authorization"));
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), config.token().getBytes(StandardCharsets.UTF_8))) {
            ctx.header("WWW-Authenticate", "Basic realm=\"surprisal dashboard\", charset=\"UTF-8\"");
            ctx.status(HttpStatus.UNAUTHORIZED).result("a token is needed");
            ctx.skipRemainingHandlers();
        }
    }

    /** The token of a {@code Bearer} header, or the password of a {@code Basic} one (any user name). */
    static String presentedToken(String authorization) {
        if (authorization == null) {
            return null;
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                return colon < 0 ? null : pair.substring(colon + 1);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    private void page(Context ctx, String name) throws Exception {
        if (ctx.cookie(CSRF_COOKIE) == null) {
            byte[] b = new byte[24];
            RANDOM.nextBytes(b);
            Cookie cookie = new Cookie(CSRF_COOKIE, HexFormat.of().formatHex(b));
            cookie.setPath("/");
            cookie.setSameSite(SameSite.STRICT);
            cookie.setHttpOnly(false);
            ctx.cookie(cookie);
        }
        ctx.header("Cache-Control", "no-store");
        InputStream in = DashboardServer.class.getResourceAsStream("/public/" + name);
        ctx.contentType(ContentType.TEXT_HTML).result(in);
    }

    private void listAlerts(Context ctx) {
        AlertFilter f = filter(ctx);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("alerts", store.list(f));
        out.put("detectors", store.detectors());
        out.put("severities", Severity.NAMES);
        json(ctx, out);
    }

    /** Counts per detector and per severity over time, in about 40 buckets of a round size. */
    private void counts(Context ctx) {
        AlertFilter f = filter(ctx);
        long[] range = store.range(f);
        Map<String, Object> out = new LinkedHashMap<>();
        if (range == null) {
            out.put("bucket_ms", 0);
            out.put("buckets", List.of());
            out.put("detector", Map.of());
            out.put("severity", Map.of());
            json(ctx, out);
            return;
        }
        long bucket = bucketSize(range[1] - range[0]);
        long first = (range[0] / bucket) * bucket;
        int n = (int) (((range[1] / bucket) * bucket - first) / bucket) + 1;
        List<Long> buckets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            buckets.add(first + i * bucket);
        }
        out.put("bucket_ms", bucket);
        out.put("buckets", buckets);
        out.put("detector", series(store.counts(f, "detector", bucket), first, bucket, n));
        out.put("severity", series(store.counts(f, "severity", bucket), first, bucket, n));
        json(ctx, out);
    }

    static long bucketSize(long span) {
        long[] sizes = {60_000L, 300_000L, 900_000L, 3_600_000L, 6 * 3_600_000L, 86_400_000L, 7 * 86_400_000L, 30 * 86_400_000L};
        for (long s : sizes) {
            if (span / s <= 48) {
                return s;
            }
        }
        return sizes[sizes.length - 1];
    }

    private static Map<String, long[]> series(List<AlertStore.Count> counts, long first, long bucket, int n) {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (AlertStore.Count c : counts) {
            out.computeIfAbsent(c.key(), k -> new long[n])[(int) ((c.bucket() - first) / bucket)] += c.count();
        }
        return out;
    }

    private void alert(Context ctx) {
        String id = ctx.pathParam("id");
        var stored = store.alert(id);
        if (stored.isEmpty()) {
            ctx.status(HttpStatus.NOT_FOUND);
            json(ctx, Map.of("error", "no such alert (yet): it may not have been read, or retention removed it"));
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("alert", Json.read(stored.get().json()));
        out.put("status", stored.get().status());
        out.put("actions", store.actions(id, null));
        json(ctx, out);
    }

    private void user(Context ctx) {
        String user = ctx.queryParam("user");
        if (user == null || user.isEmpty()) {
            throw new BadRequest("'user' is required");
        }
        String tenant = blankToNull(ctx.queryParam("tenant"));
        List<AlertStore.StoredAlert> alerts = store.userAlerts(user, tenant, 200);
        List<JsonNode> rows = new ArrayList<>();
        for (AlertStore.StoredAlert a : alerts) {
            JsonNode n = Json.read(a.json());
            ObjectNode row = Json.MAPPER.createObjectNode();
            for (String field : List.of("alert_id", "ts", "detector", "severity", "score", "summary", "repeats")) {
                if (n.has(field)) {
                    row.set(field, n.get(field));
                }
            }
            row.put("status", a.status());
            rows.add(row);
        }
        List<AlertStore.Action> mutes = new ArrayList<>();
        for (AlertStore.Action a : store.actions(null, user)) {
            if (a.action().equals("mute") && Objects.equals(a.tenant(), tenant)) {
                mutes.add(a);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", user);
        out.put("tenant", tenant);
        out.put("alerts", rows);
        out.put("known", UserKnowledge.of(user, alerts));
        out.put("mutes", mutes);
        out.put("detectors", store.detectors());
        json(ctx, out);
    }

    private interface ActionHandler {
        Feedback feedback(Context ctx, JsonNode body);
    }

    /** CSRF checks, then the action's feedback record, sent and acknowledged by the broker. */
    private void action(Context ctx, ActionHandler handler) throws Exception {
        String cookie = ctx.cookie(CSRF_COOKIE);
        String header = ctx.header(CSRF_HEADER);
        if (cookie == null || header == null || cookie.length() < 32
                || !MessageDigest.isEqual(cookie.getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8))) {
            ctx.status(HttpStatus.FORBIDDEN);
            json(ctx, Map.of("error", "missing or wrong CSRF token"));
            return;
        }
        String origin = ctx.header("Origin");
        if (origin != null && !sameOrigin(origin, ctx.header("Host"))) {
            ctx.status(HttpStatus.FORBIDDEN);
            json(ctx, Map.of("error", "cross-origin request"));
            return;
        }
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new BadRequest("the body must be application/json");
        }
        JsonNode body;
        try {
            body = Json.read(ctx.body());
        } catch (IllegalArgumentException e) {
            throw new BadRequest("the body is not JSON");
        }
        if (body == null || !body.isObject()) {
            throw new BadRequest("the body must be a JSON object");
        }
        Feedback f = handler.feedback(ctx, body);
        var meta = publisher.publish(f);
        LOG.info("feedback {} written to {}/{}/{}", f.action().wire(), meta.topic(), meta.partition(), meta.offset());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ok", true);
        out.put("record", Json.read(f.toJson()));
        json(ctx, out);
    }

    private static boolean sameOrigin(String origin, String host) {
        try {
            URI u = URI.create(origin);
            String hostPort = u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
            return host != null && host.equalsIgnoreCase(hostPort);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private AlertRecord storedAlert(Context ctx) {
        var stored = store.alert(ctx.pathParam("id"));
        if (stored.isEmpty()) {
            throw new BadRequest("no such alert");
        }
        return AlertRecord.parse(stored.get().json()).orElseThrow(() -> new BadRequest("unreadable alert"));
    }

    private Feedback acknowledge(Context ctx, JsonNode body) {
        AlertRecord a = storedAlert(ctx);
        return new Feedback(Feedback.Action.ACKNOWLEDGE, Instant.now(), config.actor(), a.alertId(), a.user(), a.tenant(), a.detector(),
                null, null, null, note(body));
    }

    private Feedback falsePositive(Context ctx, JsonNode body) {
        AlertRecord a = storedAlert(ctx);
        Instant until = period(body, false);
        return new Feedback(Feedback.Action.FALSE_POSITIVE, Instant.now(), config.actor(), a.alertId(), a.user(), a.tenant(),
                a.detector(), a.repeatKey(), null, until, note(body));
    }

    private Feedback mute(Context ctx, JsonNode body) {
        String user = required(body, "user");
        String detector = required(body, "detector");
        Instant until = period(body, true);
        return new Feedback(Feedback.Action.MUTE, Instant.now(), config.actor(), null, user, blankToNull(AlertStore.text(body, "tenant")),
                detector, null, null, until, note(body));
    }

    private Feedback allowlist(Context ctx, JsonNode body) {
        String network = required(body, "network").trim();
        Matcher m = NETWORK.matcher(network);
        if (!m.matches()) {
            throw new BadRequest("network must be a CIDR such as 203.0.113.0/24 or 2001:db8::/32");
        }
        int prefix = Integer.parseInt(m.group(1));
        boolean v6 = network.contains(":");
        if (prefix > (v6 ? 128 : 32) || (!v6 && !network.matches("(\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}"))) {
            throw new BadRequest("network must be a CIDR such as 203.0.113.0/24 or 2001:db8::/32");
        }
        return new Feedback(Feedback.Action.ALLOWLIST, Instant.now(), config.actor(), null, null, null, null, null, network,
                period(body, false), note(body));
    }

    /** {@code for}: a period from now ({@code 30m}, {@code 12h}, {@code 7d}); absent or empty gives null unless required. */
    private static Instant period(JsonNode body, boolean required) {
        String p = blankToNull(AlertStore.text(body, "for"));
        if (p == null) {
            if (required) {
                throw new BadRequest("'for' (a period such as 1h, 7d) is required");
            }
            return null;
        }
        Matcher m = PERIOD.matcher(p);
        if (!m.matches()) {
            throw new BadRequest("'for' must be a number and m, h or d, such as 30m, 12h, 7d");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.isZero()) {
            throw new BadRequest("'for' must be positive");
        }
        return Instant.now().plus(d);
    }

    private static String note(JsonNode body) {
        String n = AlertStore.text(body, "note");
        if (n == null || n.isBlank()) {
            return null;
        }
        return n.length() > NOTE_MAX ? n.substring(0, NOTE_MAX) : n;
    }

    private static String required(JsonNode body, String field) {
        String v = blankToNull(AlertStore.text(body, field));
        if (v == null) {
            throw new BadRequest("'" + field + "' is required");
        }
        return v;
    }

    private static AlertFilter filter(Context ctx) {
        String limit = ctx.queryParam("limit");
        int n;
        try {
            n = limit == null ? 200 : Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            throw new BadRequest("limit must be a number");
        }
        return new AlertFilter(ctx.queryParam("detector"), ctx.queryParam("severity"), ctx.queryParam("user"),
                instant(ctx.queryParam("from")), instant(ctx.queryParam("to")), n);
    }

    /** An instant, or a date-time without zone (the pages' inputs) read as UTC; null when empty. */
    static Long instant(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (RuntimeException e) {
            try {
                return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (RuntimeException e2) {
                throw new BadRequest("not a time: use 2026-11-02T08:15 (UTC) or an ISO-8601 instant");
            }
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static void json(Context ctx, Object o) {
        ctx.contentType(ContentType.APPLICATION_JSON).result(Json.write(o));
    }

    static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }
}
