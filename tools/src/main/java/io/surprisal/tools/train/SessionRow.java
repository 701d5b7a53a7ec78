package io.surprisal.tools.train;

/**
 * One closed session's vector as the job wrote it, and its label.
 *
 * @param user the user (tenant-qualified key when the events had a tenant)
 * @param ts the session's last event (epoch ms)
 * @param features in the job's vector order
 * @param malicious whether the session belongs to a malicious group ({@link SessionLabels})
 */
public record SessionRow(String user, long ts, double[] features, boolean malicious) {}
