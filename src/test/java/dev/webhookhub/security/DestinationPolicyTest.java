package dev.webhookhub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DestinationPolicyTest {

    /** A resolver that knows a few names (no DNS on the build machine) and fails for the rest. */
    private static DestinationPolicy.Lookup names(Map<String, String> names) {
        return host -> {
            String a = names.get(host);
            if (a == null) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] { InetAddress.getByName(a) };
        };
    }

    private static final DestinationPolicy DEFAULT = new DestinationPolicy(List.of(),
            names(Map.of("localhost", "127.0.0.1", "hooks.example.com", "8.8.8.8", "intranet.example.com",
                    "10.1.2.3")));

    @Test
    void refusesPrivateLoopbackLinkLocalAndOtherInternalAddresses() throws Exception {
        for (String a : List.of("127.0.0.1", "127.255.0.9", "0.0.0.0", "10.0.0.1", "172.16.0.1", "172.31.255.255",
                "192.168.1.1", "169.254.169.254", "100.64.0.1", "100.127.255.254", "224.0.0.1", "239.1.2.3",
                "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1",
                "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1", "64:ff9b::a00:1", "2002:7f00:1::")) {
            assertThat(DEFAULT.refusal(InetAddress.getByName(a))).as(a).isNotNull();
        }
        for (String a : List.of("8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "192.169.0.1",
                "2606:4700:4700::1111", "::ffff:8.8.8.8")) {
            assertThat(DEFAULT.refusal(InetAddress.getByName(a))).as(a).isNull();
        }
        assertThat(DEFAULT.refusal(InetAddress.getByName("169.254.169.254"))).contains("link-local");
        assertThat(DEFAULT.refusal(InetAddress.getByName("::ffff:10.0.0.1"))).contains("private");
    }

    @Test
    void readsEveryNumericFormACResolverAccepts() throws Exception {
        for (String host : List.of("2130706433", "0x7f000001", "0X7F000001", "017700000001", "127.1", "127.0.1",
                "0177.0.0.1", "0x7f.0.0.1", "127.0.0.1.", "0", "0x0")) {
            assertThat(DEFAULT.check("http://" + host + ":8080/x")).as(host).isNotNull();
            assertThatThrownBy(() -> DEFAULT.resolve(host)).as(host).isInstanceOf(RefusedDestinationException.class);
        }
        assertThat(DestinationPolicy.numericIpv4("2130706433")).containsExactly(127, 0, 0, 1);
        assertThat(DestinationPolicy.numericIpv4("0x7f000001")).containsExactly(127, 0, 0, 1);
        assertThat(DestinationPolicy.numericIpv4("017700000001")).containsExactly(127, 0, 0, 1);
        assertThat(DestinationPolicy.numericIpv4("127.1")).containsExactly(127, 0, 0, 1);
        assertThat(DestinationPolicy.numericIpv4("3232235777")).containsExactly(192, (byte) 168, 1, 1);
        assertThat(DestinationPolicy.numericIpv4("4294967296")).isNull(); // more than 32 bits
        assertThat(DestinationPolicy.numericIpv4("256.0.0.1")).isNull();
        assertThat(DestinationPolicy.numericIpv4("08.0.0.1")).isNull(); // not octal
        // a numeric form that is no address at all is refused rather than handed to DNS
        assertThat(DEFAULT.check("http://999999999999/")).contains("not a valid IPv4 address");
        assertThat(DEFAULT.check("http://8.8.8.8/")).isNull();
        assertThat(DEFAULT.check("http://134744072/")).as("8.8.8.8 as a number").isNull();
    }

    @Test
    void checksTheAddressesANameResolvesTo() {
        assertThat(DEFAULT.check("http://localhost:8080/api")).contains("localhost", "127.0.0.1", "loopback",
                "HUB_OUTBOUND_ALLOWED_NETWORKS");
        assertThat(DEFAULT.check("https://intranet.example.com/hook")).contains("10.1.2.3", "private");
        assertThat(DEFAULT.check("https://hooks.example.com/hook")).isNull();
        assertThat(DEFAULT.check("http://[::1]:8080/")).contains("loopback");
        assertThat(DEFAULT.check("http://[::ffff:7f00:1]/")).contains("loopback");
        assertThat(DEFAULT.check("http://169.254.169.254/latest/meta-data")).contains("link-local");
        // a name that does not resolve now is checked again on every connection
        assertThat(DEFAULT.check("https://unknown.example.com/hook")).isNull();
        assertThatThrownBy(() -> DEFAULT.resolve("unknown.example.com")).isInstanceOf(UnknownHostException.class)
                .isNotInstanceOf(RefusedDestinationException.class);
    }

    @Test
    void allowedNetworksOpenInternalReceivers() throws Exception {
        DestinationPolicy p = new DestinationPolicy(NetworkRange.parseList("127.0.0.0/8, 10.0.0.0/8,::1/128"),
                names(Map.of("localhost", "127.0.0.1", "intranet.example.com", "10.1.2.3")));
        assertThat(p.check("http://localhost:8080/")).isNull();
        assertThat(p.check("http://2130706433/")).isNull();
        assertThat(p.check("https://intranet.example.com/")).isNull();
        assertThat(p.check("http://[::1]/")).isNull();
        assertThat(p.check("http://[::ffff:127.0.0.1]/")).as("mapped forms are IPv4").isNull();
        assertThat(p.check("http://192.168.0.1/")).contains("private");
        assertThat(p.check("http://169.254.169.254/")).contains("link-local");
        assertThat(p.resolve("localhost")).containsExactly(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void theConnectTimeCheckSeesWhatDnsAnswersThenNotWhatItAnsweredBefore() throws Exception {
        // DNS rebinding: a public address when the URL is saved, loopback when the hub connects
        AtomicInteger lookups = new AtomicInteger();
        DestinationPolicy p = new DestinationPolicy(List.of(), host -> new InetAddress[] {
                InetAddress.getByName(lookups.getAndIncrement() == 0 ? "8.8.8.8" : "127.0.0.1") });
        assertThat(p.check("https://rebind.example.com/hook")).isNull();
        assertThatThrownBy(() -> p.resolve("rebind.example.com")).isInstanceOf(RefusedDestinationException.class)
                .hasMessageContaining("rebind.example.com").hasMessageContaining("127.0.0.1 is a loopback address");
        // an answer mixing public and refused addresses keeps only the public ones
        DestinationPolicy mixed = new DestinationPolicy(List.of(), host -> new InetAddress[] {
                InetAddress.getByName("127.0.0.1"), InetAddress.getByName("8.8.4.4") });
        assertThat(mixed.resolve("mixed.example.com")).containsExactly(InetAddress.getByName("8.8.4.4"));
        assertThat(mixed.check("https://mixed.example.com/")).as("the API refuses any refused address")
                .contains("127.0.0.1");
    }

    @Test
    void parsesCidrLists() throws Exception {
        assertThat(NetworkRange.parseList("")).isEmpty();
        assertThat(NetworkRange.parseList(" 127.0.0.0/8 ,fd00::/8")).hasSize(2);
        assertThat(NetworkRange.parse("10.1.0.0/16").contains(InetAddress.getByName("10.1.200.3"))).isTrue();
        assertThat(NetworkRange.parse("10.1.0.0/16").contains(InetAddress.getByName("10.2.0.1"))).isFalse();
        assertThat(NetworkRange.parse("192.168.1.7").contains(InetAddress.getByName("192.168.1.7"))).isTrue();
        assertThat(NetworkRange.parse("fd00::/8").contains(InetAddress.getByName("fd12::1"))).isTrue();
        for (String bad : List.of("localhost", "10.0.0.0/33", "10.0.0/8", "fd00::/129", "x/8", "10.0.0.0/a")) {
            assertThatThrownBy(() -> NetworkRange.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
