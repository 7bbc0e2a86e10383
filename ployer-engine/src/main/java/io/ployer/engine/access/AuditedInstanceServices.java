package io.ployer.engine.access;

import io.ployer.api.account.AccountService.Principal;
import io.ployer.api.container.ContainerRequest;
import io.ployer.api.container.ContainerService;
import io.ployer.api.server.Server;
import io.ployer.api.server.ServerCheck;
import io.ployer.api.server.ServerResources;
import io.ployer.api.server.ServerService;
import io.ployer.api.server.ServerSpec;
import io.ployer.api.container.ContainerInfo;
import io.ployer.api.container.NetworkInfo;
import io.ployer.api.container.ResourceSample;
import io.ployer.api.container.VolumeInfo;
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
            public List<io.ployer.api.container.ClusterNode> nodes() {
                return delegate.nodes();
            }

            @Override
            public List<io.ployer.api.container.Replica> replicas(String containerId) {
                return delegate.replicas(containerId);
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

    static io.ployer.api.registry.RegistryService registries(io.ployer.api.registry.RegistryService delegate, AuditTrail audit,
                                                           Principal principal, String clientAddress) {
        return new io.ployer.api.registry.RegistryService() {
            private void record(String action, String type, String id, Map<String, String> change) {
                audit.record(principal, clientAddress, action, type, id, null, change);
            }

            @Override
            public List<io.ployer.api.registry.Registry> list() {
                return delegate.list();
            }

            @Override
            public io.ployer.api.registry.Registry get(String registryId) {
                return delegate.get(registryId);
            }

            @Override
            public io.ployer.api.registry.Registry create(io.ployer.api.registry.RegistrySpec spec) {
                io.ployer.api.registry.Registry created = delegate.create(spec);
                record("registry.created", "registry", created.id(), AuditTrail.change("url", created.url(), "username", created.username(),
                        "password", created.hasPassword() ? AuditTrail.MASK : null));
                return created;
            }

            @Override
            public io.ployer.api.registry.Registry update(String registryId, io.ployer.api.registry.RegistrySpec changes) {
                io.ployer.api.registry.Registry updated = delegate.update(registryId, changes);
                record("registry.updated", "registry", registryId, AuditTrail.change("url", updated.url(), "username", updated.username(),
                        "password", updated.hasPassword() ? AuditTrail.MASK : null));
                return updated;
            }

            @Override
            public void delete(String registryId) {
                delegate.delete(registryId);
                record("registry.deleted", "registry", registryId, Map.of());
            }

            @Override
            public Optional<io.ployer.api.registry.PushTarget> pushTarget(String applicationId) {
                return delegate.pushTarget(applicationId);
            }

            @Override
            public io.ployer.api.registry.PushTarget setPushTarget(String applicationId, String registryId, String repository) {
                io.ployer.api.registry.PushTarget target = delegate.setPushTarget(applicationId, registryId, repository);
                record("push-target.set", "application", applicationId, AuditTrail.change("registry_id", registryId, "repository", repository));
                return target;
            }

            @Override
            public void clearPushTarget(String applicationId) {
                delegate.clearPushTarget(applicationId);
                record("push-target.cleared", "application", applicationId, Map.of());
            }
        };
    }

    static io.ployer.api.notification.NotificationService notifications(io.ployer.api.notification.NotificationService delegate,
                                                                       AuditTrail audit, Principal principal, String clientAddress) {
        return new io.ployer.api.notification.NotificationService() {
            private void record(String action, io.ployer.api.notification.NotificationChannel channel, String id) {
                audit.record(principal, clientAddress, action, "notification-channel", id, channel == null ? null : channel.projectId(),
                        channel == null ? Map.of() : AuditTrail.change("name", channel.name(), "type", channel.type(),
                                "events", channel.events(), "enabled", channel.enabled(), "config_keys", channel.config().keySet()));
            }

            @Override
            public List<io.ployer.api.notification.NotificationChannel> listChannels() {
                return delegate.listChannels();
            }

            @Override
            public Optional<io.ployer.api.notification.NotificationChannel> findChannel(String id) {
                return delegate.findChannel(id);
            }

            @Override
            public io.ployer.api.notification.NotificationChannel createChannel(io.ployer.api.notification.ChannelSpec spec) {
                io.ployer.api.notification.NotificationChannel created = delegate.createChannel(spec);
                record("notification-channel.created", created, created.id());
                return created;
            }

            @Override
            public io.ployer.api.notification.NotificationChannel updateChannel(String id, io.ployer.api.notification.ChannelSpec spec) {
                io.ployer.api.notification.NotificationChannel updated = delegate.updateChannel(id, spec);
                record("notification-channel.updated", updated, id);
                return updated;
            }

            @Override
            public void deleteChannel(String id) {
                delegate.deleteChannel(id);
                record("notification-channel.deleted", null, id);
            }

            @Override
            public io.ployer.api.notification.NotificationDelivery test(String id) {
                return delegate.test(id);
            }

            @Override
            public List<io.ployer.api.notification.NotificationDelivery> deliveries(String channelId, int limit) {
                return delegate.deliveries(channelId, limit);
            }

            @Override
            public List<String> types() {
                return delegate.types();
            }
        };
    }
}
