package io.surprisal.alert;

/** One feature that made an alert: what was observed, what was expected, and its weight in bits. */
public class Reason {
    public String feature;
    public String observed;
    public String expected;
    public double bits;

    public Reason() {}

    public Reason(String feature, String observed, String expected, double bits) {
        this.feature = feature;
        this.observed = observed;
        this.expected = expected;
        this.bits = bits;
    }
}
