package io.surprisal.purchase;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class IntHashSetTest {

    @Test
    void behavesLikeAHashSetUnderRandomAddsAndRemoves() {
        Random random = new Random(3);
        IntHashSet set = new IntHashSet();
        Set<Integer> expected = new HashSet<>();
        for (int step = 0; step < 200_000; step++) {
            int value = random.nextInt(step < 100_000 ? 64 : 5_000);
            if (random.nextInt(3) == 0) {
                assertThat(set.remove(value)).isEqualTo(expected.remove(value));
            } else {
                assertThat(set.add(value)).isEqualTo(expected.add(value));
            }
            assertThat(set.contains(value)).isEqualTo(expected.contains(value));
            assertThat(set.size()).isEqualTo(expected.size());
        }
        Set<Integer> members = Arrays.stream(set.slots()).filter(v -> v != IntHashSet.EMPTY).boxed().collect(Collectors.toSet());
        assertThat(members).isEqualTo(expected);
    }
}
