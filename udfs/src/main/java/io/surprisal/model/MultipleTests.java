package io.surprisal.model;

/**
 * The false-alarm budget of a detector is per user and per window (a day), not per test. A test
 * that passes with probability 2^-b by chance, made n times, passes about n times as often, so the
 * most surprising of n steps or sessions is expected to cost about log2(n) bits more than one: the
 * bar a test must reach is {@code base + log2(n)} (Bonferroni's correction, in bits), where n is
 * this test and the user's tests in about the window before it. That keeps the chance of a false
 * alarm at most about 2^-base per user and window whether the user makes one step a day or thousands.
 *
 * <p>n is counted without remembering every test: each test adds 1 and the count decays by a
 * factor e every window, {@code n <- n * e^(-elapsed / window) + 1}, and a user's first test
 * counts 1. Read at a test, it counts that test on top of the window before it: about r + 1 for r
 * tests a window at random times, r + 1/2 evenly spaced. So the bar is log2(max(r + 1, 1) / max(r,
 * 1)) bits above the budget's, at most a bit (a user tested once a window): a cautious count, kept
 * (docs/evaluation.md, "What the count of tests costs").
 */
public final class MultipleTests {
    private static final double LN2 = Math.log(2);

    private MultipleTests() {}

    /** What a count made {@code elapsedMs} ago still weighs: e^(-elapsed / window). */
    public static double decay(long elapsedMs, long windowMs) {
        return Math.exp(-(double) Math.max(0, elapsedMs) / windowMs);
    }

    /** log2 of the number of tests, at least one: the bits added to the bar. */
    public static double correctionBits(double tests) {
        return Math.log(Math.max(1.0, tests)) / LN2;
    }

    /** The bar one test's bits must reach when the user made {@code tests} such tests in the window. */
    public static double bar(double baseBits, double tests) {
        return baseBits + correctionBits(tests);
    }

    /**
     * The surprisal of a tail seen {@code atLeast} times among {@code of} observations, in bits:
     * -log2 of (atLeast + 1) / (of + 1). An observation exchangeable with the {@code of} (an ordinary
     * one, from the same population) is at least as extreme as that many of them, itself included,
     * with probability at most this (a conformal p-value), so a bar on these bits keeps its
     * false-alarm rate whatever the law of the observations. A value beyond everything seen costs
     * log2(of + 1) bits: rare by the evidence, never infinitely so.
     */
    public static double tailBits(long atLeast, long of) {
        return Math.log((of + 1.0) / (atLeast + 1.0)) / LN2;
    }

    /**
     * The most observations at least as high that a tail of {@code bits} allows among {@code of}
     * ({@link #tailBits} at least {@code bits}); negative when even a tail with none falls short.
     */
    public static long mostAtLeast(double bits, long of) {
        return (long) Math.floor((of + 1.0) / Math.pow(2, bits) - 1.0);
    }

    /** The false-alarm window as the bars' text says it: "day", or e.g. "12h". */
    public static String windowText(java.time.Duration window) {
        if (window.equals(java.time.Duration.ofDays(1))) {
            return "day";
        }
        return window.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
