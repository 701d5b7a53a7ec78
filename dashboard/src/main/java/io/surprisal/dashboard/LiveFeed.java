package io.surprisal.dashboard;

import io.javalin.http.sse.SseClient;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The open pages' server-sent event streams: each new alert and action goes to all of them. */
final class LiveFeed {
    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();

    void add(SseClient client) {
        clients.add(client);
        client.onClose(() -> clients.remove(client));
    }

    void alert(AlertRow row) {
        send("alert", Json.row(row));
    }

    void action(Feedback f) {
        send("action", f.toJson());
    }

    private void send(String event, String data) {
        for (SseClient c : clients) {
            if (c.terminated()) {
                clients.remove(c);
                continue;
            }
            try {
                c.sendEvent(event, data);
            } catch (RuntimeException e) {
                clients.remove(c);
            }
        }
    }

    int size() {
        return clients.size();
    }
}
