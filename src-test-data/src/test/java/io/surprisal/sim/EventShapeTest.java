package io.surprisal.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Structure of generated events: order, fields, sessions, labels kept out, scenario shapes. */
class EventShapeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SimulatorConfig CONFIG =
      new SimulatorConfig(600, 3, 21L, SimulatorConfig.DEFAULT_START, 2, 400);
  private static final String DAY1 = CONFIG.start().plusSeconds(86_400).toString();
  private static final List<String> FIELDS = List.of("ts", "event_id", "user", "session", "action",
      "status", "ip", "country", "region", "city", "asn", "device", "user_agent");
  private static final List<String> VISIT_FIELDS =
      List.of("ip", "country", "region", "city", "asn", "device", "user_agent");
  private static final Set<Integer> HOSTING_ASNS = Set.of(16509, 15169, 14061, 16276, 24940);

  /** One event: its raw line and its fields in file order. */
  record Event(String line, Map<String, Object> fields) {
    String get(String name) {
      return String.valueOf(fields.get(name));
    }

    String step() {
      return get("action") + ":" + get("status");
    }
  }

  private static List<Event> events;
  private static Map<String, UserLabel> labels;
  /** user -> sessions in order, each a list of events. */
  private static Map<String, List<List<Event>>> sessionsByUser;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void generate() throws Exception {
    Simulator sim = new Simulator(CONFIG);
    events = new ArrayList<>();
    var lines = sim.eventLines();
    while (lines.hasNext()) {
      String line = lines.next();
      events.add(new Event(line, JSON.readValue(line, LinkedHashMap.class)));
    }
    labels = sim.labels().stream().collect(Collectors.toMap(UserLabel::user, l -> l));
    sessionsByUser = new HashMap<>();
    Map<String, List<Event>> open = new HashMap<>();
    for (Event e : events) {
      List<Event> current = open.get(e.get("user"));
      if (current == null || !current.get(0).get("session").equals(e.get("session"))) {
        current = new ArrayList<>();
        open.put(e.get("user"), current);
        sessionsByUser.computeIfAbsent(e.get("user"), u -> new ArrayList<>()).add(current);
      }
      current.add(e);
    }
  }

  @Test
  void everyEventHasTheFieldsInTheFixedOrder() {
    assertThat(events).hasSizeGreaterThan(20_000);
    Pattern ts = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    for (Event e : events) {
      List<String> expected = new ArrayList<>(FIELDS);
      if (e.get("action").equals("buy_item")) {
        expected.add("amount");
        assertThat(e.line()).matches(".*,\"amount\":\\d+\\.\\d\\d}");
        assertThat(e.fields().get("amount")).isInstanceOf(Number.class);
      }
      assertThat(List.copyOf(e.fields().keySet())).isEqualTo(expected);
      assertThat(e.get("ts")).matches(ts);
      assertThat(e.get("user")).matches("u\\d{7}");
      assertThat(e.get("session")).matches("s-[0-9a-f]{16}");
      assertThat(e.get("status")).isIn("success", "fail");
      assertThat(e.get("ip")).matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
      assertThat(e.get("country")).matches("[A-Z]{2}");
      assertThat(e.fields().get("asn")).isInstanceOf(Integer.class);
      assertThat(e.get("device")).isIn("desktop", "mobile");
      assertThat(e.get("user_agent")).isNotBlank();
    }
    assertThat(events.stream().map(e -> e.get("event_id")).distinct().count())
        .isEqualTo(events.size());
  }

  @Test
  void eventsAreTimeOrderedWithDeterministicTies() {
    for (int i = 1; i < events.size(); i++) {
      Event a = events.get(i - 1);
      Event b = events.get(i);
      int byTime = a.get("ts").compareTo(b.get("ts"));
      assertThat(byTime).as("line %d", i).isLessThanOrEqualTo(0);
      if (byTime == 0) {
        assertThat(a.get("user").compareTo(b.get("user"))).as("tie at line %d", i).isNegative();
      }
    }
  }

  @Test
  void oneSessionPerVisitAndVisitsDoNotOverlap() {
    Set<String> seenSessions = new HashSet<>();
    for (List<List<Event>> sessions : sessionsByUser.values()) {
      String previousEnd = null;
      for (List<Event> s : sessions) {
        // a session is one contiguous run of a user's events, never resumed later
        assertThat(seenSessions.add(s.get(0).get("session"))).isTrue();
        for (int i = 0; i < s.size(); i++) {
          assertThat(s.get(i).get("action").equals("end")).isEqualTo(i == s.size() - 1);
          for (String f : VISIT_FIELDS) {
            assertThat(s.get(i).get(f)).isEqualTo(s.get(0).get(f));
          }
        }
        assertThat(s.size()).isLessThanOrEqualTo(CONFIG.maxEventsPerVisit());
        if (previousEnd != null) {
          assertThat(s.get(0).get("ts")).isGreaterThan(previousEnd);
        }
        previousEnd = s.get(s.size() - 1).get("ts");
      }
    }
  }

  @Test
  void labelsNeverAppearInEvents() {
    List<String> words = new ArrayList<>();
    for (Profile p : Profile.values()) {
      words.add(p.label());
    }
    for (Scenario s : Scenario.values()) {
      if (s != Scenario.NONE) {
        words.add(s.label());
      }
    }
    for (Event e : events) {
      String lower = e.line().toLowerCase(Locale.ROOT);
      for (String w : words) {
        assertThat(lower).doesNotContain(w);
      }
    }
  }

  @Test
  void networksMatchProfiles() {
    for (Map.Entry<String, List<List<Event>>> entry : sessionsByUser.entrySet()) {
      UserLabel label = labels.get(entry.getKey());
      for (List<Event> s : entry.getValue()) {
        int asn = (Integer) s.get(0).fields().get("asn");
        String family = UserAgents.family(s.get(0).get("user_agent"));
        if (label.type().equals("bot")) {
          assertThat(HOSTING_ASNS).contains(asn);
          assertThat(family).isIn("python-requests", "curl", "HeadlessChrome", "Scrapy");
        } else {
          assertThat(HOSTING_ASNS).doesNotContain(asn);
          assertThat(family).isNotIn("python-requests", "curl", "HeadlessChrome", "Scrapy", "Other");
        }
      }
    }
  }

  private static Map<String, List<List<Event>>> scenarioUsers(String scenario) {
    Map<String, List<List<Event>>> out = new HashMap<>();
    labels.values().stream().filter(l -> l.scenario().equals(scenario))
        .forEach(l -> out.put(l.user(), sessionsByUser.get(l.user())));
    assertThat(out).as(scenario).isNotEmpty();
    return out;
  }

  private static int scenarioSessionIndex(String user, List<List<Event>> sessions) {
    String start = labels.get(user).scenarioStart();
    assertThat(start).isGreaterThanOrEqualTo(DAY1);
    for (int i = 0; i < sessions.size(); i++) {
      if (sessions.get(i).get(0).get("ts").equals(start)) {
        return i;
      }
    }
    throw new AssertionError("no session starts at scenario_start " + start + " for " + user);
  }

  private static Set<String> valuesOutside(List<List<Event>> sessions, int skip, String field) {
    Set<String> out = new HashSet<>();
    for (int i = 0; i < sessions.size(); i++) {
      if (i != skip) {
        out.add(sessions.get(i).get(0).get(field));
      }
    }
    return out;
  }

  @Test
  void takeoverHasFailedLoginsThenAccountChangesThenBigPurchases() {
    Pattern shape = Pattern.compile("(login:fail ){2,6}login:success update_email:success "
        + "(password_reset:success )?(payment_modify|bank_modify):success (buy_item:success ){1,4}"
        + "(logout:success )?end:success");
    scenarioUsers("takeover").forEach((user, sessions) -> {
      int k = scenarioSessionIndex(user, sessions);
      List<Event> visit = sessions.get(k);
      String steps = visit.stream().map(e -> e.step() + " ").collect(Collectors.joining()).strip();
      assertThat(steps).matches(shape);
      String change = labels.get(user).type().equals("buyer") ? "payment_modify" : "bank_modify";
      assertThat(steps).contains(change + ":success");
      visit.stream().filter(e -> e.get("action").equals("buy_item")).forEach(e ->
          assertThat(((Number) e.fields().get("amount")).doubleValue()).isGreaterThanOrEqualTo(300));
      assertThat(valuesOutside(sessions, k, "user_agent")).doesNotContain(visit.get(0).get("user_agent"));
      assertThat(valuesOutside(sessions, k, "ip")).doesNotContain(visit.get(0).get("ip"));
    });
  }

  @Test
  void noveltyComesFromANeverUsedCountryAndBrowserFamily() {
    scenarioUsers("novelty").forEach((user, sessions) -> {
      int k = scenarioSessionIndex(user, sessions);
      Event first = sessions.get(k).get(0);
      assertThat(first.get("action")).isIn("login", "password_reset", "end");
      assertThat(valuesOutside(sessions, k, "country")).doesNotContain(first.get("country"));
      Set<String> families = new HashSet<>();
      valuesOutside(sessions, k, "user_agent").forEach(ua -> families.add(UserAgents.family(ua)));
      assertThat(families).doesNotContain(UserAgents.family(first.get("user_agent")));
    });
  }

  @Test
  void hardNegativesHaveTheirShapes() {
    scenarioUsers("forgot_password").forEach((user, sessions) -> {
      List<Event> visit = sessions.get(scenarioSessionIndex(user, sessions));
      String steps = visit.stream().map(e -> e.step() + " ").collect(Collectors.joining());
      assertThat(steps).matches("(login:fail ){1,2}password_reset:success login:success .*");
    });
    scenarioUsers("travel").forEach((user, sessions) -> {
      int k = scenarioSessionIndex(user, sessions);
      Event first = sessions.get(k).get(0);
      assertThat(valuesOutside(sessions, k, "country")).hasSize(1).doesNotContain(first.get("country"));
      // same devices: one of the user's usual agents
      SimUser simUser = new Population(CONFIG).user(Population.index(user));
      assertThat(simUser.agents.stream().map(UserAgents.Agent::value))
          .contains(first.get("user_agent"));
      assertThat(HOSTING_ASNS).doesNotContain((Integer) first.fields().get("asn"));
    });
    scenarioUsers("new_phone").forEach((user, sessions) -> {
      int k = scenarioSessionIndex(user, sessions);
      Event first = sessions.get(k).get(0);
      assertThat(first.get("device")).isEqualTo("mobile");
      Set<String> before = new HashSet<>();
      for (int i = 0; i < k; i++) {
        before.add(sessions.get(i).get(0).get("user_agent"));
      }
      assertThat(before).doesNotContain(first.get("user_agent"));
      assertThat(valuesOutside(sessions, k, "asn")).containsOnly(first.get("asn"));
      assertThat(valuesOutside(sessions, k, "country")).containsOnly(first.get("country"));
    });
  }

  @Test
  void scenarioUsersBehaveUsuallyOnTheLearningDay() {
    for (UserLabel l : labels.values()) {
      if (l.scenario().equals("none")) {
        continue;
      }
      List<List<Event>> sessions = sessionsByUser.get(l.user());
      Set<String> dayZeroCountries = new HashSet<>();
      for (List<Event> s : sessions) {
        if (s.get(0).get("ts").compareTo(DAY1) < 0) {
          dayZeroCountries.add(s.get(0).get("country"));
          String steps = s.stream().map(Event::step).collect(Collectors.joining(" "));
          assertThat(steps).doesNotContain("update_email:success bank_modify")
              .doesNotContain("update_email:success payment_modify");
        }
      }
      assertThat(dayZeroCountries).hasSize(1);
      assertThat(Instant.parse(l.scenarioStart())).isAfterOrEqualTo(Instant.parse(DAY1));
    }
  }

  @Test
  void attackersMoveAroundBotsAreFast() {
    labels.values().stream().filter(l -> l.type().equals("attacker")).forEach(l -> {
      List<List<Event>> sessions = sessionsByUser.get(l.user());
      assertThat(valuesOutside(sessions, -1, "ip")).hasSize(sessions.size());
      assertThat(sessions.size()).isGreaterThanOrEqualTo(CONFIG.days());
    });
    labels.values().stream().filter(l -> l.type().equals("bot")).forEach(l -> {
      long count = sessionsByUser.get(l.user()).stream().mapToLong(List::size).sum();
      assertThat(count).isGreaterThan(200);
    });
  }
}
