package io.surprisal.novelty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surprisal.config.ConfigException;
import io.surprisal.config.ConfigLoader;
import io.surprisal.event.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

class AllowlistTest {
    private static Event at(String user, String ip, String country, long asn) {
        return Logins.login(user, Logins.T0, country, "r", "c", asn, ip, Logins.CHROME_WIN);
    }

    @Test
    void cidrMatchesIpv4AndIpv6AndRejectsNames() {
        assertThat(Cidr.parse("203.0.113.0/24").contains("203.0.113.77")).isTrue();
        assertThat(Cidr.parse("203.0.113.0/24").contains("203.0.114.1")).isFalse();
        assertThat(Cidr.parse("10.0.0.0/9").contains("10.127.255.255")).isTrue();
        assertThat(Cidr.parse("10.0.0.0/9").contains("10.128.0.0")).isFalse();
        assertThat(Cidr.parse("2001:db8::/32").contains("2001:db8:1::5")).isTrue();
        assertThat(Cidr.parse("2001:db8::/32").contains("2001:db9::5")).isFalse();
        assertThat(Cidr.parseLiteral("example.com")).isNull();
        assertThat(Cidr.parseLiteral("1.2.3.256")).isNull();
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThat(IpPrefix.of("73.12.5.9")).isEqualTo("73.12.5.0/24");
        assertThat(IpPrefix.of("2001:db8:aa:bb::1")).isEqualTo("2001:db8:aa::/48");
        assertThat(IpPrefix.of("not-an-ip")).isNull();
    }

    @Test
    void longAttackerValuesAreCutBeforeTheyBecomeKeys() {
        Event e = at("bob", "1.2.3.4", "US", 1);
        e.city = "x".repeat(100_000);
        LoginAttributes a = LoginAttributes.of(e, new UserAgentParser(4));
        assertThat(a.shown()[Feature.CITY.ordinal()]).hasSize(LoginAttributes.MAX_VALUE_LENGTH);
        assertThat(a.keys()[Feature.CITY.ordinal()]).endsWith(a.shown()[Feature.CITY.ordinal()]);
    }

    @Test
    void configuredGlobalAndPerUserEntriesMatch() {
        var config = ConfigLoader.fromYaml("""
                novelty:
                  allowlist:
                    networks: [198.51.100.0/24]
                    asns: [64500]
                    countries: []
                    users:
                      jane: {networks: [], asns: [], countries: [pt]}
                """).novelty().allowlist();
        Allowlist a = Allowlist.fromConfig(config);
        assertThat(a.match(at("bob", "198.51.100.9", "US", 1))).isEqualTo("network 198.51.100.0/24");
        assertThat(a.match(at("bob", "1.2.3.4", "US", 64500))).isEqualTo("AS64500");
        assertThat(a.match(at("jane", "1.2.3.4", "PT", 1))).isEqualTo("country PT");
        assertThat(a.match(at("bob", "1.2.3.4", "PT", 1))).isNull();
    }

    @Test
    void badConfiguredEntryIsAConfigError() {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("novelty.allowlist.networks=[10.0.0.0/40]")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("novelty.allowlist");
    }

    @Test
    void updateLinesParse() {
        AllowlistEntry add = AllowlistEntry.parse("{\"op\":\"add\",\"user\":\"jane\",\"network\":\"203.0.113.0/24\"}");
        assertThat(add.add).isTrue();
        assertThat(add.user).isEqualTo("jane");
        assertThat(add.kind).isEqualTo(AllowlistEntry.NETWORK);
        AllowlistEntry asn = AllowlistEntry.parse("{\"op\":\"remove\",\"asn\":\"AS7922\"}");
        assertThat(asn.add).isFalse();
        assertThat(asn.value).isEqualTo("7922");
        assertThat(asn.user).isEmpty();
        assertThatThrownBy(() -> AllowlistEntry.parse("{\"country\":\"PT\",\"asn\":1}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AllowlistEntry.parse("{\"network\":\"evil.example\"}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AllowlistEntry.parse("not json")).isInstanceOf(IllegalArgumentException.class);
    }
}
