package io.surprisal.tools.methods;

import java.time.Instant;

/**
 * One closed session as a feature vector.
 *
 * @param user the user key the job keyed the session by
 * @param ts when the session closed (its last event)
 * @param features the values, in the order of {@link SessionVectors#featureNames()}
 */
public record SessionVector(String user, Instant ts, double[] features) {}
