package io.ployer.engine.server;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.server.Server;
import io.ployer.api.server.ServerService;
import io.ployer.api.server.ServerStatus;
import io.ployer.spi.storage.Storage;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The servers applications run on; the local one is registered at first start. */
public final class DefaultServerService implements ServerService {
    private final Storage storage;
    private final Clock clock;

    public DefaultServerService(Storage storage, Clock clock) {
        this.storage = storage;
        this.clock = clock;
    }

    /** Registers the local server unless it already is. */
    public Server registerLocal() {
        return storage.inTransaction(tx -> tx.servers().findLocal().orElseGet(() -> {
            String name = localName();
            if (tx.servers().findByName(name).isPresent()) {
                name = name + "-local";
            }
            Server local = new Server(UUID.randomUUID().toString(), name, "localhost", 22, null, null, true,
                    ServerStatus.ONLINE, clock.instant(), clock.instant());
            tx.servers().insert(local);
            return local;
        }));
    }

    private static String localName() {
        try {
            String host = InetAddress.getLocalHost().getHostName();
            return host == null || host.isBlank() ? "local" : host;
        } catch (UnknownHostException e) {
            return "local";
        }
    }

    @Override
    public List<Server> list() {
        return storage.servers().list().stream().map(server -> server.withSshPrivateKey(null)).toList();
    }

    @Override
    public Optional<Server> find(String serverId) {
        if (serverId == null || serverId.length() > 64) {
            return Optional.empty();
        }
        return storage.servers().findById(serverId).map(server -> server.withSshPrivateKey(null));
    }

    @Override
    public Server local() {
        return storage.servers().findLocal().map(server -> server.withSshPrivateKey(null))
                .orElseThrow(() -> new PloyerException(StandardErrorCode.INVALID_STATE, "the local server is not registered yet"));
    }
}
