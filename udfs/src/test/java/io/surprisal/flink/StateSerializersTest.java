package io.surprisal.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.model.UserProfile;
import io.surprisal.novelty.LoginRecency;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The hand-written serializers of the per-event keyed state: every field survives the trip, a copy
 * is deep, the snapshot restores the same serializer, and a field added to a class without its
 * serializer fails here rather than vanish from state.
 */
class StateSerializersTest {
    @Test
    void everyFieldOfAUserProfileRoundTrips() throws Exception {
        UserProfile p = new UserProfile();
        p.states = new String[] {UserProfile.START, "login:success", null};
        p.transitions = new long[] {1L << 40, -3};
        p.events = 12;
        p.sessionId = "s-9";
        p.sessionStart = 1_000;
        p.lastTs = 2_000;
        p.lastState = 2;
        p.lastStateName = "view_item:success";
        p.sessionEvents = 4;
        p.sessionBits = 31.5;
        p.sessionExcess = 7.25;
        p.topBits = new double[] {9.5, 3.0};
        p.topSlots = new byte[] {1, 0};
        p.gapTimer = 1_802_000;
        p.cusum = 2.5;
        p.cusumSteps = 3;
        p.cusumSince = 1_500;
        p.cusumHeadStart = 8;
        p.teachingWindowStart = 900;
        p.taught = new byte[] {2, 1};
        p.sessionsTaught = 2;
        p.stepsInWindow = 31.4;
        p.sessionsInWindow = 2.25;
        p.testsTs = 1_990;
        p.cusumAlertTs = 1_200;
        p.spend.count = 7;
        p.spend.mean = 3.9;
        p.spend.m2 = 1.75;
        p.spend.taught = 2;
        p.spend.judgedInWindow = 1.5;
        p.tally.actions = new int[] {1, 2, 3, 4, 5, 6, 7, 8};
        p.tally.failures = 3;
        p.tally.amount = 99.5;
        p.tally.previousEnd = 700;
        p.tally.gaps = 3;
        p.tally.sumLogGap = 4.25;
        p.tally.sumSquaredLogGap = 7.5;
        p.tally.sumCubedLogGap = 13.125;
        for (int i = 0; i < p.habits.measures.length; i++) {
            p.habits.measures[i].count = 3 + i;
            p.habits.measures[i].mean = 1.5 + i;
            p.habits.measures[i].m2 = 0.25 * i;
        }
        p.habits.taught = 1;
        p.forestTaught = 2;
        p.partSlices.put("velocity", new byte[] {1, 2, 3});
        p.partSlices.put("example", new byte[0]);
        assertRoundTrips(UserProfileSerializer.INSTANCE, p, UserProfile.class, 30);
        assertRoundTrips(UserProfileSerializer.INSTANCE, new UserProfile(), UserProfile.class, 30);
    }

    @Test
    void aUserProfileWrittenInTheLayoutBeforeTheTestCountsIsReadAndMigrated() throws Exception {
        // Bytes written by the serializer of layout 3 (the one before the test counts), and its snapshot.
        UserProfile p = readOlderLayout(3);
        assertThat(p.states).containsExactly(UserProfile.START, "login:success", "view_item:success");
        assertThat(p.count(0, 1)).isEqualTo(5);
        assertThat(p.count(1, 2)).isEqualTo(4);
        assertThat(p.events).isEqualTo(12);
        assertThat(p.sessionId).isEqualTo("s-9");
        assertThat(p.sessionExcess).isEqualTo(7.25);
        assertThat(p.cusumHeadStart).isEqualTo(8);
        assertThat(p.taught).containsExactly(2, 1);
        // The fields layout 3 did not have start at their defaults.
        assertThat(p).usingRecursiveComparison()
                .comparingOnlyFields("sessionsTaught", "stepsInWindow", "sessionsInWindow", "testsTs", "cusumAlertTs")
                .isEqualTo(new UserProfile());

        assertWrittenInTheCurrentLayout(p);
    }

    @Test
    void aUserProfileWrittenInTheLayoutBeforePurchasesIsReadAndMigrated() throws Exception {
        // Bytes written by the serializer of layout 4 (main before detector amount), and its snapshot.
        UserProfile p = readOlderLayout(4);
        assertThat(p.states).containsExactly(UserProfile.START, "login:success", "buy_item:success");
        assertThat(p.count(0, 1)).isEqualTo(7);
        assertThat(p.count(1, 2)).isEqualTo(6);
        assertThat(p.events).isEqualTo(14);
        assertThat(p.sessionId).isEqualTo("s-4");
        assertThat(p.stepsInWindow).isEqualTo(12.5);
        assertThat(p.cusumAlertTs).isEqualTo(1_500);
        assertThat(p.spend).as("no purchases yet").usingRecursiveComparison().isEqualTo(new io.surprisal.amount.SpendHistory());

        assertWrittenInTheCurrentLayout(p);
    }

