package io.surprisal.event;

import org.apache.flink.api.java.functions.KeySelector;

/**
 * The key of every per-user operator and of per-user state: the user alone when the event has no
 * tenant, else tenant and user joined by {@link #SEPARATOR}, so that the same user id in two
 * tenants never shares state. The parser rejects the separator in both fields
 * ({@link EventParser}), so no two (tenant, user) pairs give the same key.
 */
public final class UserKey implements KeySelector<Event, String> {
    /** NUL: never in a tenant or a user name the parser accepted. */
    public static final char SEPARATOR = '\u0000';

    @Override
    public String getKey(Event e) {
        return of(e);
    }

    public static String of(Event e) {
        return of(e.tenant, e.user);
    }

    public static String of(String tenant, String user) {
        return tenant == null ? user : tenant + SEPARATOR + user;
    }
}
