package io.surprisal.velocity;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.alert.Alert;
import io.surprisal.alert.Severity;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.event.Event;
import io.surprisal.model.TopEventStore;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Detector {@code velocity} as a part, in plain Java: its alerts, the events they list, its ring writes and its reset. */
class VelocityPartTest {
    private static final long T0 = 1_800_000_000_000L; // a whole minute

    /** A ring that counts its writes and its live slots. */
    private static final class CountingStore implements TopEventStore {
        final TopEventStore.InMemory slots = new TopEventStore.InMemory();
        int puts;
        final java.util.Set<Integer> used = new java.util.HashSet<>();

        @Override
        public void put(int slot, Event e) {
            puts++;
            used.add(slot);
            slots.put(slot, e);
        }

        @Override
        public Event get(int slot) {
            return slots.get(slot);
        }

        @Override
        public void clear(int used) {
            for (int s = 0; s < used; s++) {
                this.used.remove(s);
            }
            slots.clear(used);
        }
    }

    private static Event event(String user, long ts, int i) {
        Event e = new Event();
        e.ts = ts;
        e.eventId = user + "-" + i;
        e.user = user;
        e.action = "view_item";
        e.bits = 0.5;
        return e;
    }

    @Test
    void aCrawlerAtTwentyEventsAMinuteAlertsOnceWithItsLastEventsAndAPersonNever() {
        VelocityPart part = new VelocityPart(ConfigLoader.defaults());
        VelocityState crawler = new VelocityState();
        VelocityState person = new VelocityState();
        CountingStore crawlerRing = new CountingStore();
        CountingStore personRing = new CountingStore();
        List<Alert> alerts = new ArrayList<>();
        List<Event> crawled = new ArrayList<>();
        for (int i = 0; i < 20 * 8; i++) {
            long ts = T0 + i * 3000L + (i % 3) * 700L; // ~20 a minute, gaps of 2.3..4.4 s (cv ~0.3: not "regular")
            Event c = event("crawler", ts, i);
            crawled.add(c);
            add(alerts, part.onEvent(crawler, c, crawlerRing));
            add(alerts, part.onEvent(person, event("person", T0 + i * 25_000L + (i % 5) * 3000L, i), personRing));
        }
        assertThat(alerts).hasSize(1);
        Alert a = alerts.get(0);
        assertThat(a.detector).isEqualTo("velocity");
        assertThat(a.user).isEqualTo("crawler");
        assertThat(a.severity).isEqualTo(Severity.HIGH);
        assertThat(a.unit).isEqualTo("events/min");
        assertThat(a.score).isEqualTo(16.0);
        int trigger = crawled.indexOf(crawled.stream().filter(e -> e.eventId.equals(a.events.get(a.events.size() - 1).eventId)).findFirst().orElseThrow());
        assertThat(a.events).extracting(e -> e.eventId)
                .containsExactlyElementsOf(crawled.subList(trigger - 19, trigger + 1).stream().map(e -> e.eventId).toList());
        assertThat(a.reasons.get(0).bits).isEqualTo(20 * 0.5);
    }