    @Test
    void aUserProfileWrittenInTheLayoutBeforeSessionVectorsIsReadAndMigrated() throws Exception {
        // Bytes written by the serializer of layout 5 (main with detector amount), and its snapshot.
        UserProfile p = readOlderLayout(5);
        assertThat(p.states).containsExactly(UserProfile.START, "login:success", "buy_item:success");
        assertThat(p.count(0, 1)).isEqualTo(3);
        assertThat(p.count(1, 2)).isEqualTo(2);
        assertThat(p.events).isEqualTo(9);
        assertThat(p.sessionId).isEqualTo("s-5");
        assertThat(p.stepsInWindow).isEqualTo(6.5);
        assertThat(p.cusumAlertTs).isEqualTo(2_500);
        assertThat(p.spend.count).isEqualTo(4);
        assertThat(p.spend.mean).isEqualTo(3.5);
        assertThat(p.spend.m2).isEqualTo(0.75);
        assertThat(p.spend.taught).isEqualTo((byte) 1);
        assertThat(p.spend.judgedInWindow).isEqualTo(2.5);
        // The fields layout 5 did not have start at their defaults: the open session's tally is
        // empty (its vector counts only what comes after the migration), no usual sessions yet.
        assertThat(p).usingRecursiveComparison().comparingOnlyFields("tally", "habits", "forestTaught")
                .isEqualTo(new UserProfile());

        assertWrittenInTheCurrentLayout(p);
    }

    @Test
    void aUserProfileWrittenInTheLayoutBeforeGapLogsIsReadAndItsPerSessionPaceForgotten() throws Exception {
        // Bytes written by the serializer of layout 6 (main with session vectors), and its snapshot.
        UserProfile p = readOlderLayout(6);
        assertThat(p.states).containsExactly(UserProfile.START, "login:success", "view_item:success");
        assertThat(p.count(0, 1)).isEqualTo(2);
        assertThat(p.events).isEqualTo(11);
        assertThat(p.sessionId).isEqualTo("s-6");
        assertThat(p.cusumAlertTs).isEqualTo(3_500);
        assertThat(p.spend.count).isEqualTo(2);
        assertThat(p.tally.actions[1]).isEqualTo(2);
        assertThat(p.tally.failures).isEqualTo(1);
        assertThat(p.tally.previousEnd).isEqualTo(2_000);
        assertThat(p.habits.taught).isEqualTo((byte) 1);
        assertThat(p.forestTaught).isEqualTo((byte) 1);
        for (io.surprisal.session.SessionMeasure m : io.surprisal.session.SessionMeasure.values()) {
            var h = p.habits.of(m);
            if (m == io.surprisal.session.SessionMeasure.PACE) {
                // Learned per session in layout 6, per gap now: a different quantity, learned afresh.
                assertThat(h.count).isZero();
                assertThat(h.m2).isZero();
            } else {
                assertThat(h.count).isEqualTo(5 + m.ordinal());
                assertThat(h.mean).isEqualTo(2.0 + m.ordinal());
                assertThat(h.m2).isEqualTo(0.5 * (m.ordinal() + 1));
            }
        }
        assertThat(p.tally.gaps).as("the open session's gaps count from the migration on").isZero();

        assertWrittenInTheCurrentLayout(p);
    }

    @Test
    void aUserProfileWrittenInTheLayoutBeforeThePaceIsReadWithoutAPace() throws Exception {
        // Bytes written by the serializer of layout 7 (main with velocity an operator of its own), and its snapshot.
        UserProfile p = readOlderLayout(7);
        assertThat(p.states).containsExactly(UserProfile.START, "login:success", "view_item:success");
        assertThat(p.count(0, 1)).isEqualTo(2);
        assertThat(p.count(1, 2)).isEqualTo(1);
        assertThat(p.events).isEqualTo(13);
        assertThat(p.sessionId).isEqualTo("s-7");
        assertThat(p.lastTs).isEqualTo(2_500);
        assertThat(p.cusumAlertTs).isEqualTo(3_700);
        assertThat(p.spend.count).isEqualTo(2);
        assertThat(p.tally.failures).isEqualTo(1);
        assertThat(p.tally.previousEnd).isEqualTo(2_000);
        assertThat(p.forestTaught).isEqualTo((byte) 1);
        var pace = p.habits.of(io.surprisal.session.SessionMeasure.PACE);
        assertThat(pace.count).as("layout 7 learned the pace per gap already: kept").isEqualTo(5 + io.surprisal.session.SessionMeasure.PACE.ordinal());
        assertThat(p.tally.gaps).isEqualTo(2);
        assertThat(p.tally.sumLogGap).isEqualTo(6.5);
        assertThat(p.tally.sumSquaredLogGap).isEqualTo(21.25);
        assertThat(p.partSlices).as("the parts (velocity's pace) start with the next event").isEmpty();

        assertWrittenInTheCurrentLayout(p);
    }

