package io.ployer.engine.access;

import io.ployer.api.account.AccountService.Principal;
import io.ployer.api.container.ContainerRequest;
import io.ployer.api.container.ContainerService;
import io.ployer.api.container.ContainerInfo;
import io.ployer.api.container.NetworkInfo;
import io.ployer.api.container.ResourceSample;
import io.ployer.api.container.VolumeInfo;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@link ContainerService} as one principal may use it. The host's containers belong to no project:
 * anyone signed in may look at them, only instance admins may change them or read what they print
 * (a container prints anything its app prints, secrets included).
 */
final class GuardedContainerService implements ContainerService {
    private final ContainerService delegate;
    private final Principal principal;

    GuardedContainerService(ContainerService delegate, Principal principal) {
        this.delegate = delegate;
        this.principal = principal;
    }

    private void admin() {
        Permissions.requireInstanceAdmin(principal);
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
        admin();
        return delegate.create(request);
    }

    @Override
    public void start(String containerId) {
        admin();
        delegate.start(containerId);
    }

    @Override
    public void stop(String containerId) {
        admin();
        delegate.stop(containerId);
    }

    @Override
    public void restart(String containerId) {
        admin();
        delegate.restart(containerId);
    }

    @Override
    public void remove(String containerId, boolean force) {
        admin();
        delegate.remove(containerId, force);
    }

    @Override
    public List<String> logs(String containerId, int tail) {
        admin();
        return delegate.logs(containerId, tail);
    }

    @Override
    public ResourceSample stats(String containerId) {
        return delegate.stats(containerId);
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
    public AutoCloseable followLogs(String containerId, Consumer<String> lines) {
        admin();
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
        admin();
        return delegate.createNetwork(name);
    }

    @Override
    public void removeNetwork(String idOrName) {
        admin();
        delegate.removeNetwork(idOrName);
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
        admin();
        return delegate.createVolume(name);
    }

    @Override
    public void removeVolume(String name) {
        admin();
        delegate.removeVolume(name);
    }
}
