package io.ployer.server.server;

import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.account.ApiKeyScope;
import io.ployer.api.server.Server;
import io.ployer.api.server.ServerCheck;
import io.ployer.api.server.ServerResources;
import io.ployer.api.server.ServerSpec;
import io.ployer.server.auth.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Servers: list, register, change, remove (admins), validate, resources. SSH keys are accepted, never shown. */
@Path("/servers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class ServerResource {
    private final Ployer ployer;

    public ServerResource(Ployer ployer) {
        this.ployer = ployer;
    }

    /**
     * @param name          display name
     * @param host          host
     * @param port          SSH port
     * @param username      SSH user
     * @param sshPrivateKey SSH private key
     */
    public record ServerRequest(String name, String host, Integer port, String username, String sshPrivateKey) {
        ServerSpec toSpec() {
            return new ServerSpec(name, host, port, username, sshPrivateKey);
        }

        @Override
        public String toString() {
            return "ServerRequest[name=" + name + ", host=" + host + "]";
        }
    }

    @GET
    public List<Server> list(@Context HttpServletRequest request) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.servers().list();
    }

    /** The Docker Swarm nodes the container runtime drives, with state, labels and resources (409 on a single machine). */
    @GET
    @Path("/swarm/nodes")
    public List<io.ployer.api.container.ClusterNode> swarmNodes(@Context HttpServletRequest request) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.containers().nodes();
    }

    @POST
    public Response create(@Context HttpServletRequest request, ServerRequest body) {
        Caller.requireAdmin(request, ApiKeyScope.WRITE);
        if (body == null) {
            throw PloyerException.invalid("body", "is required");
        }
        return Response.status(201).entity(ployer.servers().create(body.toSpec())).build();
    }

    @GET
    @Path("/{id}")
    public Server get(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.servers().find(id).orElseThrow(() -> PloyerException.notFound("server", id));
    }

    @PUT
    @Path("/{id}")
    public Server update(@Context HttpServletRequest request, @PathParam("id") String id, ServerRequest body) {
        Caller.requireAdmin(request, ApiKeyScope.WRITE);
        if (body == null) {
            throw PloyerException.invalid("body", "is required");
        }
        return ployer.servers().update(id, body.toSpec());
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.requireAdmin(request, ApiKeyScope.WRITE);
        ployer.servers().delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/validate")
    public ServerCheck validate(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.WRITE);
        return ployer.servers().validate(id);
    }

    @GET
    @Path("/{id}/resources")
    public ServerResources resources(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.servers().resources(id);
    }
}
