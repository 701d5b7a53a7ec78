package io.surprisal.flink;

import io.surprisal.model.UserProfile;
import io.surprisal.session.SessionTally;
import io.surprisal.usual.LogMoments;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Flink's serializer of {@link UserProfile} (state {@code user-profile}, read and written per event),
 * field by field. Versioned: its snapshot says which layout the state was written in, and state of
 * an older layout is read with {@link OlderLayout} and migrated (Flink rewrites it in this one).
 */
public final class UserProfileSerializer extends FieldByFieldSerializer<UserProfile> {
    public static final UserProfileSerializer INSTANCE = new UserProfileSerializer();
    /**
     * The layout this serializer writes. Layout 3 (written with Flink's SimpleTypeSerializerSnapshot,
     * whose version is 3) had neither the test counts of the false-alarm window, nor the sessions
     * taught, nor the time of the last cusum alert; layout 4 had no purchases (detector amount);
     * layout 5 had no session vector's tally, no usual sessions (session-profile) and no forest
     * teaching count (session-forest); layout 6 had no logs of the session's gaps, and its usual
     * pace was per session (read as no usual pace: the pace is now learned per gap); layout 7 had
     * no detector parts' slices (detector velocity was an operator of its own: read as no pace yet);
     * layout 8 had no cubes of the open session's gap logs (read as unknown: that session teaches
     * no shape).
     */
    static final int CURRENT_VERSION = 9;

    @Override
    public UserProfile createInstance() {
        return new UserProfile();
    }

    @Override
    public void serialize(UserProfile p, DataOutputView out) throws IOException {
        writeVersion3Fields(p, out);
        writeVersion4Fields(p, out);
        writeVersion5Fields(p, out);
        writeVersion6Fields(p, out);
        writeVersion7Fields(p, out);
        writePartSlices(p, out);
        writeVersion9Fields(p, out);
    }

    /** The fields layout 9 added to layout 8 (the cubes of the open session's gap logs). */
    static void writeVersion9Fields(UserProfile p, DataOutputView out) throws IOException {
        out.writeDouble(p.tally.sumCubedLogGap);
    }

    static void readVersion9Fields(UserProfile p, DataInputView in) throws IOException {
        p.tally.sumCubedLogGap = in.readDouble();
    }

    /** The fields layout 7 added to layout 6 (the open session's gap logs). */
    static void writeVersion7Fields(UserProfile p, DataOutputView out) throws IOException {
        SessionTally t = p.tally;
        out.writeInt(t.gaps);
        out.writeDouble(t.sumLogGap);
        out.writeDouble(t.sumSquaredLogGap);
    }

    static void readVersion7Fields(UserProfile p, DataInputView in) throws IOException {
        SessionTally t = p.tally;
        t.gaps = in.readInt();
        t.sumLogGap = in.readDouble();
        t.sumSquaredLogGap = in.readDouble();
    }

    /**
     * The detector parts' slices (layout 8): their number in one byte (0 for most idle users), then
     * each part's name and bytes, which only the part reads.
     */
    static void writePartSlices(UserProfile p, DataOutputView out) throws IOException {
        out.writeByte(p.partSlices.size());
        for (var slice : p.partSlices.entrySet()) {
            out.writeUTF(slice.getKey());
            writeBytes(slice.getValue(), out);
        }
    }

    static void readPartSlices(UserProfile p, DataInputView in) throws IOException {
        int n = in.readUnsignedByte();
        for (int i = 0; i < n; i++) {
            p.partSlices.put(in.readUTF(), readBytes(in));
        }
    }

    /** The fields layout 6 added to layout 5 (session vectors, detectors session-profile and session-forest). */
    static void writeVersion6Fields(UserProfile p, DataOutputView out) throws IOException {
        SessionTally t = p.tally;
        out.writeByte(t.actions.length);
        for (int n : t.actions) {
            out.writeInt(n);
        }
        out.writeInt(t.failures);
        out.writeDouble(t.amount);
        out.writeLong(t.previousEnd);
        out.writeByte(p.habits.measures.length);
        for (LogMoments m : p.habits.measures) {
            out.writeInt(m.count);
            out.writeDouble(m.mean);
            out.writeDouble(m.m2);
        }
        out.writeByte(p.habits.taught);
        out.writeByte(p.forestTaught);
    }

