package io.ployer.engine.access;

import io.ployer.api.account.AccountService.Principal;
import io.ployer.api.container.ContainerRequest;
import io.ployer.api.container.ContainerService;
import io.ployer.api.server.Server;
import io.ployer.api.server.ServerCheck;
import io.ployer.api.server.ServerResources;
import io.ployer.api.server.ServerService;
import io.ployer.api.server.ServerSpec;
import io.ployer.spi.runtime.ContainerInfo;
import io.ployer.spi.runtime.NetworkInfo;
import io.ployer.spi.runtime.ResourceSample;
import io.ployer.spi.runtime.VolumeInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The instance-wide services an instance admin's view hands out, with their writes recorded in the
 * audit log: servers (created, changed, deleted) and the host's containers, networks and volumes.
 */
final class AuditedInstanceServices {
    private AuditedInstanceServices() {
    }

    static ServerService servers(ServerService delegate, AuditTrail audit, Principal principal, String clientAddress) {
        return new ServerService() {
            private void record(String action, String id, Map<String, String> change) {
                audit.record(principal, clientAddress, action, "server", id, null, change);
            }

            @Override
            public List<Server> list() {
                return delegate.list();
            }

            @Override
            public Optional<Server> find(String serverId) {
                return delegate.find(serverId);
            }

            @Override
            public Server local() {
                return delegate.local();
            }

            @Override
            public Server create(ServerSpec spec) {
                Server created = delegate.create(spec);
                record("server.created", created.id(), AuditTrail.change("name", created.name(), "host", created.host(),
                        "port", created.port(), "ssh_private_key", created.sshPrivateKey() == null ? null : AuditTrail.MASK));
                return created;
            }

            @Override
            public Server update(String serverId, ServerSpec changes) {
                Server updated = delegate.update(serverId, changes);
                record("server.updated", serverId, AuditTrail.change("name", updated.name(), "host", updated.host(), "port", updated.port()));
                return updated;
            }

            @Override
            public void delete(String serverId) {
                delegate.delete(serverId);
                record("server.deleted", serverId, Map.of());
            }

            @Override
            public ServerCheck validate(String serverId) {
                return delegate.validate(serverId);
            }

            @Override
            public ServerResources resources(String serverId) {
                return delegate.resources(serverId);
            }
        };
    }

    static ContainerService containers(ContainerService delegate, AuditTrail audit, Principal principal, String clientAddress) {
        return new ContainerService() {
            private void record(String action, String type, String id, Map<String, String> change) {
                audit.record(principal, clientAddress, action, type, id, null, change);
            }

            @Override
            public List<ContainerInfo> list(boolean all) {
                return delegate.list(all);
            }

            @Override
            public ContainerInfo get(String containerId) {
                return delegate.get(containerId);
            }

            @Override
            public ContainerInfo create(ContainerRequest request) {
                ContainerInfo created = delegate.create(request);
                record("container.created", "container", created.id(), AuditTrail.change("name", created.name(), "image", created.image()));
                return created;
            }

            @Override
            public void start(String containerId) {
                delegate.start(containerId);
                record("container.started", "container", containerId, Map.of());
            }

            @Override
            public void stop(String containerId) {
                delegate.stop(containerId);
                record("container.stopped", "container", containerId, Map.of());
            }

            @Override
            public void restart(String containerId) {
                delegate.restart(containerId);
                record("container.restarted", "container", containerId, Map.of());
            }

            @Override
            public void remove(String containerId, boolean force) {
                delegate.remove(containerId, force);
                record("container.removed", "container", containerId, AuditTrail.change("force", force));
            }

            @Override
            public List<String> logs(String containerId, int tail) {
                return delegate.logs(containerId, tail);
            }

            @Override
            public ResourceSample stats(String containerId) {
                return delegate.stats(containerId);
            }

            @Override
            public AutoCloseable followLogs(String containerId, Consumer<String> lines) {
                return delegate.followLogs(containerId, lines);
            }

            @Override
            public List<NetworkInfo> networks() {
                return delegate.networks();
            }

            @Override
            public NetworkInfo network(String idOrName) {
                return delegate.network(idOrName);
            }

            @Override
            public NetworkInfo createNetwork(String name) {
                NetworkInfo created = delegate.createNetwork(name);
                record("network.created", "network", created.id(), AuditTrail.change("name", name));
                return created;
            }

            @Override
            public void removeNetwork(String idOrName) {
                delegate.removeNetwork(idOrName);
                record("network.removed", "network", idOrName, Map.of());
            }

            @Override
            public List<VolumeInfo> volumes() {
                return delegate.volumes();
            }

            @Override
            public VolumeInfo volume(String name) {
                return delegate.volume(name);
            }

            @Override
            public VolumeInfo createVolume(String name) {
                VolumeInfo created = delegate.createVolume(name);
                record("volume.created", "volume", name, Map.of());
                return created;
            }

            @Override
            public void removeVolume(String name) {
                delegate.removeVolume(name);
                record("volume.deleted", "volume", name, Map.of());
            }
        };
    }
}
