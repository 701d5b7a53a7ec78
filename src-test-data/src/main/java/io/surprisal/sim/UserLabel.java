package io.surprisal.sim;

/**
 * The ground truth for one user, as written in the labels CSV.
 *
 * @param user the user id as it appears in events
 * @param type the profile, e.g. {@code buyer}, {@code bot}
 * @param scenario {@code none}, a hard negative ({@code travel}, {@code new_phone}, {@code
 *     forgot_password}) or an attack ({@code novelty}, {@code takeover}, {@code impossible_travel},
 *     {@code gift_cards}, {@code long_session}, {@code fast_pace})
 * @param scenarioStart ISO-8601 timestamp of the scenario's first event, empty when none
 */
public record UserLabel(String user, String type, String scenario, String scenarioStart) {

  /** The CSV header of the labels file. */
  public static final String CSV_HEADER = "user,type,scenario,scenario_start";

  /** Whether this user is a positive for the evaluation (abnormal profile or attack scenario). */
  public boolean positive() {
    return switch (type) {
      case "bot", "spammer", "fraudster", "attacker" -> true;
      default -> !scenario.isEmpty() && !scenario.equals("none")
          && Scenario.valueOf(scenario.toUpperCase(java.util.Locale.ROOT)).attack();
    };
  }

  /** One CSV row (no newline). */
  public String toCsv() {
    return user + "," + type + "," + scenario + "," + scenarioStart;
  }
}