    static void readVersion6Fields(UserProfile p, DataInputView in) throws IOException {
        SessionTally t = p.tally;
        int classes = in.readByte();
        for (int i = 0; i < classes; i++) {
            int n = in.readInt();
            if (i < t.actions.length) {
                t.actions[i] = n;
            }
        }
        t.failures = in.readInt();
        t.amount = in.readDouble();
        t.previousEnd = in.readLong();
        int measures = in.readByte();
        for (int i = 0; i < measures; i++) {
            LogMoments m = i < p.habits.measures.length ? p.habits.measures[i] : new LogMoments();
            m.count = in.readInt();
            m.mean = in.readDouble();
            m.m2 = in.readDouble();
        }
        p.habits.taught = in.readByte();
        p.forestTaught = in.readByte();
    }

    /** The fields layout 5 added to layout 4 (detector amount). */
    static void writeVersion5Fields(UserProfile p, DataOutputView out) throws IOException {
        out.writeInt(p.spend.count);
        out.writeDouble(p.spend.mean);
        out.writeDouble(p.spend.m2);
        out.writeByte(p.spend.taught);
        out.writeDouble(p.spend.judgedInWindow);
    }

    static void readVersion5Fields(UserProfile p, DataInputView in) throws IOException {
        p.spend.count = in.readInt();
        p.spend.mean = in.readDouble();
        p.spend.m2 = in.readDouble();
        p.spend.taught = in.readByte();
        p.spend.judgedInWindow = in.readDouble();
    }

    /** The fields layout 4 added to layout 3. */
    static void writeVersion4Fields(UserProfile p, DataOutputView out) throws IOException {
        out.writeByte(p.sessionsTaught);
        out.writeDouble(p.stepsInWindow);
        out.writeDouble(p.sessionsInWindow);
        out.writeLong(p.testsTs);
        out.writeLong(p.cusumAlertTs);
    }

    static void readVersion4Fields(UserProfile p, DataInputView in) throws IOException {
        p.sessionsTaught = in.readByte();
        p.stepsInWindow = in.readDouble();
        p.sessionsInWindow = in.readDouble();
        p.testsTs = in.readLong();
        p.cusumAlertTs = in.readLong();
    }

    /** The fields of layout 3, in its order (every layout since starts with them). */
    static void writeVersion3Fields(UserProfile p, DataOutputView out) throws IOException {
        writeStrings(p.states, out);
        writeLongs(p.transitions, out);
        out.writeLong(p.events);
        StringValue.writeString(p.sessionId, out);
        out.writeLong(p.sessionStart);
        out.writeLong(p.lastTs);
        out.writeInt(p.lastState);
        StringValue.writeString(p.lastStateName, out);
        out.writeInt(p.sessionEvents);
        out.writeDouble(p.sessionBits);
        out.writeDouble(p.sessionExcess);
        writeDoubles(p.topBits, out);
        writeBytes(p.topSlots, out);
        out.writeLong(p.gapTimer);
        out.writeDouble(p.cusum);
        out.writeInt(p.cusumSteps);
        out.writeLong(p.cusumSince);
        out.writeDouble(p.cusumHeadStart);
        out.writeLong(p.teachingWindowStart);
        writeBytes(p.taught, out);
    }

    @Override
    public UserProfile deserialize(DataInputView in) throws IOException {
        UserProfile p = readVersion3Fields(in);
        readVersion4Fields(p, in);
        readVersion5Fields(p, in);
        readVersion6Fields(p, in);
        readVersion7Fields(p, in);
        readPartSlices(p, in);
        readVersion9Fields(p, in);
        return p;
    }

