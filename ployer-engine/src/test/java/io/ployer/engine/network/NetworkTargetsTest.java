package io.ployer.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which addresses a repository or server host may resolve to (names resolved by a table, no DNS). */
class NetworkTargetsTest {
    private static final Map<String, List<String>> TABLE = Map.of(
            "forge.example.com", List.of("140.82.112.3"),
            "metadata.rebind.test", List.of("169.254.169.254"),
            "half.rebind.test", List.of("140.82.112.3", "169.254.169.254"),
            "lan.forge.test", List.of("192.168.1.20"));

    private static InetAddress[] lookUp(String host) throws UnknownHostException {
        List<String> addresses = TABLE.get(host);
        if (addresses == null) {
            // IP literals parse without a lookup; anything else is unknown here.
            if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName(host)};
        }
        InetAddress[] resolved = new InetAddress[addresses.size()];
        for (int i = 0; i < resolved.length; i++) {
            resolved[i] = InetAddress.getByName(addresses.get(i));
        }
        return resolved;
    }

    private static void assertRefused(NetworkTargets targets, String host, String words) {
        assertThatThrownBy(() -> targets.resolveChecked(host, "git_url")).as(host).isInstanceOfSatisfying(PloyerException.class, error -> {
            assertThat(error.code()).isEqualTo(StandardErrorCode.INVALID_ARGUMENT);
            assertThat(error.field()).contains("git_url");
            assertThat(error.getMessage()).contains(words);
        });
        assertThatThrownBy(() -> targets.checkIfResolvable(host, "git_url")).as(host).isInstanceOf(PloyerException.class);
    }

    @Test
    void linkLocalAndMetadataAddressesAreRefusedEvenWhenPrivateHostsAreAllowed() {
        NetworkTargets targets = new NetworkTargets(NetworkTargetsTest::lookUp, true);
        for (String host : List.of("169.254.169.254", "169.254.0.1", "fe80::1", "[fe80::1]", "febf::1", "fd00:ec2::254", "100.100.100.200",
                "192.0.0.192", "0.0.0.0", "::", "224.0.0.1", "metadata.rebind.test", "half.rebind.test")) {
            assertRefused(targets, host, "never allowed");
        }
        assertRefused(targets, "metadata.google.internal", "cloud metadata");
    }

    @Test
    void loopbackAndPrivateAddressesAreAllowedOnlyWithPrivateHostsAllowed() {
        NetworkTargets open = new NetworkTargets(NetworkTargetsTest::lookUp, true);
        NetworkTargets closed = new NetworkTargets(NetworkTargetsTest::lookUp, false);
        for (String host : List.of("127.0.0.1", "127.1.2.3", "::1", "10.0.0.5", "172.16.4.4", "192.168.1.2", "100.64.0.1", "fd12:3456::1",
                "lan.forge.test")) {
            assertThat(open.resolveChecked(host, "git_url")).as(host).isNotNull();
            assertRefused(closed, host, "git.allow-private-hosts=true");
        }
        assertThat(closed.resolveChecked("forge.example.com", "git_url").getHostAddress()).isEqualTo("140.82.112.3");
        assertThat(closed.resolveChecked("172.32.0.1", "git_url").getHostAddress()).isEqualTo("172.32.0.1");
    }

    @Test
    void anUnresolvableNameIsLeftForLaterOnlyWhenNotConnectingNow() {
        NetworkTargets targets = new NetworkTargets(NetworkTargetsTest::lookUp, false);
        targets.checkIfResolvable("nowhere.test", "host");
        assertThatThrownBy(() -> targets.resolveChecked("nowhere.test", "host")).isInstanceOfSatisfying(PloyerException.class,
                error -> assertThat(error.getMessage()).contains("does not resolve"));
    }
}