    @Test
    void withoutTheRegularityTestOnlyARunsLastMinutesAreWritten() {
        VelocityPart part = new VelocityPart(ConfigLoader.load(null, List.of("detectors.velocity.regular-gaps=0")));
        VelocityState crawler = new VelocityState();
        VelocityState person = new VelocityState();
        CountingStore crawlerRing = new CountingStore();
        CountingStore personRing = new CountingStore();
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < 20 * 8; i++) {
            add(alerts, part.onEvent(crawler, event("crawler", T0 + i * 3000L + (i % 3) * 700L, i), crawlerRing));
            add(alerts, part.onEvent(person, event("person", T0 + i * 25_000L + (i % 5) * 3000L, i), personRing));
        }
        assertThat(alerts).singleElement().satisfies(a -> assertThat(a.events).hasSize(20));
        // An alert needs 16 events in a minute after 4 such minutes: before the 4th, no event can be listed.
        assertThat(crawlerRing.puts).isLessThan(3 * 20);
        assertThat(personRing.puts).isZero();
    }

    @Test
    void aScriptOnAFixedSleepIsTooRegular() {
        VelocityPart part = new VelocityPart(ConfigLoader.defaults());
        VelocityState cron = new VelocityState();
        CountingStore ring = new CountingStore();
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            add(alerts, part.onEvent(cron, event("cron", T0 + i * 10_000L, i), ring));
        }
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.unit).isEqualTo("cv");
            assertThat(a.score).isZero();
            assertThat(a.summary).contains("too regular");
            assertThat(a.events).extracting(e -> e.eventId).first().isEqualTo("cron-1");
            assertThat(a.events).extracting(e -> e.eventId).last().isEqualTo("cron-20");
        });
        // After its alert the run cannot alert again: nothing more is written.
        assertThat(ring.puts).isEqualTo(20);
    }

    @Test
    void aUserIdleLongerThanAnyRunStartsAfreshAndAQuietUserLeavesNothing() {
        VelocityPart part = new VelocityPart(ConfigLoader.defaults());
        VelocityState user = new VelocityState();
        CountingStore ring = new CountingStore();
        List<Alert> alerts = new ArrayList<>();
        // Nineteen regular events, an idle hour, then a regular run of twenty gaps: the alert lists
        // only events after the idle hour.
        int i = 0;
        for (; i < 19; i++) {
            add(alerts, part.onEvent(user, event("u", T0 + i * 10_000L, i), ring));
        }
        long back = T0 + 3_600_000L;
        for (int k = 0; k < 21; k++, i++) {
            add(alerts, part.onEvent(user, event("u", back + k * 10_000L, i), ring));
        }
        assertThat(alerts).singleElement().satisfies(a -> assertThat(a.events).allSatisfy(e -> assertThat(e.ts).isGreaterThanOrEqualTo(back)));

        part.onQuiet(user, user.lastTs + 60_000L, ring);
        assertThat(user.isEmpty()).as("two minutes are not idle enough for max-regular-gap 5m").isFalse();
        part.onQuiet(user, user.lastTs + 5 * 60_000L + 1, ring);
        assertThat(user.isEmpty()).isTrue();
        assertThat(ring.used).isEmpty();
    }

    /**
     * The ring is written only for events an alert may still list; every alert lists exactly what a
     * ring written on every event would: the last max-events events since the user was last idle.
     * Random bots and people, on several settings.
     */
    @Test
    void everyAlertListsTheLastEventsOfItsStretchThoughTheRingIsWrittenSeldom() {
        List<List<String>> settings = List.of(
                List.of(),
                List.of("alerts.max-events=5"),
                List.of("detectors.velocity.regular-gaps=10"),
                List.of("detectors.velocity.max-events-per-minute=2", "detectors.velocity.sustained-minutes=2"),
                List.of("detectors.velocity.max-events-per-minute=4", "detectors.velocity.sustained-minutes=2", "alerts.max-events=12"),
                List.of("detectors.velocity.regular-gaps=0", "detectors.velocity.sustained-minutes=1"),
                List.of("detectors.velocity.max-gap-cv=0.4", "detectors.velocity.regular-gaps=6", "alerts.max-events=8"));
        SplittableRandom rng = new SplittableRandom(19);
        long alertsSeen = 0;
        for (List<String> set : settings) {
            SurprisalConfig config = ConfigLoader.load(null, set);
            int maxEvents = config.alerts().maxEvents();
            long idle = new VelocityTracker(config.detectors().velocity()).idleMillis();
            VelocityPart part = new VelocityPart(config);
            for (int u = 0; u < 60; u++) {
                VelocityState user = new VelocityState();
                CountingStore ring = new CountingStore();
                List<Event> stretch = new ArrayList<>();
                long ts = T0 + rng.nextLong(60_000);
                for (int i = 0; i < 600; i++) {
                    ts += nextGap(rng, u % 4);
                    Event e = event("u" + u, ts, i);
                    if (!stretch.isEmpty() && ts - stretch.get(stretch.size() - 1).ts > idle) {
                        stretch.clear();
                    }
                    stretch.add(e);
                    Alert a = part.onEvent(user, e, ring);
                    if (a != null) {
                        alertsSeen++;
                        List<Event> expected = stretch.subList(Math.max(0, stretch.size() - maxEvents), stretch.size());
                        assertThat(a.events).as("settings %s, user %d, event %d", set, u, i).containsExactlyElementsOf(expected);
                    }
                }
            }
        }
        assertThat(alertsSeen).as("the streams raise alerts to check").isGreaterThan(50);
    }

    /** A gap: a crawler's (kind 0), a script's on a jittered sleep (1), a person's (2), or bursts and pauses (3). */
    private static long nextGap(SplittableRandom rng, int kind) {
        return switch (kind) {
            case 0 -> 1_000 + rng.nextLong(3_500);
            case 1 -> rng.nextInt(50) == 0 ? 400_000 : 10_000 + rng.nextLong(600);
            case 2 -> rng.nextInt(8) == 0 ? 60_000 + rng.nextLong(2_000_000) : 2_000 + rng.nextLong(40_000);
            default -> rng.nextInt(30) == 0 ? 200_000 + rng.nextLong(300_000) : rng.nextLong(2_500);
        };
    }

    private static void add(List<Alert> alerts, Alert a) {
        if (a != null) {
            alerts.add(a);
        }
    }

    @Test
    void everyFieldOfAUsersPaceRoundTripsThroughItsSliceAndClearEmptiesIt() throws Exception {
        long fields = java.util.Arrays.stream(VelocityState.class.getDeclaredFields())
                .filter(f -> !java.lang.reflect.Modifier.isStatic(f.getModifiers())).count();
        assertThat(fields).as("fields of VelocityState: a new one needs its line in writeSlice, readSlice and clear").isEqualTo(14);
        VelocityState s = new VelocityState();
        s.lastTs = 5_000;
        s.events = 40;
        s.minute = 83;
        s.minuteCount = 16;
        s.fastRun = 4;
        s.lastFastMinute = 82;
        s.rateAlerted = true;
        s.gaps = new long[] {1_000, 1_010, 990};
        s.gapCount = 3;
        s.gapNext = 0;
        s.gapSum = 3_000;
        s.gapSumSquares = 3_000_200;
        s.regularAlerted = true;
        s.ringSlots = 17;
        VelocityPart part = new VelocityPart(ConfigLoader.defaults());
        var out = new java.io.ByteArrayOutputStream();
        part.writeSlice(s, new java.io.DataOutputStream(out));
        // The flags, six longs and five ints, and the gaps: their count and three longs.
        assertThat(out.size()).isEqualTo(1 + 6 * 8 + 5 * 4 + 4 + 3 * 8);
        VelocityState back = part.readSlice(new java.io.DataInputStream(new java.io.ByteArrayInputStream(out.toByteArray())));
        assertThat(back).usingRecursiveComparison().isEqualTo(s);
        assertThat(part.isEmpty(s)).isFalse();
        s.clear();
        assertThat(s).usingRecursiveComparison().isEqualTo(new VelocityState());
        assertThat(part.isEmpty(s)).isTrue();
    }
}