    @Test
    void aUserProfileWrittenInTheLayoutBeforeTheGapCubesIsReadWithThemUnknown() throws Exception {
        // Bytes written by the serializer of layout 8 (main before the cubes of the gaps' logs), and its snapshot.
        UserProfile p = readOlderLayout(8);
        assertThat(p.states).containsExactly(UserProfile.START, "login:success", "view_item:success");
        assertThat(p.events).isEqualTo(21);
        assertThat(p.sessionId).isEqualTo("s-8");
        assertThat(p.lastTs).isEqualTo(3_500);
        assertThat(p.spend.count).isEqualTo(3);
        assertThat(p.tally.failures).isEqualTo(2);
        assertThat(p.tally.previousEnd).isEqualTo(2_400);
        var pace = p.habits.of(io.surprisal.session.SessionMeasure.PACE);
        assertThat(pace.count).isEqualTo(12);
        assertThat(pace.mean).isEqualTo(-2.25);
        assertThat(p.tally.gaps).isEqualTo(3);
        assertThat(p.tally.sumLogGap).isEqualTo(7.5);
        assertThat(p.tally.sumSquaredLogGap).isEqualTo(19.75);
        assertThat(p.tally.sumCubedLogGap).as("the open session's gaps were not cubed: unknown").isNaN();
        assertThat(p.partSlices).containsOnlyKeys("velocity");
        assertThat(p.partSlices.get("velocity")).containsExactly(4, 5, 6);
        assertWrittenInTheCurrentLayout(p);
        // Once the session closes, the next one counts them again.
        p.tally.closeAt(3_500);
        assertThat(p.tally.sumCubedLogGap).isZero();
    }

    /** The profile written in an older layout (resources), after checking Flink will migrate it. */
    private static UserProfile readOlderLayout(int layout) throws Exception {
        byte[] state = resource("/state/user-profile-layout" + layout + ".bin");
        byte[] snapshotBytes = resource("/state/user-profile-layout" + layout + ".snapshot");
        TypeSerializerSnapshot<UserProfile> old = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(snapshotBytes), StateSerializersTest.class.getClassLoader());
        assertThat(UserProfileSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(old).isCompatibleAfterMigration())
                .as("old state is migrated, not read as if it were new").isTrue();
        return old.restoreSerializer().deserialize(new DataInputDeserializer(state));
    }

    /** Migrated, it is written and read in the current layout. */
    private static void assertWrittenInTheCurrentLayout(UserProfile p) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        UserProfileSerializer.INSTANCE.serialize(p, out);
        assertThat(UserProfileSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
                .usingRecursiveComparison().withEqualsForType((a, b) -> Double.compare(a, b) == 0, Double.class).isEqualTo(p);
    }

    private static byte[] resource(String name) throws java.io.IOException {
        try (var in = StateSerializersTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    /** A pace with every field set (detector velocity's slice of the profile). */
    @Test
    void anIdleUserCostsOneByteOfPartSlicesAndEachSliceItsNameAndBytes() throws Exception {
        DataOutputSerializer without = new DataOutputSerializer(256);
        UserProfileSerializer.INSTANCE.serialize(new UserProfile(), without);
        UserProfile p = new UserProfile();
        p.partSlices.put("velocity", new byte[] {1, 2, 3});
        DataOutputSerializer with = new DataOutputSerializer(256);
        UserProfileSerializer.INSTANCE.serialize(p, with);
        // The name in modified UTF-8 (2 + 8 bytes), the length (4) and the 3 bytes.
        assertThat(with.length() - without.length()).isEqualTo(2 + 8 + 4 + 3);
        assertWrittenInTheCurrentLayout(p);
    }

    @Test
    void everyFieldOfALoginRecencyRoundTrips() throws Exception {
        LoginRecency r = new LoginRecency();
        r.session = "s-1";
        r.lastFailedLogin = 10;
        r.lastNovelLogin = 20;
        assertRoundTrips(LoginRecencySerializer.INSTANCE, r, LoginRecency.class, 3);
        assertRoundTrips(LoginRecencySerializer.INSTANCE, new LoginRecency(), LoginRecency.class, 3);
    }

    private static <T> void assertRoundTrips(TypeSerializer<T> serializer, T value, Class<T> type, int fields) throws Exception {
        long stateFields = Arrays.stream(type.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()) && !Modifier.isTransient(f.getModifiers()))
                .count();
        assertThat(stateFields).as("fields of " + type.getSimpleName() + ": a new one needs its line in " + serializer.getClass().getSimpleName())
                .isEqualTo(fields);

        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        T back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back).usingRecursiveComparison().isEqualTo(value);

        T copy = serializer.copy(value);
        assertThat(copy).isNotSameAs(value).usingRecursiveComparison().isEqualTo(value);
        for (Field f : type.getDeclaredFields()) {
            if (f.getType().isArray() && !Modifier.isStatic(f.getModifiers())) {
                assertThat(f.get(copy)).as(f.getName() + " is copied, not shared").isNotSameAs(f.get(value));
            }
        }

        TypeSerializerSnapshot<T> snapshot = serializer.snapshotConfiguration();
        DataOutputSerializer snapOut = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(snapOut, snapshot);
        TypeSerializerSnapshot<T> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(snapOut.getCopyOfBuffer()), StateSerializersTest.class.getClassLoader());
        assertThat(restored.restoreSerializer()).isSameAs(serializer);
        TypeSerializerSchemaCompatibility<T> compat = serializer.snapshotConfiguration().resolveSchemaCompatibility(restored);
        assertThat(compat.isCompatibleAsIs()).isTrue();
    }
}
