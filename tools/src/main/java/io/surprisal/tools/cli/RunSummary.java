package io.surprisal.tools.cli;

import io.surprisal.novelty.LoginNoveltyLogic;
import io.surprisal.flink.UserBehaviourFunction;
import io.surprisal.job.LocalLinesSink;
import io.surprisal.job.LocalRunner;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The run summary on stderr, and a progress line while stderr is a terminal. */
final class RunSummary {
    private RunSummary() {}

    static void print(PrintStream err, String input, LocalRunner.Result r) {
        Map<String, Integer> byDetector = new TreeMap<>();
        for (String a : r.alerts()) {
            byDetector.merge(field(a, "detector"), 1, Integer::sum);
        }
        Map<String, Integer> byReason = new TreeMap<>();
        for (String d : r.deadLetters()) {
            byReason.merge(field(d, "reason"), 1, Integer::sum);
        }
        double seconds = r.elapsed().toNanos() / 1e9;
        err.printf(Locale.ROOT, "surprisal run: %s%n", input);
        err.printf(Locale.ROOT, "  lines read      %,d%n", r.linesRead());
        err.printf(Locale.ROOT, "  events scored   %,d%n", r.eventsScored());
        err.printf(Locale.ROOT, "  dead letters    %,d%s%n", r.deadLetters().size(), breakdown(byReason));
        err.printf(Locale.ROOT, "  alerts          %,d%s%n", r.alerts().size(), breakdown(byDetector));
        String warmUp = warmUp(r.warmUp());
        if (!warmUp.isEmpty()) {
            err.printf(Locale.ROOT, "  warming up      %s%n", warmUp);
            err.printf(Locale.ROOT, "                  (scored before the population minimums were reached: no alert possible; docs/login-novelty.md#warm-up-and-minimums)%n");
        }
        long firstLogins = r.warmUp().getOrDefault(LoginNoveltyLogic.WITHOUT_HISTORY_ACCUMULATOR, 0L);
        if (firstLogins > 0) {
            err.printf(Locale.ROOT, "  first logins    %,d (login-novelty: users with no login before, nothing to be new against)%n", firstLogins);
        }
        err.printf(Locale.ROOT, "  elapsed         %.1f s, %,.0f events/s%n", seconds, r.linesRead() / Math.max(seconds, 1e-9));
    }

    /**
     * What each detector scored while warming up, e.g. {@code transition,cusum 1,234 events;
     * session 40 sessions; login-novelty 96 logins; amount 310 purchases}; empty when nothing was.
     */
    static String warmUp(Map<String, Long> counts) {
        StringBuilder sb = new StringBuilder();
        appendWarmUp(sb, counts, UserBehaviourFunction.WARMING_UP_EVENTS_ACCUMULATOR, "events");
        appendWarmUp(sb, counts, UserBehaviourFunction.WARMING_UP_SESSIONS_ACCUMULATOR, "sessions");
        appendWarmUp(sb, counts, LoginNoveltyLogic.WARMING_UP_ACCUMULATOR, "logins");
        appendWarmUp(sb, counts, UserBehaviourFunction.WARMING_UP_PURCHASES_ACCUMULATOR, "purchases");
        appendWarmUp(sb, counts, UserBehaviourFunction.WARMING_UP_SESSION_MEASURES_ACCUMULATOR, "session measures");
        appendWarmUp(sb, counts, UserBehaviourFunction.WARMING_UP_FOREST_ACCUMULATOR, "sessions");
        appendWarmUp(sb, counts, UserBehaviourFunction.WARMING_UP_VISIT_LENGTH_ACCUMULATOR, "visits");
        // Other closed-visit detectors count visits too.
        counts.forEach((name, n) -> {
            if (name.startsWith("warming-up:") && !LocalRunner.WARM_UP_ACCUMULATORS.contains(name)) {
                appendWarmUp(sb, counts, name, "visits");
            }
        });
        return sb.toString();
    }

    private static void appendWarmUp(StringBuilder sb, Map<String, Long> counts, String accumulator, String unit) {
        long n = counts.getOrDefault(accumulator, 0L);
        if (n > 0) {
            sb.append(sb.length() > 0 ? "; " : "").append(accumulator.substring(accumulator.indexOf(':') + 1))
                    .append(String.format(Locale.ROOT, " %,d %s", n, unit));
        }
    }

    /** A top-level string field of a JSON line we wrote ourselves (no escapes in these values). */
    static String field(String json, String name) {
        String key = "\"" + name + "\":\"";
        int i = json.indexOf(key);
        if (i < 0) {
            return "?";
        }
        int start = i + key.length();
        return json.substring(start, json.indexOf('"', start));
    }

    private static String breakdown(Map<String, Integer> m) {
        if (m.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("  (");
        m.forEach((k, v) -> sb.append(sb.length() > 3 ? ", " : "").append(k).append(' ').append(String.format(Locale.ROOT, "%,d", v)));
        return sb.append(')').toString();
    }

    /** Starts a progress line on stderr if it is a terminal; returns the scheduler to stop, or null. */
    static ScheduledExecutorService startProgress(PrintStream err) {
        if (System.console() == null) {
            return null;
        }
        long start = System.nanoTime();
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "progress");
            t.setDaemon(true);
            return t;
        });
        long before = LocalLinesSink.WRITTEN.get();
        s.scheduleAtFixedRate(() -> err.printf(Locale.ROOT, "\r  running %.0f s: %,d alerts and dead letters so far ",
                (System.nanoTime() - start) / 1e9, LocalLinesSink.WRITTEN.get() - before), 1, 1, TimeUnit.SECONDS);
        return s;
    }

    static void stopProgress(PrintStream err, ScheduledExecutorService s) {
        if (s != null) {
            s.shutdownNow();
            err.print("\r\033[K");
        }
    }
}
