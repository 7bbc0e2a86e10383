package io.ployer.server.system;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Liveness and what the server depends on. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class SystemResource {
    private final SystemProbe probe;

    public SystemResource(SystemProbe probe) {
        this.probe = probe;
    }

    @GET
    @Path("health")
    public SystemProbe.Health health() {
        return probe.health();
    }
}
