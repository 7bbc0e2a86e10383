package io.ployer.engine.deploy;

import io.ployer.api.PloyerException;
import io.ployer.api.application.Application;
import io.ployer.api.server.Server;
import io.ployer.spi.storage.Storage;
import java.util.Optional;

/**
 * Where a deployment may run when remote deploys are off ({@code servers.remote-deploy=false}): an
 * application assigned to a registered remote server is refused (CONFLICT on {@code server_id}, a
 * 409 over HTTP) rather than silently built and run here.
 */
final class ServerPlacement {
    private ServerPlacement() {
    }

    /** Throws CONFLICT when the application is assigned to a remote server. */
    static void requireLocal(Storage storage, Application application) {
        if (application.serverId() == null) {
            return;
        }
        Optional<Server> server = storage.servers().findById(application.serverId());
        if (server.isPresent() && !server.get().local()) {
            throw PloyerException.conflict("server_id", "The application " + application.name()
                    + " is assigned to the remote server " + server.get().name() + " (" + server.get().host()
                    + "), and deploying to remote servers is off on this Ployer (servers.remote-deploy=false). Turn it on, or "
                    + "assign the application to the local server to deploy it here.");
        }
    }
}
