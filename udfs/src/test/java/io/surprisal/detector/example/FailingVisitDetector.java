package io.surprisal.detector.example;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertBuilder;
import io.surprisal.detector.ClosedVisit;
import io.surprisal.detector.ClosedVisitDetector;
import io.surprisal.flink.InstanceShares;
import io.surprisal.model.BehaviourScorer;
import io.surprisal.model.MultipleTests;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;

/**
 * An example closed-visit detector, complete but not part of the job: a visit with at least {@link
 * #FAILURES} failed steps, where the population's visits seldom have that many. Its population is
 * two counts per instance: visits judged, and those as failing. It alerts once it has judged {@link
 * #MIN_VISITS} visits and the share of failing ones, as a tail in bits, reaches {@link #BAR_BITS}.
 */
public final class FailingVisitDetector implements ClosedVisitDetector {
    public static final String DETECTOR = "failing-visit";
    public static final String STATE = "population-failing-visit";
    static final int FAILURES = 3;
    static final long MIN_VISITS = 20;
    static final double BAR_BITS = 4;

    private long visits;
    private long failing;
    private long warmingUp;

    @Override
    public String detector() {
        return DETECTOR;
    }

    @Override
    public String stateName() {
        return STATE;
    }

    @Override
    public void advanceTo(long ts) {}

    @Override
    public Alert onVisitClosed(ClosedVisit v) {
        boolean fails = v.profile().tally.failures >= FAILURES;
        Alert alert = null;
        if (visits < MIN_VISITS) {
            warmingUp++;
        } else if (fails) {
            double bits = MultipleTests.tailBits(failing, visits);
            if (bits >= BAR_BITS) {
                AlertBuilder a = AlertBuilder.of(DETECTOR, v.profile().lastTs, v.user(), v.profile().sessionId, v.maxEvents())
                        .tenant(v.tenant())
                        .bits(bits, BAR_BITS)
                        .summary(String.format(Locale.ROOT, "%s's visit failed %d times; %d of the population's %d visits failed as often",
                                v.user(), v.profile().tally.failures, failing, visits))
                        .reason("failures", Integer.toString(v.profile().tally.failures), "fewer than " + FAILURES, bits);
                BehaviourScorer.addSessionEvents(a, v.profile(), v.events());
                alert = a.build();
            }
        }
        visits++;
        if (fails) {
            failing++;
        }
        return alert;
    }

    @Override
    public long warmingUp() {
        return warmingUp;
    }

    long visits() {
        return visits;
    }

    @Override
    public List<byte[]> snapshot(int owner, int parallelism) {
        return List.of(ByteBuffer.allocate(24).putInt(owner).putInt(parallelism).putLong(visits).putLong(failing).array());
    }

    @Override
    public void restore(List<byte[]> entries, int owners, int me) {
        visits = 0;
        failing = 0;
        for (byte[] e : entries) {
            ByteBuffer b = ByteBuffer.wrap(e, 8, 16);
            visits += InstanceShares.share(b.getLong(), owners);
            failing += InstanceShares.share(b.getLong(), owners);
        }
    }
}
