package io.surprisal.tools.challenge;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Random;

/**
 * Writes synthetic batch and stream logs in the challenge's format, for load tests: first a random
 * friendship graph of the requested average degree, then purchases interleaved with some
 * befriend/unfriend events. Amounts are per-user lognormal with rare large outliers, so a few
 * purchases get flagged. Deterministic for a given seed.
 */
public final class ChallengeDataGenerator {

    /** How many events of each kind were written. */
    public record Counts(long befriends, long unfriends, long purchases) {}

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Random random;
    private final int users;
    private final int[][] friends;     // adjacency lists kept for picking unfriend pairs
    private final int[] degree;
    private final double[] typicalAmount;
    private LocalDateTime clock = LocalDateTime.of(2017, 6, 13, 0, 0, 0);
    private String clockText = TIMESTAMP.format(clock);
    private long befriends;
    private long unfriends;
    private long purchases;

    private ChallengeDataGenerator(int users, long seed) {
        this.random = new Random(seed);
        this.users = users;
        this.friends = new int[users][8];
        this.degree = new int[users];
        this.typicalAmount = new double[users];
        for (int user = 0; user < users; user++) {
            typicalAmount[user] = Math.exp(2.5 + random.nextGaussian()); // median ~ 12 dollars
        }
    }

    /**
     * Writes {@code batchEvents} events (after a {@code {"D", "T"}} header) to {@code batchLog} and
     * {@code streamEvents} to {@code streamLog}. The batch starts with
     * {@code users * averageDegree / 2} befriend events.
     */
    public static Counts generate(Path batchLog, Path streamLog, int users, double averageDegree,
            int batchEvents, int streamEvents, int degrees, int tracked, long seed) throws IOException {
        ChallengeDataGenerator generator = new ChallengeDataGenerator(users, seed);
        try (Writer batch = Files.newBufferedWriter(batchLog, StandardCharsets.UTF_8)) {
            batch.write("{\"D\":\"" + degrees + "\", \"T\":\"" + tracked + "\"}\n");
            long friendships = Math.min(batchEvents, Math.round(users * averageDegree / 2));
            for (long i = 0; i < friendships; i++) {
                generator.befriend(batch);
            }
            for (long i = friendships; i < batchEvents; i++) {
                generator.mixedEvent(batch);
            }
        }
        try (Writer stream = new BufferedWriter(Files.newBufferedWriter(streamLog, StandardCharsets.UTF_8), 1 << 16)) {
            for (long i = 0; i < streamEvents; i++) {
                generator.mixedEvent(stream);
            }
        }
        return new Counts(generator.befriends, generator.unfriends, generator.purchases);
    }

    private void mixedEvent(Writer out) throws IOException {
        if (random.nextInt(4) == 0) {
            clock = clock.plusSeconds(1); // several events share a second: ties are common
            clockText = TIMESTAMP.format(clock);
        }
        int dice = random.nextInt(100);
        if (dice < 2) {
            befriend(out);
        } else if (dice < 3) {
            unfriend(out);
        } else {
            purchase(out);
        }
    }

    private void purchase(Writer out) throws IOException {
        int user = random.nextInt(users);
        double dollars = typicalAmount[user] * Math.exp(0.3 * random.nextGaussian());
        if (random.nextInt(500) == 0) {
            dollars *= 30; // a rare splurge
        }
        long cents = Math.max(1, Math.round(dollars * 100));
        String amount = (cents / 100) + "." + (cents % 100 < 10 ? "0" : "") + (cents % 100);
        out.write("{\"event_type\":\"purchase\", \"timestamp\":\"" + clockText + "\", \"id\": \"" + user
                + "\", \"amount\": \"" + amount + "\"}\n");
        purchases++;
    }

    private void befriend(Writer out) throws IOException {
        int a = random.nextInt(users);
        int b = random.nextInt(users - 1);
        if (b >= a) {
            b++; // never a self-friendship
        }
        link(a, b);
        link(b, a);
        writeFriendship(out, "befriend", a, b);
        befriends++;
    }

    private void unfriend(Writer out) throws IOException {
        int a = random.nextInt(users);
        if (degree[a] == 0) {
            befriend(out);
            return;
        }
        int b = friends[a][random.nextInt(degree[a])];
        unlink(a, b);
        unlink(b, a);
        writeFriendship(out, "unfriend", a, b);
        unfriends++;
    }

    private void writeFriendship(Writer out, String type, int a, int b) throws IOException {
        out.write("{\"event_type\":\"" + type + "\", \"timestamp\":\"" + clockText + "\", \"id1\": \"" + a
                + "\", \"id2\": \"" + b + "\"}\n");
    }

    private void link(int user, int friend) {
        if (degree[user] == friends[user].length) {
            friends[user] = java.util.Arrays.copyOf(friends[user], degree[user] * 2);
        }
        friends[user][degree[user]++] = friend; // duplicates possible, as in a real log; harmless
    }

    private void unlink(int user, int friend) {
        int[] list = friends[user];
        for (int i = 0; i < degree[user]; i++) {
            if (list[i] == friend) {
                list[i] = list[--degree[user]];
                i--; // remove duplicates too
            }
        }
    }
}