    /** The fields of layout 3, in its order (every layout since starts with them). */
    static UserProfile readVersion3Fields(DataInputView in) throws IOException {
        UserProfile p = new UserProfile();
        p.states = readStrings(in);
        p.transitions = readLongs(in);
        p.events = in.readLong();
        p.sessionId = StringValue.readString(in);
        p.sessionStart = in.readLong();
        p.lastTs = in.readLong();
        p.lastState = in.readInt();
        p.lastStateName = StringValue.readString(in);
        p.sessionEvents = in.readInt();
        p.sessionBits = in.readDouble();
        p.sessionExcess = in.readDouble();
        p.topBits = readDoubles(in);
        p.topSlots = readBytes(in);
        p.gapTimer = in.readLong();
        p.cusum = in.readDouble();
        p.cusumSteps = in.readInt();
        p.cusumSince = in.readLong();
        p.cusumHeadStart = in.readDouble();
        p.teachingWindowStart = in.readLong();
        p.taught = readBytes(in);
        return p;
    }

    @Override
    public TypeSerializerSnapshot<UserProfile> snapshotConfiguration() {
        return new Snapshot(CURRENT_VERSION);
    }

    /**
     * State in an older layout (3 to 8): read with the fields it did not have at their defaults
     * (no tests counted, no session taught, no cusum alert; no purchases; no session tally, usual
     * sessions or forest teaching; no gap logs, no usual pace; no pace; the gap logs' cubes unknown
     * while the open session has gaps); on restore Flink migrates it to
     * {@link UserProfileSerializer}.
     */
    static final class OlderLayout extends FieldByFieldSerializer<UserProfile> {
        private final int layout;

        OlderLayout(int layout) {
            this.layout = layout;
        }

        @Override
        public UserProfile createInstance() {
            return new UserProfile();
        }

        @Override
        public void serialize(UserProfile p, DataOutputView out) throws IOException {
            writeVersion3Fields(p, out);
            if (layout >= 4) {
                writeVersion4Fields(p, out);
            }
            if (layout >= 5) {
                writeVersion5Fields(p, out);
            }
            if (layout >= 6) {
                writeVersion6Fields(p, out);
            }
            if (layout >= 7) {
                writeVersion7Fields(p, out);
            }
            if (layout >= 8) {
                writePartSlices(p, out);
            }
        }

        @Override
        public UserProfile deserialize(DataInputView in) throws IOException {
            UserProfile p = readVersion3Fields(in);
            if (layout >= 4) {
                readVersion4Fields(p, in);
            }
            if (layout >= 5) {
                readVersion5Fields(p, in);
            }
            if (layout == 6) {
                readVersion6Fields(p, in);
                // Layout 6 learned the usual pace per session; it is now per gap: learned afresh.
                p.habits.of(io.surprisal.session.SessionMeasure.PACE).forget();
            } else if (layout >= 7) {
                readVersion6Fields(p, in);
                readVersion7Fields(p, in);
            }
            if (layout >= 8) {
                readPartSlices(p, in);
            }
            if (p.tally.gaps > 0) {
                p.tally.sumCubedLogGap = Double.NaN;
            }
            return p;
        }

        @Override
        public TypeSerializerSnapshot<UserProfile> snapshotConfiguration() {
            return new Snapshot(layout);
        }
    }

    /** The serializer's snapshot: no configuration; its version is the layout of the state. */
    public static final class Snapshot implements TypeSerializerSnapshot<UserProfile> {
        private int layout;

        /** For Flink, which then reads the version it was written with. */
        public Snapshot() {
            this(CURRENT_VERSION);
        }

        Snapshot(int layout) {
            this.layout = layout;
        }

        @Override
        public int getCurrentVersion() {
            return CURRENT_VERSION;
        }

        @Override
        public void writeSnapshot(DataOutputView out) {}

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
            if (readVersion < 3 || readVersion > CURRENT_VERSION) {
                throw new IOException("user-profile state of unknown layout " + readVersion);
            }
            layout = readVersion;
        }

        @Override
        public TypeSerializer<UserProfile> restoreSerializer() {
            return layout == CURRENT_VERSION ? INSTANCE : new OlderLayout(layout);
        }

        @Override
        public TypeSerializerSchemaCompatibility<UserProfile> resolveSchemaCompatibility(TypeSerializerSnapshot<UserProfile> oldSnapshot) {
            if (!(oldSnapshot instanceof Snapshot old)) {
                return TypeSerializerSchemaCompatibility.incompatible();
            }
            return old.layout == CURRENT_VERSION
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
    }
}
