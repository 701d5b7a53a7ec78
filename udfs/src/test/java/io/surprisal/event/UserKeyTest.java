package io.surprisal.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The user's key: the user alone without a tenant, else tenant and user, never shared across tenants. */
class UserKeyTest {
    @Test
    void withoutATenantTheKeyIsTheUser() throws Exception {
        Event e = event(null, "alice");
        assertThat(UserKey.of(e)).isEqualTo("alice");
        assertThat(new UserKey().getKey(e)).isEqualTo("alice");
    }

    @Test
    void theSameUserInTwoTenantsHasTwoKeys() {
        String t1 = UserKey.of(event("t1", "alice"));
        String t2 = UserKey.of(event("t2", "alice"));
        assertThat(t1).isNotEqualTo(t2).isNotEqualTo("alice").isEqualTo("t1\u0000alice");
        assertThat(UserKey.of("t1", "alice")).isEqualTo(t1);
    }

    @Test
    void theParserRejectsTheSeparatorSoNoTwoPairsShareAKey() {
        // Without the rule, tenant "a" user "b\u0000c" and tenant "a\u0000b" user "c" would collide.
        assertThatThrownBy(() -> EventParser.parse("{\"ts\":1,\"user\":\"b\\u0000c\",\"action\":\"login\"}"))
                .isInstanceOfSatisfying(EventParser.InvalidEventException.class,
                        ex -> assertThat(ex.reason()).isEqualTo(DeadLetterReason.WRONG_TYPE))
                .hasMessageContaining("'user'");
        assertThatThrownBy(() -> EventParser.parse("{\"ts\":1,\"user\":\"c\",\"tenant\":\"a\\u0000b\",\"action\":\"login\"}"))
                .isInstanceOfSatisfying(EventParser.InvalidEventException.class,
                        ex -> assertThat(ex.reason()).isEqualTo(DeadLetterReason.WRONG_TYPE))
                .hasMessageContaining("'tenant'");
    }

    private static Event event(String tenant, String user) {
        Event e = new Event();
        e.tenant = tenant;
        e.user = user;
        e.action = "login";
        return e;
    }
}
