package io.surprisal.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What an account's visits before its scenario visit were like: the yardstick that the {@code
 * long_session} and {@code fast_pace} attacks are sized against, so that each is many times the
 * account's own usual rather than one fixed size.
 *
 * @param visits the account's visits before the scenario visit
 * @param medianEvents median events per visit (the closing {@code end} included)
 * @param medianSeconds median seconds from a visit's first event to its last
 * @param medianGapSeconds median seconds between two events of a visit, over all its visits' gaps
 */
record Habits(int visits, double medianEvents, double medianSeconds, double medianGapSeconds) {

  /**
   * Replays the account's visits before its scenario visit (a visit's events do not depend on when
   * it starts). An account without any, which the simulator never produces, gets typical figures:
   * its profile's events and its own longest gap's mean gap.
   */
  static Habits before(SimUser user) {
    JsonText.Timestamps timestamps = new JsonText.Timestamps();
    List<Long> events = new ArrayList<>();
    List<Long> durations = new ArrayList<>();
    List<Long> gaps = new ArrayList<>();
    for (int day = user.firstDay; day <= user.scenarioDay; day++) {
      int visits = user.plannedStarts(day).length;
      for (int ordinal = 0; ordinal < visits; ordinal++) {
        if (day == user.scenarioDay && ordinal >= user.scenarioOrdinal) {
          break;
        }
        Visit visit = new Visit(user, day, ordinal, 0, timestamps);
        long n = 1;
        long last = visit.ts();
        while (visit.advance()) {
          gaps.add(visit.ts() - last);
          last = visit.ts();
          n++;
        }
        events.add(n);
        durations.add(last);
      }
    }
    double typicalGap = (1 + user.maxGapSeconds) / 2.0;
    if (events.isEmpty()) {
      return new Habits(0, TYPICAL_EVENTS, TYPICAL_EVENTS * typicalGap, typicalGap);
    }
    return new Habits(events.size(), median(events), median(durations),
        gaps.isEmpty() ? typicalGap : median(gaps));
  }

  /** Median events of a buyer's or merchant's visit in the default world. */
  static final double TYPICAL_EVENTS = 10;

  private static double median(List<Long> values) {
    Collections.sort(values);
    int n = values.size();
    return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2.0;
  }
}
