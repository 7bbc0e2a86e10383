package io.ployer.engine.server;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.event.PloyerEvent;
import io.ployer.api.server.Server;
import io.ployer.api.server.ServerCheck;
import io.ployer.api.server.ServerResources;
import io.ployer.api.server.ServerService;
import io.ployer.api.server.ServerSpec;
import io.ployer.api.server.ServerStatus;
import io.ployer.engine.application.SecretFields;
import io.ployer.engine.network.NetworkTargets;
import io.ployer.engine.secret.SecretCipher;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.storage.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;

/** The servers applications run on; the local one is registered at first start. */
public final class DefaultServerService implements ServerService {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\]");
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

    private final Storage storage;
    private final Clock clock;
    private final SecretCipher cipher;
    private final Optional<ContainerRuntime> runtime;
    private final Path dataDirectory;
    private final NetworkTargets networkTargets;

    public DefaultServerService(Storage storage, Clock clock, SecretCipher cipher, Optional<ContainerRuntime> runtime,
                                Path dataDirectory) {
        this(storage, clock, cipher, runtime, dataDirectory, NetworkTargets.defaults());
    }

    /** @param networkTargets which addresses a server's host may resolve to; checks connect to the address it checked */
    public DefaultServerService(Storage storage, Clock clock, SecretCipher cipher, Optional<ContainerRuntime> runtime,
                                Path dataDirectory, NetworkTargets networkTargets) {
        this.networkTargets = networkTargets;
        this.storage = storage;
        this.clock = clock;
        this.cipher = cipher;
        this.runtime = runtime;
        this.dataDirectory = dataDirectory;
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
            return host == null || host.isBlank() || !NAME.matcher(host).matches() ? "local" : host;
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

    private Server get(String serverId) {
        return find(serverId).orElseThrow(() -> PloyerException.notFound("server", String.valueOf(serverId)));
    }

    @Override
    public Server local() {
        return storage.servers().findLocal().map(server -> server.withSshPrivateKey(null))
                .orElseThrow(() -> new PloyerException(StandardErrorCode.INVALID_STATE, "the local server is not registered yet"));
    }

    @Override
    public Server create(ServerSpec spec) {
        if (spec == null) {
            throw PloyerException.invalid("body", "is required");
        }
        validate(spec, true);
        String id = UUID.randomUUID().toString();
        String key = spec.sshPrivateKey() == null ? null : cipher.encrypt(id, SecretFields.SSH_PRIVATE_KEY, spec.sshPrivateKey());
        Server server = new Server(id, spec.name().strip(), spec.host().strip(), spec.port() == null ? 22 : spec.port(),
                spec.username(), key, false, ServerStatus.UNKNOWN, null, clock.instant());
        storage.inTransaction(tx -> {
            if (tx.servers().findByName(server.name()).isPresent()) {
                throw PloyerException.conflict("name", "a server named '" + server.name() + "' already exists");
            }
            tx.servers().insert(server);
            return null;
        });
        return server.withSshPrivateKey(null);
    }

    @Override
    public Server update(String serverId, ServerSpec changes) {
        if (changes == null) {
            throw PloyerException.invalid("body", "is required");
        }
        validate(changes, false);
        Server current = storage.servers().findById(serverId == null || serverId.length() > 64 ? "" : serverId)
                .orElseThrow(() -> PloyerException.notFound("server", String.valueOf(serverId)));
        if (current.local()) {
            throw new PloyerException(StandardErrorCode.INVALID_STATE, "the local server cannot be changed");
        }
        Server updated = new Server(current.id(), changes.name() == null ? current.name() : changes.name().strip(),
                changes.host() == null ? current.host() : changes.host().strip(),
                changes.port() == null ? current.port() : changes.port(),
                changes.username() == null ? current.username() : changes.username(),
                changes.sshPrivateKey() == null ? current.sshPrivateKey()
                        : cipher.encrypt(current.id(), SecretFields.SSH_PRIVATE_KEY, changes.sshPrivateKey()),
                false, current.status(), current.lastCheckedAt(), current.createdAt());
        storage.inTransaction(tx -> {
            tx.servers().update(updated);
            return null;
        });
        return updated.withSshPrivateKey(null);
    }

    private void validate(ServerSpec spec, boolean creating) {
        if (creating || spec.name() != null) {
            if (spec.name() == null || !NAME.matcher(spec.name().strip()).matches()) {
                throw PloyerException.invalid("name", "must be 1-63 letters, digits, spaces, '.', '_' or '-'");
            }
        }
        if (creating || spec.host() != null) {
            if (spec.host() == null || !HOST.matcher(spec.host().strip()).matches()) {
                throw PloyerException.invalid("host", "must be a hostname or IP address");
            }
            networkTargets.checkIfResolvable(spec.host().strip(), "host");
        }
        if (spec.port() != null && (spec.port() < 1 || spec.port() > 65535)) {
            throw PloyerException.invalid("port", "must be within 1..65535");
        }
        if (spec.username() != null && !USER.matcher(spec.username()).matches()) {
            throw PloyerException.invalid("username", "must be a Unix user name");
        }
        if (spec.sshPrivateKey() != null && (spec.sshPrivateKey().length() > 16_384
                || !spec.sshPrivateKey().strip().startsWith("-----BEGIN "))) {
            throw PloyerException.invalid("ssh_private_key", "must be a PEM or OpenSSH private key of at most 16 KiB");
        }
    }

    @Override
    public void delete(String serverId) {
        Server server = get(serverId);
        if (server.local()) {
            throw new PloyerException(StandardErrorCode.INVALID_STATE, "the local server cannot be removed");
        }
        if (storage.applications().list().stream().anyMatch(application -> serverId.equals(application.serverId()))) {
            throw PloyerException.conflict("server_id", "applications still run on this server; move or delete them first");
        }
        storage.inTransaction(tx -> tx.servers().delete(serverId));
    }

    @Override
    public ServerCheck validate(String serverId) {
        Server server = get(serverId);
        ServerCheck check = server.local() ? checkLocal() : checkRemote(serverId);
        Server checked = storage.servers().findById(serverId).orElseThrow().withStatus(check.status(), clock.instant());
        storage.inTransaction(tx -> {
            tx.servers().update(checked);
            return null;
        });
        return check;
    }

    private ServerCheck checkLocal() {
        if (runtime.isEmpty()) {
            return new ServerCheck(ServerStatus.OFFLINE, "no container runtime is configured");
        }
        try {
            return new ServerCheck(ServerStatus.ONLINE, "Docker " + runtime.get().ping().version() + " answers");
        } catch (PloyerException e) {
            return new ServerCheck(ServerStatus.OFFLINE, e.getMessage());
        }
    }

    /** A real SSH session (with the server's key) and {@code docker version}; without a key, the SSH banner only. */
    private ServerCheck checkRemote(String serverId) {
        Server stored = storage.servers().findById(serverId).orElseThrow();
        InetAddress address;
        try {
            address = networkTargets.resolveChecked(stored.host(), "host");
        } catch (PloyerException refused) {
            return new ServerCheck(ServerStatus.OFFLINE, "not connecting: " + refused.getMessage());
        }
        if (stored.sshPrivateKey() != null) {
            return overSsh(stored, address, SshServerCheck::check);
        }
        return checkBanner(stored, address);
    }

    /** A remote server's resources, read over SSH with its key (the host key pinned as for checks). */
    private ServerResources remoteResources(String serverId) {
        Server stored = storage.servers().findById(serverId).orElseThrow();
        if (stored.sshPrivateKey() == null) {
            throw new PloyerException(StandardErrorCode.INVALID_STATE,
                    "the server has no SSH key: add one (ssh_private_key) to measure its resources");
        }
        InetAddress address;
        try {
            address = networkTargets.resolveChecked(stored.host(), "host");
        } catch (PloyerException refused) {
            throw new PloyerException(StandardErrorCode.RUNTIME_FAILURE, "not connecting: " + refused.getMessage());
        }
        return overSsh(stored, address, SshServerCheck::resources);
    }

    /** Something done over SSH with the server's decrypted key and its pinned host key. */
    @FunctionalInterface
    private interface SshCall<T> {
        T call(Server server, InetAddress address, String privateKey, Optional<String> pinnedHostKey,
               java.util.function.Consumer<String> rememberHostKey);
    }

    private <T> T overSsh(Server stored, InetAddress address, SshCall<T> call) {
        String key = cipher.decrypt(stored.id(), SecretFields.SSH_PRIVATE_KEY, stored.sshPrivateKey());
        String setting = "server.host_key." + stored.id();
        return call.call(stored, address, key, storage.settings().get(setting), fingerprint -> storage.inTransaction(tx -> {
            tx.settings().put(setting, fingerprint);
            return null;
        }));
    }

    /** Connects to {@code address}, the one checked for the server's host, never to the name again. */
    private static ServerCheck checkBanner(Server server, InetAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, server.port()), 5000);
            socket.setSoTimeout(5000);
            InputStream input = socket.getInputStream();
            byte[] banner = new byte[256];
            int read = input.read(banner);
            String text = read <= 0 ? "" : new String(banner, 0, read, StandardCharsets.US_ASCII).strip();
            if (text.startsWith("SSH-")) {
                return new ServerCheck(ServerStatus.ONLINE, "SSH answers: " + text.lines().findFirst().orElse(text));
            }
            return new ServerCheck(ServerStatus.OFFLINE, server.host() + ":" + server.port() + " answers, but not with SSH");
        } catch (IOException e) {
            return new ServerCheck(ServerStatus.OFFLINE, "cannot reach " + server.host() + ":" + server.port() + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    /**
     * Validates every server once and publishes a {@link PloyerEvent.ServerStatusChanged} for each
     * whose status changed; the engine runs this on an interval (default 30 s).
     */
    public List<PloyerEvent.ServerStatusChanged> checkAll(java.util.function.Consumer<PloyerEvent> events) {
        List<PloyerEvent.ServerStatusChanged> changes = new java.util.ArrayList<>();
        for (Server server : storage.servers().list()) {
            ServerStatus before = server.status();
            ServerCheck check;
            try {
                check = validate(server.id());
            } catch (RuntimeException e) {
                continue;
            }
            if (check.status() != before) {
                PloyerEvent.ServerStatusChanged change = new PloyerEvent.ServerStatusChanged(server.id(), before, check.status(),
                        check.message(), clock.instant());
                changes.add(change);
                events.accept(change);
            }
        }
        return changes;
    }

    @Override
    public ServerResources resources(String serverId) {
        Server server = get(serverId);
        if (!server.local()) {
            return remoteResources(serverId);
        }
        SystemInfo system = new SystemInfo();
        CentralProcessor processor = system.getHardware().getProcessor();
        GlobalMemory memory = system.getHardware().getMemory();
        double[] load = processor.getSystemLoadAverage(1);
        long diskTotal = 0;
        long diskFree = 0;
        try {
            FileStore store = Files.getFileStore(Files.exists(dataDirectory) ? dataDirectory : Path.of("/"));
            diskTotal = store.getTotalSpace();
            diskFree = store.getUsableSpace();
        } catch (IOException e) {
            // reported as zero
        }
        return new ServerResources(processor.getProcessorIdentifier().getName(), processor.getLogicalProcessorCount(),
                load.length > 0 ? load[0] : -1, memory.getTotal(), memory.getTotal() - memory.getAvailable(), diskTotal, diskFree,
                system.getOperatingSystem().getSystemUptime());
    }
}
