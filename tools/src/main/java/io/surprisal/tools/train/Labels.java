package io.surprisal.tools.train;

import io.surprisal.sim.UserLabel;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The simulator's labels (user,type,scenario,scenario_start) as session and login labels: every
 * session and login of a malicious profile (bot, spammer, fraudster, attacker) is malicious; of a
 * user given an attack scenario, the sessions that end, and the logins made, at or after the
 * scenario's start; everything else is benign.
 */
public final class Labels {
    private final Map<String, UserLabel> labels;

    private Labels(Map<String, UserLabel> labels) {
        this.labels = labels;
    }

    public static Labels read(Path csv) throws IOException {
        Map<String, UserLabel> m = new HashMap<>();
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String line = r.readLine();
            if (line == null || !line.strip().equals(UserLabel.CSV_HEADER)) {
                throw new IOException(csv + ": the header " + UserLabel.CSV_HEADER + " expected");
            }
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length != 4) {
                    throw new IOException(csv + ": 4 fields expected: " + line);
                }
                m.put(f[0], new UserLabel(f[0], f[1], f[2], f[3]));
            }
        }
        return new Labels(m);
    }

    public boolean knows(String user) {
        return labels.containsKey(user);
    }

    /** The user's group: the profile, or the scenario when it is an attack. */
    public String group(String user) {
        UserLabel l = labels.get(user);
        if (l == null) {
            return "unlabelled";
        }
        return malicious(l) && !profileMalicious(l) ? l.scenario() : l.type();
    }

    /** Whether the user's session ending at {@code ts}, or login at {@code ts}, is malicious. */
    public boolean malicious(String user, long ts) {
        UserLabel l = labels.get(user);
        if (l == null || !l.positive()) {
            return false;
        }
        if (profileMalicious(l)) {
            return true;
        }
        return l.scenarioStart().isEmpty() || ts >= Instant.parse(l.scenarioStart()).toEpochMilli();
    }

    private static boolean malicious(UserLabel l) {
        return l.positive();
    }

    private static boolean profileMalicious(UserLabel l) {
        return switch (l.type()) {
            case "bot", "spammer", "fraudster", "attacker" -> true;
            default -> false;
        };
    }
}
