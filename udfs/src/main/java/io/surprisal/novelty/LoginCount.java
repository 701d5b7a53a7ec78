package io.surprisal.novelty;

/** One population count of a login attribute value, as checkpointed. A Flink POJO. */
public class LoginCount {
    /** Feature ordinal as a character, then the value key; {@link PopulationLogins#TOTAL} for all logins. */
    public String key;
    public long count;
    /** The parallel instance that wrote this count, and the parallelism it ran at (see InstanceShares). */
    public int owner;
    public int parallelism;

    public LoginCount() {}

    public LoginCount(String key, long count) {
        this.key = key;
        this.count = count;
    }
}
