package io.surprisal.novelty;

/**
 * What the login-novelty operator reads for every event of a user, kept apart from the larger
 * {@link LoginProfile}: the session of the user's last event (the first event of a session is
 * scored), and when the user last failed a login and last logged in from somewhere new, which
 * decide the CEP patterns an event can still matter to ({@code CepPatterns.PatternSpec#admits}).
 * In the job, {@code LoginRecencySerializer} writes it field by field.
 */
public class LoginRecency {
    public String session;
    /** Event time of the user's last failed login not yet followed by a successful one, or {@link Long#MIN_VALUE}. */
    public long lastFailedLogin = Long.MIN_VALUE;
    /** Event time of the user's last novel successful login, or {@link Long#MIN_VALUE}. */
    public long lastNovelLogin = Long.MIN_VALUE;

    public LoginRecency() {}
}
