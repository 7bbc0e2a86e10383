package io.ployer.server.system;

import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.account.ApiKeyScope;
import io.ployer.api.server.Server;
import io.ployer.server.auth.Caller;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Liveness and what the server depends on, plus the servers list. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class SystemResource {
    private final Ployer ployer;
    private final SystemProbe probe;

    public SystemResource(Ployer ployer, SystemProbe probe) {
        this.ployer = ployer;
        this.probe = probe;
    }

    @GET
    @Path("health")
    public SystemProbe.Health health() {
        return probe.health();
    }

    @GET
    @Path("servers")
    public List<Server> servers(@Context HttpServletRequest request) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.servers().list();
    }

    @GET
    @Path("servers/{id}")
    public Server server(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.servers().find(id).orElseThrow(() -> PloyerException.notFound("server", id));
    }
}
