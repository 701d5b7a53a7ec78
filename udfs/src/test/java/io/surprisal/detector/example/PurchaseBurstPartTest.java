package io.surprisal.detector.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.alert.Alert;
import io.surprisal.config.ConfigLoader;
import io.surprisal.config.SurprisalConfig;
import io.surprisal.detector.UserDetectorPart;
import io.surprisal.event.Event;
import io.surprisal.flink.Descriptors;
import io.surprisal.flink.UserBehaviourFunction;
import io.surprisal.flink.UserBehaviourHarness;
import io.surprisal.model.UserProfile;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A new detector plugs into the per-user operator with its own package and one registration line:
 * {@link PurchaseBurstPart}, registered below as the job registers its parts, runs on the operator's
 * harness with its slice in the user's profile, its events in its own map, its alert on the alerts'
 * output, and nothing of it left once the user is quiet.
 */
class PurchaseBurstPartTest {
    private static final long T0 = 1_800_000_000_000L;

    /** The per-user operator with the example registered. */
    static final class WithPurchaseBurst extends UserBehaviourFunction {
        WithPurchaseBurst(SurprisalConfig config) {
            super(config);
        }

        @Override
        protected List<UserDetectorPart<?>> parts(SurprisalConfig config) {
            List<UserDetectorPart<?>> parts = super.parts(config);
            parts.add(new PurchaseBurstPart()); // the registration line
            return parts;
        }
    }

    private final SurprisalConfig config = ConfigLoader.defaults();
    private UserBehaviourHarness opened;
    private KeyedOneInputStreamOperatorTestHarness<String, Event, Event> harness;

    @BeforeEach
    void open() throws Exception {
        opened = UserBehaviourHarness.open(new WithPurchaseBurst(config), config);
        harness = opened.harness;
    }

    @AfterEach
    void close() throws Exception {
        opened.close();
    }

    @Test
    void threePurchasesInAMinuteAlertWithThemAndAQuietUserKeepsNothingOfThePart() throws Exception {
        send("quick", "login", T0);
        send("quick", "buy_item", T0 + 10_000);
        send("quick", "buy_item", T0 + 30_000);
        send("quick", "buy_item", T0 + 50_000);
        send("slow", "login", T0);
        for (int i = 1; i <= 3; i++) {
            send("slow", "buy_item", T0 + i * 45_000L);
        }
        harness.processWatermark(new Watermark(T0 + 60_000));
        assertThat(profile("quick").partSlices).containsKey(PurchaseBurstPart.DETECTOR);
        harness.processWatermark(new Watermark(T0 + 140_000));

        List<Alert> bursts = harness.getSideOutput(Descriptors.ALERTS).stream().map(StreamRecord::getValue)
                .filter(a -> a.detector.equals(PurchaseBurstPart.DETECTOR)).collect(Collectors.toList());
        assertThat(bursts).singleElement().satisfies(a -> {
            assertThat(a.user).isEqualTo("quick");
            assertThat(a.summary).isEqualTo("quick bought 3 times in 40 s");
            assertThat(a.events).extracting(e -> e.ts).containsExactly(T0 + 10_000, T0 + 30_000, T0 + 50_000);
        });
        assertThat(profile("quick").partSlices).as("a minute after the last purchase").doesNotContainKey(PurchaseBurstPart.DETECTOR);
        assertThat(profile("slow").partSlices).containsKey(PurchaseBurstPart.DETECTOR);

        harness.processWatermark(new Watermark(T0 + 200_000));
        assertThat(profile("slow").partSlices).doesNotContainKey(PurchaseBurstPart.DETECTOR);
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).as("per user, the profile and the behaviour group").isEqualTo(4);
    }

    @Test
    void anEventAtExactlyThePartsQuietTimeLeavesTheQuietTimerArmed() throws Exception {
        long purchase = T0 + 10_000;
        long quiet = purchase + PurchaseBurstPart.WINDOW_MS + 1;
        long gap = config.model().session().inactivityGap().toMillis();
        send("u", "login", T0);
        send("u", "buy_item", purchase);
        // Not a purchase: the part's quiet time stays where it was, at this event's time.
        send("u", "view_item", quiet);
        harness.processWatermark(new Watermark(quiet));
        assertThat(profile("u").sessionOpen()).isTrue();

        harness.processWatermark(new Watermark(quiet + gap));
        assertThat(profile("u").sessionOpen()).as("closed after the inactivity gap").isFalse();
        assertThat(profile("u").partSlices).as("the part's quiet time has passed").doesNotContainKey(PurchaseBurstPart.DETECTOR);
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    private void send(String user, String action, long ts) throws Exception {
        Event e = new Event();
        e.user = user;
        e.action = action;
        e.ts = ts;
        e.eventId = user + "@" + ts;
        e.session = user + "-s1";
        harness.processElement(e, ts);
    }

    private UserProfile profile(String user) throws Exception {
        return opened.profileOrNull(user);
    }
}
