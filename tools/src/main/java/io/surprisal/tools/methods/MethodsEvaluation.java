package io.surprisal.tools.methods;

import io.surprisal.sim.UserLabel;
import io.surprisal.sim.eval.EvalConfig;
import io.surprisal.sim.eval.Evaluation;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code eval --methods} from files: the events and labels the job ran over, its alerts and its
 * closed-session vectors, scored on the users {@link Evaluation} scores.
 */
public final class MethodsEvaluation {

  private MethodsEvaluation() {}

  public static MethodsReport evaluate(Path events, Path labelsCsv, Path alerts, Path sessions,
      EvalConfig eval, MethodsConfig cfg) throws IOException {
    Instant scoredStart = eval.scoredStart();
    Map<String, UserLabel> labels = Evaluation.readLabels(labelsCsv);
    Map<String, UserLabel> scored = new HashMap<>();
    for (String user : Evaluation.scoredUsers(events, scoredStart)) {
      UserLabel label = labels.get(user);
      if (label != null) {
        scored.put(user, label);
      }
    }
    Map<String, Set<String>> byDetector = new LinkedHashMap<>();
    Evaluation.flaggedByDetector(alerts, scoredStart).forEach((detector, users) -> {
      users.retainAll(scored.keySet());
      byDetector.put(detector, users);
    });
    SessionVectors vectors = SessionVectors.read(sessions);
    MethodComparison.Comparison c = MethodComparison.run(MethodComparison.seedMethods(cfg),
        vectors, labels, scoredStart, scored.keySet(), cfg);
    return new MethodsReport(scored, byDetector, c, cfg.falseAlarmBudget());
  }
}
