package io.ployer.engine.remote;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.Application;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.event.PloyerEvent;
import io.ployer.api.server.Server;
import io.ployer.api.server.ServerStatus;
import io.ployer.engine.application.SecretFields;
import io.ployer.engine.network.NetworkTargets;
import io.ployer.engine.secret.SecretCipher;
import io.ployer.spi.proxy.ReverseProxy;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.api.container.Endpoint;
import io.ployer.spi.storage.Storage;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remote servers applications are deployed to. Each one in use has an {@link SshLink}, a
 * {@link ChannelBridge} whose Unix socket speaks its Docker Engine API (so the chosen runtime plugin
 * drives it as it drives the local engine), and — when the reverse proxy is Caddy — its own Caddy
 * ({@link RemoteCaddy}) driven by the proxy plugin through a loopback port bridged to the server's
 * admin port. A probe every {@code servers.probe-interval} asks each server's Docker whether it
 * answers; a server that does not is unreachable until it does again: calls to it fail at once, and
 * the health monitor reports its applications UNKNOWN rather than restarting what it cannot see.
 */
public final class RemoteServers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteServers.class);
    private static final String ADMIN_PORT_SETTING = "server.proxy_admin_local_port.";

    private final Storage storage;
    private final SecretCipher cipher;
    private final NetworkTargets networkTargets;
    private final RemoteSettings settings;
    private final Function<Map<String, String>, ContainerRuntime> runtimes;
    private final Optional<Function<Map<String, String>, ReverseProxy>> proxies;
    private final String instanceId;
    private final Clock clock;
    private final Consumer<PloyerEvent> events;
    private final ExecutorService threads;
    private final ScheduledExecutorService probes;
    private final Map<String, Remote> remotes = new ConcurrentHashMap<>();
    /** Container id → the id of the server it runs on ({@code ""} for this machine), as made or listed. */
    final Map<String, String> containerServers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param runtimes makes the container runtime plugin with the given config (its {@code host} a bridge socket)
     * @param proxies  makes the reverse proxy plugin with the given config, when it is Caddy
     */
    public RemoteServers(Storage storage, SecretCipher cipher, NetworkTargets networkTargets, RemoteSettings settings,
                         Function<Map<String, String>, ContainerRuntime> runtimes,
                         Optional<Function<Map<String, String>, ReverseProxy>> proxies, String instanceId, Clock clock,
                         Consumer<PloyerEvent> events, ThreadFactory threadFactory) {
        this.storage = storage;
        this.cipher = cipher;
        this.networkTargets = networkTargets;
        this.settings = settings;
        this.runtimes = runtimes;
        this.proxies = proxies;
        this.instanceId = instanceId;
        this.clock = clock;
        this.events = events;
        this.threads = Executors.newCachedThreadPool(threadFactory);
        this.probes = Executors.newSingleThreadScheduledExecutor(threadFactory);
    }

    /** Starts probing the servers in use every {@code probe-interval}. */
    public void start() {
        long every = settings.probeInterval().toMillis();
        probes.scheduleWithFixedDelay(() -> {
            try {
                probeAll();
            } catch (RuntimeException e) {
                LOG.warn("probing the remote servers failed: {}", e.toString());
            }
        }, 0, every, TimeUnit.MILLISECONDS);
    }

    /** The remote server an application is assigned to, if it is assigned to one (not the local one). */
    public Optional<String> serverOf(String applicationId) {
        return storage.applications().findById(applicationId).flatMap(this::serverOf);
    }

    public Optional<String> serverOf(Application application) {
        if (application.serverId() == null) {
            return Optional.empty();
        }
        return storage.servers().findById(application.serverId()).filter(server -> !server.local()).map(Server::id);
    }

    /**
     * The remote server a route leads to: where the container of the application's newest live
     * deployment at the route's upstream runs (during a move, the old server still serves), else
     * the application's server.
     */
    public Optional<String> serverOf(io.ployer.spi.proxy.Route route) {
        String upstream = route.upstreams().get(0).address();
        Optional<String> located = storage.deployments().findByApplicationAndStatus(route.applicationId(),
                        java.util.EnumSet.of(DeploymentStatus.RUNNING, DeploymentStatus.SWITCHING, DeploymentStatus.HEALTH_CHECKING,
                                DeploymentStatus.STARTING)).stream()
                .filter(deployment -> upstream.equals(deployment.endpoint()) && deployment.containerId() != null)
                .max(java.util.Comparator.comparing(Deployment::createdAt))
                .map(deployment -> containerServers.get(deployment.containerId()));
        if (located.isPresent()) {
            return located.get().isEmpty() ? Optional.empty() : located;
        }
        return serverOf(route.applicationId());
    }

    /** The remote servers whose proxy holds or may hold routes: those applications are assigned to, and those in use. */
    Set<String> routedServers() {
        Set<String> all = new java.util.HashSet<>(assignedServers());
        remotes.values().stream().filter(remote -> remote.proxy != null).forEach(remote -> all.add(remote.serverId));
        return all;
    }

    /** Whether the application's server answered its last probe (an application on this machine always does). */
    public boolean reachable(String applicationId) {
        return serverOf(applicationId).map(id -> {
            Remote remote = remotes.get(id);
            return remote == null || remote.reachable;
        }).orElse(true);
    }

    /** The runtime of a remote server; fails at once while the server is unreachable. */
    public ContainerRuntime runtime(String serverId) {
        Remote remote = remote(serverId);
        if (!remote.reachable) {
            throw new PloyerException(StandardErrorCode.RUNTIME_FAILURE, "the server " + remote.name
                    + " cannot be reached over SSH now (Ployer keeps trying)");
        }
        return remote.recording;
    }

    /** The reverse proxy of a remote server, its Caddy started first when needed. */
    public Optional<ReverseProxy> proxy(String serverId) {
        Remote remote = remote(serverId);
        if (remote.proxy == null) {
            return Optional.empty();
        }
        if (!remote.reachable) {
            throw new PloyerException(StandardErrorCode.PROXY_FAILURE, "the server " + remote.name
                    + " cannot be reached over SSH now: its proxy cannot be changed");
        }
        prepareProxy(remote);
        return Optional.of(remote.proxy);
    }

    /**
     * Where this machine reaches an application's published endpoint: on a remote server, a loopback
     * port bridged to it through a {@code direct-tcpip} SSH channel (the server's published ports stay
     * on its own loopback); on this machine, the endpoint itself.
     */
    public Endpoint probeEndpoint(String applicationId, Endpoint endpoint) {
        Optional<String> serverId = serverOf(applicationId);
        if (serverId.isEmpty()) {
            return endpoint;
        }
        Remote remote = remote(serverId.get());
        ChannelBridge bridge = remote.probes.computeIfAbsent(endpoint.address(), address -> {
            try {
                return ChannelBridge.loopbackPort(0, () -> remote.link.dialTcp(endpoint.host(), endpoint.port()), threads,
                        "health probes of " + address + " on " + remote.name);
            } catch (IOException e) {
                throw new PloyerException(StandardErrorCode.RUNTIME_FAILURE, "no loopback port for health probes: " + e.getMessage(), e);
            }
        });
        return new Endpoint("127.0.0.1", bridge.port());
    }

    /** Closes the probe bridges of endpoints no deployment serves or starts on any more. */
    private void pruneProbes() {
        Set<String> live = storage.deployments().findByStatus(java.util.EnumSet.of(DeploymentStatus.RUNNING,
                        DeploymentStatus.STARTING, DeploymentStatus.HEALTH_CHECKING, DeploymentStatus.SWITCHING)).stream()
                .map(Deployment::endpoint).filter(java.util.Objects::nonNull).collect(Collectors.toSet());
        for (Remote remote : remotes.values()) {
            remote.probes.entrySet().removeIf(entry -> {
                if (live.contains(entry.getKey())) {
                    return false;
                }
                entry.getValue().close();
                return true;
            });
        }
    }

    /** The servers in use now, by id: reachable ones only when {@code reachableOnly}. */
    Map<String, Remote> inUse(boolean reachableOnly) {
        return remotes.entrySet().stream().filter(entry -> !reachableOnly || entry.getValue().reachable)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** The ids of remote servers some application is assigned to. */
    Set<String> assignedServers() {
        return storage.applications().list().stream().map(this::serverOf).flatMap(Optional::stream).collect(Collectors.toSet());
    }

    private void prepareProxy(Remote remote) {
        if (remote.proxyReady) {
            return;
        }
        synchronized (remote) {
            if (!remote.proxyReady) {
                RemoteCaddy.ensure(remote.runtime, settings, remote.admin.port(), instanceId);
                remote.proxy.start();
                remote.proxyReady = true;
            }
        }
    }

    /** Asks each server in use whether its Docker answers; marks it reachable or not, telling when that changes. */
    public void probeAll() {
        pruneProbes();
        for (String serverId : assignedServers()) {
            if (closed) {
                return;
            }
            Remote remote;
            try {
                remote = remote(serverId);
            } catch (PloyerException e) {
                LOG.debug("server {} not probed: {}", serverId, e.getMessage());
                continue;
            }
            boolean answers;
            String reason;
            try {
                reason = "Docker " + remote.runtime.ping().version() + " answers over SSH";
                answers = true;
            } catch (RuntimeException e) {
                reason = e.getMessage();
                answers = false;
                remote.link.reset();
                remote.proxyReady = false;
            }
            if (answers != remote.reachable) {
                LOG.warn("remote server {} is {}: {}", remote.name, answers ? "reachable again" : "unreachable", reason);
                recordStatus(serverId, answers ? ServerStatus.ONLINE : ServerStatus.OFFLINE, reason);
                remote.reachable = answers;
            }
            if (answers && remote.proxy != null && !remote.proxyReady) {
                try {
                    prepareProxy(remote);
                } catch (RuntimeException e) {
                    LOG.warn("the proxy of remote server {} is not ready: {}", remote.name, e.getMessage());
                }
            }
        }
    }

    private void recordStatus(String serverId, ServerStatus status, String reason) {
        storage.inTransaction(tx -> {
            tx.servers().findById(serverId).filter(server -> server.status() != status).ifPresent(server -> {
                tx.servers().update(server.withStatus(status, clock.instant()));
                events.accept(new PloyerEvent.ServerStatusChanged(serverId, server.status(), status, reason, clock.instant()));
            });
            return null;
        });
    }

    private Remote remote(String serverId) {
        if (closed) {
            throw new PloyerException(StandardErrorCode.INVALID_STATE, "Ployer is stopping");
        }
        Remote known = remotes.get(serverId);
        if (known != null) {
            return known;
        }
        synchronized (remotes) {
            return remotes.computeIfAbsent(serverId, this::open);
        }
    }

    private Remote open(String serverId) {
        Server server = storage.servers().findById(serverId).filter(found -> !found.local())
                .orElseThrow(() -> PloyerException.notFound("server", serverId));
        if (server.sshPrivateKey() == null) {
            throw new PloyerException(StandardErrorCode.CONFIGURATION, "the server " + server.name()
                    + " has no SSH key: add one (ssh_private_key) to deploy to it");
        }
        SshLink link = new SshLink(server.name(), () -> target(serverId), Duration.ofSeconds(10));
        ChannelBridge docker = null;
        ChannelBridge admin = null;
        try {
            docker = ChannelBridge.unixSocket(link::dialDocker, threads, "Docker of " + server.name());
            Map<String, String> runtimeConfig = new HashMap<>();
            runtimeConfig.put("host", docker.dockerHost());
            runtimeConfig.put("publish-host", settings.publishHost());
            runtimeConfig.put("publish-port", "engine"); // a port free here says nothing about the server
            ContainerRuntime runtime = runtimes.apply(runtimeConfig);
            ReverseProxy proxy = null;
            if (proxies.isPresent()) {
                admin = adminBridge(server, link);
                Map<String, String> proxyConfig = new HashMap<>(settings.proxyConfig());
                proxyConfig.put("admin-address", "http://127.0.0.1:" + admin.port());
                proxy = proxies.get().apply(proxyConfig);
            }
            LOG.info("remote server {} ({}:{}) in use: Docker over SSH (dial-stdio){}", server.name(), server.host(),
                    server.port(), proxy == null ? "" : ", its Caddy admin API through the SSH connection");
            return new Remote(serverId, server.name(), link, docker, runtime, admin, proxy, containerServers);
        } catch (IOException | RuntimeException e) {
            if (admin != null) {
                admin.close();
            }
            if (docker != null) {
                docker.close();
            }
            link.close();
            throw new PloyerException(StandardErrorCode.RUNTIME_FAILURE, "cannot prepare the connection to server "
                    + server.name() + ": " + e.getMessage(), e);
        }
    }

    /** The loopback port for the server's Caddy admin API: the one used before when it is free (Caddy allows that one). */
    private ChannelBridge adminBridge(Server server, SshLink link) throws IOException {
        String setting = ADMIN_PORT_SETTING + server.id();
        int remembered = storage.settings().get(setting).map(Integer::parseInt).orElse(0);
        ChannelBridge.Opener opener = () -> link.dialTcp("127.0.0.1", settings.proxyAdminPort());
        ChannelBridge bridge;
        try {
            bridge = ChannelBridge.loopbackPort(remembered, opener, threads, "Caddy admin of " + server.name());
        } catch (IOException taken) {
            bridge = ChannelBridge.loopbackPort(0, opener, threads, "Caddy admin of " + server.name());
        }
        if (bridge.port() != remembered) {
            int port = bridge.port();
            storage.inTransaction(tx -> {
                tx.settings().put(setting, Integer.toString(port));
                return null;
            });
        }
        return bridge;
    }

    private SshLink.Target target(String serverId) {
        Server server = storage.servers().findById(serverId).orElseThrow(() -> PloyerException.notFound("server", serverId));
        String key = cipher.decrypt(server.id(), SecretFields.SSH_PRIVATE_KEY, server.sshPrivateKey());
        String setting = "server.host_key." + server.id();
        return new SshLink.Target(server.host(), networkTargets.resolveChecked(server.host(), "host"), server.port(),
                server.username() == null ? "root" : server.username(), key, storage.settings().get(setting),
                fingerprint -> storage.inTransaction(tx -> {
                    tx.settings().put(setting, fingerprint);
                    return null;
                }));
    }

    @Override
    public void close() {
        closed = true;
        probes.shutdownNow();
        for (Remote remote : remotes.values()) {
            if (remote.proxy != null) {
                remote.proxy.close();
                remote.admin.close();
            }
            remote.probes.values().forEach(ChannelBridge::close);
            remote.runtime.close();
            remote.docker.close();
            remote.link.close();
        }
        remotes.clear();
        threads.shutdownNow();
    }
}
