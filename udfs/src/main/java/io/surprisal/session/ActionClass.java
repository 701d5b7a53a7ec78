package io.surprisal.session;

/**
 * The classes of actions a session vector counts, so that a vector has a fixed length whatever
 * actions a site sends. Unknown actions are {@code other}.
 */
public final class ActionClass {
    public static final int LOGIN = 0;
    /** Reading: view_item, view_profile, home, search. */
    public static final int BROWSE = 1;
    /** buy_item, purchase. */
    public static final int BUY = 2;
    public static final int SELL = 3;
    /** Account changes: update_email, password_reset, update_address, payment_modify, bank_modify. */
    public static final int ACCOUNT = 4;
    /** comment, befriend, unfriend, message. */
    public static final int SOCIAL = 5;
    /** The end of a visit: logout, end. */
    public static final int END = 6;
    /** Anything else. */
    public static final int OTHER = 7;
    public static final int COUNT = 8;
    /** The feature names of the classes, by index. */
    static final String[] NAMES = {"login", "browse", "buy", "sell", "account", "social", "end", "other"};

    private ActionClass() {}

    public static int of(String action) {
        if (action == null) {
            return OTHER;
        }
        return switch (action) {
            case "login" -> LOGIN;
            case "view_item", "view_profile", "home", "search" -> BROWSE;
            case "buy_item", "purchase" -> BUY;
            case "sell_item" -> SELL;
            case "update_email", "password_reset", "update_address", "payment_modify", "bank_modify" -> ACCOUNT;
            case "comment", "befriend", "unfriend", "message" -> SOCIAL;
            case "logout", "end" -> END;
            default -> OTHER;
        };
    }
}
