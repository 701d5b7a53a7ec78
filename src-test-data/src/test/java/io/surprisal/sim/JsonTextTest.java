package io.surprisal.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonTextTest {

  @Test
  void escapedStringsRoundTripThroughJackson() throws Exception {
    String nasty = "a\"b\\c\nd\re\tf\bg\fh\u0001i\u001fj\u2028k/é😀";
    StringBuilder sb = new StringBuilder();
    JsonText.appendString(sb, nasty);
    assertThat(new ObjectMapper().readValue(sb.toString(), String.class)).isEqualTo(nasty);
    assertThat(sb.toString()).doesNotContain("\n").contains("\\u0001");
  }

  @Test
  void timestampsAreIsoSecondsWithZ() {
    JsonText.Timestamps t = new JsonText.Timestamps();
    assertThat(t.format(1_793_578_502L)).isEqualTo(java.time.Instant.ofEpochSecond(1_793_578_502L).toString());
    assertThat(t.format(SimulatorConfig.DEFAULT_START.getEpochSecond() + 8 * 3600 + 15 * 60 + 2))
        .isEqualTo("2026-11-02T08:15:02Z");
    assertThat(t.format(SimulatorConfig.DEFAULT_START.getEpochSecond() + 86_399))
        .isEqualTo("2026-11-02T23:59:59Z");
  }

  @Test
  void chainRowsAreNormalisedAndStatesSplit() {
    MarkovChain chain = Profile.BUYER.chain();
    // home row sums to 1.0; login:fail row sums to 1.0; buy_item:success sums to 1.0
    assertThat(chain.probability("home", "login:success")).isCloseTo(0.964, org.assertj.core.api.Assertions.within(1e-9));
    MarkovChain odd = MarkovChain.parse("a: b 1, c 3\nb:\n");
    assertThat(odd.probability("a", "c")).isEqualTo(0.75);
    assertThat(odd.next("b", new java.util.SplittableRandom(1))).isNull();
    assertThat(MarkovChain.action("login:fail")).isEqualTo("login");
    assertThat(MarkovChain.status("login:fail")).isEqualTo("fail");
    assertThat(MarkovChain.status("logout")).isEqualTo("success");
    assertThat(Profile.ATTACKER.startState()).isEqualTo("login:fail");
  }
}
