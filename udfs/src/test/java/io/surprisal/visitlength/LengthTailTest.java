package io.surprisal.visitlength;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The calibration of the law's bits: exact where the law holds, cautious where visits go on longer, unmoved by a few far visits. */
class LengthTailTest {
    private static final double LN2 = Math.log(2);

    /** Bits of a law that holds exactly: -log2 of a uniform p-value. */
    private static double exactBits(Random r) {
        return -Math.log(1 - r.nextDouble()) / LN2;
    }

    /** Bits the law gives visits whose leaving pace has a gamma frailty of variance theta: H is Lomax. */
    private static double frailBits(Random r, double theta) {
        double u = 1 - r.nextDouble();
        return (Math.pow(u, -theta) - 1) / theta / LN2;
    }

    @Test
    void whereTheLawHoldsItsFarBitsStandNearlyAsTheyAre() {
        Random r = new Random(1);
        LengthTail tail = new LengthTail();
        for (int i = 0; i < 30_000; i++) {
            tail.count(exactBits(r), 2);
        }
        LengthTail.Calibrated c = tail.calibrated(20, 2);
        assertThat(c.frailty()).isLessThan(0.1);
        assertThat(c.bits()).isBetween(16.0, 20.5);
        assertThat(c.atLeast()).isZero();
    }

    @Test
    void whereVisitsGoOnLongerThanTheLawSaysTheFarBitsAreTheFrailTail() {
        Random r = new Random(2);
        double theta = 0.5;
        LengthTail tail = new LengthTail();
        for (int i = 0; i < 30_000; i++) {
            tail.count(frailBits(r, theta), 2);
        }
        // Raw bits whose true tail is 2^-16: H = (2^(16 theta) - 1) / theta nats.
        double raw = (Math.pow(2, 16 * theta) - 1) / theta / LN2;
        LengthTail.Calibrated c = tail.calibrated(raw, 2);
        assertThat(raw).isGreaterThan(500);
        assertThat(c.frailty()).isBetween(0.4, 0.8);
        assertThat(c.bits()).as("cautious: at most the true tail, and not far below it").isBetween(12.0, 16.5);
    }

    @Test
    void aFewFarVisitsDoNotDragTheTailOut() {
        Random r = new Random(3);
        LengthTail clean = new LengthTail();
        LengthTail crawled = new LengthTail();
        for (int i = 0; i < 30_000; i++) {
            double b = exactBits(r);
            clean.count(b, 2);
            crawled.count(b, 2);
        }
        for (int i = 0; i < 40; i++) {
            crawled.count(500 + i, 2); // bots' crawls, attacks missed
        }
        assertThat(crawled.calibrated(20, 2).frailty()).isLessThan(0.1);
        // They still say the tail is a little heavier than it is: less than 2 of 19 bits.
        assertThat(crawled.calibrated(20, 2).bits()).isCloseTo(clean.calibrated(20, 2).bits(), within(2.0));
    }

    @Test
    void withinTheCountedTailTheBitsAreTheShareOfOrdinaryVisitsAsSurprisingAndNeverMoreThanTheLaws() {
        LengthTail tail = new LengthTail();
        for (int i = 0; i < 1_000; i++) {
            tail.count(i % 10, 0); // 100 visits at each of 0..9 bits
        }
        // 3 bits: 700 of 1,000 visits are at least as far out.
        assertThat(tail.calibrated(3, 0).bits()).isCloseTo(Math.log(1_001.0 / 701) / LN2, within(1e-9));
        // 0.2 bits: 900 visits are at least as far out (all but those at 0), which says less than the law.
        assertThat(tail.calibrated(0.2, 0).bits()).isCloseTo(Math.log(1_001.0 / 901) / LN2, within(1e-9));
        assertThat(tail.calibrated(0.1, 0).bits()).as("never more than the law's").isEqualTo(0.1);
    }

    @Test
    void usersWithHistoryAreJudgedByTheirBucketOnceItIsLargeAndFirstVisitsApartUntilThen() {
        LengthTail tail = new LengthTail();
        for (int i = 0; i < 500; i++) {
            tail.count(40, 0); // first visits: judged by the population alone, far out
            tail.count(1, 5);
        }
        assertThat(tail.yardstick(5).count()).as("pooled without first visits").isEqualTo(500);
        assertThat(tail.yardstick(0).count()).isEqualTo(1_000);
        for (int i = 0; i < 2_000; i++) {
            tail.count(1, 20);
        }
        assertThat(tail.yardstick(20).count()).isEqualTo(2_000);
    }

    @Test
    void aWrittenTailReadsBackAndSharedAmongOwnersHalvesItsCounts() {
        Random r = new Random(4);
        LengthTail tail = new LengthTail();
        for (int i = 0; i < 25_000; i++) {
            tail.count(exactBits(r), i % 20);
        }
        ByteBuffer b = ByteBuffer.allocate(tail.writtenSize());
        tail.write(b);
        assertThat(b.remaining()).isZero();
        b.flip();
        LengthTail read = LengthTail.read(b);
        assertThat(read.judged()).isEqualTo(tail.judged());
        assertThat(read.calibrated(18, 7)).isEqualTo(tail.calibrated(18, 7));
    }

    @Test
    void sharedAmongTwoOwnersEachBucketsCountIsHalvedRoundingUp() {
        LengthTail tail = new LengthTail();
        for (int i = 0; i < 1_001; i++) {
            tail.count(5.0, 2);
        }
        tail.count(7.0, 20);
        LengthTail half = tail.sharedBy(2);
        assertThat(half.judged()).isEqualTo(501 + 1);
        assertThat(half.yardstick(2).atLeast(6.0)).as("a visit seen at all stays seen").isEqualTo(1);
    }
}
