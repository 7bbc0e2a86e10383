package io.ployer.engine.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.server.Server;
import io.ployer.api.server.ServerCheck;
import io.ployer.api.server.ServerSpec;
import io.ployer.api.server.ServerStatus;
import io.ployer.engine.network.NetworkTargets;
import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.storage.Storage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server check resolves a server's host once, checks the address, and connects to that address: a name
 * that answers a loopback address to the check and a metadata address afterwards (DNS rebinding) never gets
 * a connection to the latter. The names are resolved by a table (no DNS); the server is a loopback socket
 * that answers an SSH banner.
 */
class ServerAddressCheckTest {
    @TempDir
    Path directory;

    @Test
    void theCheckConnectsToTheAddressItCheckedAndRefusesARebindToMetadata() throws Exception {
        Storage storage = ServiceLoader.load(PloyerPlugin.class).stream().map(ServiceLoader.Provider::get)
                .flatMap(plugin -> plugin.storageFactories().stream()).filter(factory -> factory.name().equals("sqlite"))
                .findFirst().orElseThrow().create(Map.of("path", directory.resolve("db").toString()), new PluginContext() {
                });
        storage.start();
        List<String> answers = new CopyOnWriteArrayList<>(List.of("127.0.0.1", "127.0.0.1", "169.254.169.254"));
        AtomicInteger lookups = new AtomicInteger();
        NetworkTargets.Resolver rebinding = host -> {
            if (!host.equals("edge.rebind.test")) {
                throw new java.net.UnknownHostException(host);
            }
            int call = lookups.getAndIncrement();
            return new InetAddress[] {InetAddress.getByName(answers.get(Math.min(call, answers.size() - 1)))};
        };
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket banner = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!banner.isClosed()) {
                    try (Socket socket = banner.accept(); OutputStream out = socket.getOutputStream()) {
                        connections.incrementAndGet();
                        out.write("SSH-2.0-OpenSSH_9.6 test\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            DefaultServerService servers = new DefaultServerService(storage, Clock.systemUTC(), null, Optional.empty(),
                    directory, new NetworkTargets(rebinding, true));
            Server server = servers.create(new ServerSpec("edge", "edge.rebind.test", banner.getLocalPort(), "deploy", null));
            assertThat(lookups.get()).as("checked when registered").isEqualTo(1);

            // The name is not in DNS: only a connection to the checked address can reach the banner.
            ServerCheck online = servers.validate(server.id());
            assertThat(online.status()).as(online.message()).isEqualTo(ServerStatus.ONLINE);
            assertThat(online.message()).contains("SSH-2.0-OpenSSH_9.6");
            assertThat(lookups.get()).as("resolved once for the check").isEqualTo(2);
            assertThat(connections.get()).isEqualTo(1);

            ServerCheck rebound = servers.validate(server.id());
            assertThat(rebound.status()).isEqualTo(ServerStatus.OFFLINE);
            assertThat(rebound.message()).contains("169.254.169.254").contains("never allowed");
            assertThat(connections.get()).as("no connection after the rebind").isEqualTo(1);
        } finally {
            storage.close();
        }
    }
}
