package io.surprisal.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Labelled synthetic activity of a web service's users: buyers and merchants (normal), bots,
 * spammers, fraudsters and attackers (abnormal), with hard negatives and injected attacks on
 * normal users during the scored days (every day after the first).
 *
 * <p>Events are JSON lines, globally time-ordered (ties by user id, which is unique per second
 * since a user's events are at least a second apart). Generation is lazy and streaming: every
 * user has at most one open visit and one pending heap entry, so memory is a few bytes per user
 * plus the open visits, and {@link #eventLines()} can be stopped at any point.
 *
 * <p>Output depends only on the {@link SimulatorConfig}: the same config gives byte-identical
 * events and labels.
 *
 * <p>Visits are planned per day (normal users as many as their own rate gives, 1 to 3 in the
 * legacy world, around their usual hour; abnormal users at least one); a visit that starts late on
 * the last day runs to its end, so the last events may fall shortly after midnight of the day
 * after. {@link WorldKnobs} sets how users behave.
 */
public final class Simulator {
  private static final int BREAK_MIN_SECONDS = 60;
  private static final int BREAK_SPREAD_SECONDS = 900;

  private final SimulatorConfig config;
  private final Population population;

  public Simulator(SimulatorConfig config) {
    this.config = config;
    this.population = new Population(config);
  }

  public SimulatorConfig config() {
    return config;
  }

  /** Writes all events, one JSON object per line; returns the number of events written. */
  public long writeEvents(Writer out) {
    return writeEvents(out, Long.MAX_VALUE);
  }

  /** Writes at most {@code maxEvents} events; returns the number written. */
  public long writeEvents(Writer out, long maxEvents) {
    long count = 0;
    try {
      Iterator<String> lines = eventLines();
      while (count < maxEvents && lines.hasNext()) {
        out.write(lines.next());
        out.write('\n');
        count++;
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return count;
  }

  /** Writes the labels CSV: header {@code user,type,scenario,scenario_start}, one row per user. */
  public void writeLabels(Writer out) {
    try {
      out.write(UserLabel.CSV_HEADER);
      out.write('\n');
      for (UserLabel label : labels()) {
        out.write(label.toCsv());
        out.write('\n');
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The longest gap, in seconds, between two events of a visit of {@code user} (an id of this simulation's). */
  public int longestGapSeconds(String user) {
    return population.user(Population.index(user)).maxGapSeconds;
  }

  /**
   * The ground truth, one label per user in id order. The scenario start is found by replaying
   * that single user's visits up to the scenario visit.
   */
  public List<UserLabel> labels() {
    List<UserLabel> out = new ArrayList<>(population.size());
    JsonText.Timestamps timestamps = new JsonText.Timestamps();
    for (int i = 0; i < population.size(); i++) {
      Scenario scenario = population.scenario(i);
      String start = "";
      if (scenario != Scenario.NONE) {
        start = timestamps.format(scenarioStart(population.user(i), timestamps));
      }
      out.add(new UserLabel(Population.userId(i), population.profile(i).label(), scenario.label(), start));
    }
    return out;
  }

  private long scenarioStart(SimUser user, JsonText.Timestamps timestamps) {
    long[] slot = new long[3];
    if (!user.firstSlot(slot)) {
      throw new IllegalStateException("scenario user without visits: " + user.id);
    }
    while (true) {
      int day = (int) slot[0];
      int ordinal = (int) slot[1];
      if (day == user.scenarioDay && ordinal == user.scenarioOrdinal) {
        return slot[2];
      }
      Visit visit = new Visit(user, day, ordinal, slot[2], timestamps);
      while (visit.advance()) {
        // walk to the end of the visit
      }
      if (!nextSlot(user, day, ordinal, visit.ts(), slot)) {
        throw new IllegalStateException("scenario visit not reached for " + user.id);
      }
    }
  }

  /**
   * After a visit ending at {@code endTs}, the user's next visit: {@code slot = {day, ordinal,
   * start}}. It starts at its planned time, or after a short break if the last visit ran late;
   * the first visit of a trip no sooner than the journey takes, and an impossible-travel visit
   * right after the break. Days without visits are skipped. False when the user has no more
   * visits.
   */
  private boolean nextSlot(SimUser user, int day, int ordinal, long endTs, long[] slot) {
    long[] planned = user.plannedStarts(day);
    int nextDay = day;
    int nextOrdinal = ordinal + 1;
    while (nextOrdinal >= planned.length) {
      nextDay++;
      nextOrdinal = 0;
      if (nextDay >= config.days()) {
        return false;
      }
      planned = user.plannedStarts(nextDay);
    }
    SplittableRandom rng = Rng.of(config.seed(), Rng.BREAK, user.index, nextDay, nextOrdinal);
    long earliest = endTs + BREAK_MIN_SECONDS + rng.nextInt(BREAK_SPREAD_SECONDS);
    boolean scenarioNext = nextDay == user.scenarioDay && nextOrdinal == user.scenarioOrdinal;
    slot[0] = nextDay;
    slot[1] = nextOrdinal;
    if (scenarioNext && user.scenario == Scenario.IMPOSSIBLE_TRAVEL) {
      slot[2] = earliest;
    } else if (scenarioNext && user.tripSeconds > 0) {
      slot[2] = Math.max(planned[nextOrdinal], endTs + user.tripSeconds);
    } else {
      slot[2] = Math.max(planned[nextOrdinal], earliest);
    }
    return true;
  }

  /**
   * All events as JSON lines (no newline), lazily and in time order. Each call starts a fresh,
   * independent pass.
   */
  public Iterator<String> eventLines() {
    return new MergedEvents();
  }

  /**
   * k-way merge over users. The heap holds one key per user: {@code (ts - base) << 32 | user},
   * where ts is the time of the user's next event (inside the open visit, or the start of the next
   * visit). A user's visits never overlap because the next visit is only scheduled once the
   * current one has ended.
   */
  private final class MergedEvents implements Iterator<String> {
    private final long base = config.start().getEpochSecond();
    private final Visit[] open;
    private final int[] nextDay;
    private final short[] nextOrdinal;
    private final JsonText.Timestamps timestamps = new JsonText.Timestamps();
    private final long[] slot = new long[3];
    private long[] heap;
    private int heapSize;

    MergedEvents() {
      int n = population.size();
      open = new Visit[n];
      nextDay = new int[n];
      nextOrdinal = new short[n];
      heap = new long[n];
      for (int i = 0; i < n; i++) {
        if (population.user(i).firstSlot(slot)) {
          nextDay[i] = (int) slot[0];
          nextOrdinal[i] = (short) slot[1];
          heap[heapSize++] = key(slot[2], i);
        }
      }
      for (int k = heapSize / 2 - 1; k >= 0; k--) {
        siftDown(k);
      }
    }

    private long key(long epochSecond, int user) {
      return (epochSecond - base) << 32 | user;
    }

    @Override
    public boolean hasNext() {
      return heapSize > 0;
    }

    @Override
    public String next() {
      if (heapSize == 0) {
        throw new NoSuchElementException();
      }
      long top = heap[0];
      int user = (int) (top & 0xffffffffL);
      Visit visit = open[user];
      if (visit == null) {
        long start = base + (top >>> 32);
        visit = new Visit(population.user(user), nextDay[user], nextOrdinal[user], start, timestamps);
        open[user] = visit;
      }
      String line = visit.line();
      if (visit.advance()) {
        replaceTop(key(visit.ts(), user));
      } else {
        open[user] = null;
        if (nextSlot(visit.user(), visit.day, visit.ordinal, visit.ts(), slot)) {
          nextDay[user] = (int) slot[0];
          nextOrdinal[user] = (short) slot[1];
          replaceTop(key(slot[2], user));
        } else {
          removeTop();
        }
      }
      return line;
    }

    private void replaceTop(long value) {
      heap[0] = value;
      siftDown(0);
    }

    private void removeTop() {
      heap[0] = heap[--heapSize];
      if (heapSize > 0) {
        siftDown(0);
      }
    }

    private void siftDown(int k) {
      long value = heap[k];
      int half = heapSize >>> 1;
      while (k < half) {
        int child = 2 * k + 1;
        int right = child + 1;
        if (right < heapSize && heap[right] < heap[child]) {
          child = right;
        }
        if (value <= heap[child]) {
          break;
        }
        heap[k] = heap[child];
        k = child;
      }
      heap[k] = value;
    }
  }

  /** Midnight (UTC) of {@code day}. */
  public Instant dayStart(int day) {
    return config.start().plusSeconds(86_400L * day);
  }
}
