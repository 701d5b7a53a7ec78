package io.surprisal.tools.train;

/**
 * One closed session's or login's vector as the job wrote it, and its label.
 *
 * @param user the user (tenant-qualified key when the events had a tenant)
 * @param ts the session's last event, or the login's time (epoch ms)
 * @param features in the job's vector order
 * @param malicious whether the session or login is malicious ({@link Labels})
 */
public record LabelledRow(String user, long ts, double[] features, boolean malicious) {}
