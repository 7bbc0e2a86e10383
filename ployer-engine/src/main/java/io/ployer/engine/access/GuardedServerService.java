package io.ployer.engine.access;

import io.ployer.api.account.AccountService.Principal;
import io.ployer.api.server.Server;
import io.ployer.api.server.ServerCheck;
import io.ployer.api.server.ServerResources;
import io.ployer.api.server.ServerService;
import io.ployer.api.server.ServerSpec;
import java.util.List;
import java.util.Optional;

/** {@link ServerService} as one principal may use it: servers are the instance's, changed by instance admins only (anyone may check one). */
final class GuardedServerService implements ServerService {
    private final ServerService delegate;
    private final Principal principal;

    GuardedServerService(ServerService delegate, Principal principal) {
        this.delegate = delegate;
        this.principal = principal;
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
        Permissions.requireInstanceAdmin(principal);
        return delegate.create(spec);
    }

    @Override
    public Server update(String serverId, ServerSpec changes) {
        Permissions.requireInstanceAdmin(principal);
        return delegate.update(serverId, changes);
    }

    @Override
    public void delete(String serverId) {
        Permissions.requireInstanceAdmin(principal);
        delegate.delete(serverId);
    }

    @Override
    public ServerCheck validate(String serverId) {
        return delegate.validate(serverId);
    }

    @Override
    public ServerResources resources(String serverId) {
        return delegate.resources(serverId);
    }
}
