package io.ployer.server.container;

import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.account.ApiKeyScope;
import io.ployer.api.application.RestartPolicy;
import io.ployer.api.container.ContainerRequest;
import io.ployer.server.auth.Caller;
import io.ployer.server.http.QueryParameters;
import io.ployer.api.container.ContainerInfo;
import io.ployer.api.container.NetworkInfo;
import io.ployer.api.container.ResourceSample;
import io.ployer.api.container.VolumeInfo;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * The host's containers, networks and volumes. Anyone may look (read scope); changing them, and
 * reading a container's output, is for admins, since they are not bound to an application.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class ContainerResource {
    private final Ployer ployer;

    public ContainerResource(Ployer ployer) {
        this.ployer = ployer;
    }

    /**
     * @param name          container name
     * @param image         local image
     * @param environment   environment variables
     * @param port          container port to publish on 127.0.0.1
     * @param memoryBytes   memory limit
     * @param cpus          CPU limit
     * @param restartPolicy restart policy
     */
    public record CreateContainer(String name, String image, Map<String, String> environment, Integer port, Long memoryBytes,
                                  Double cpus, RestartPolicy restartPolicy) {
        @Override
        public String toString() {
            return "CreateContainer[name=" + name + ", image=" + image + "]";
        }
    }

    /** @param name network or volume name */
    public record Named(String name) {
    }

    private static void admin(HttpServletRequest request) {
        Caller.requireAdmin(request, ApiKeyScope.WRITE);
    }

    @GET
    @Path("containers")
    public List<ContainerInfo> list(@Context HttpServletRequest request, @QueryParam("all") @DefaultValue("false") String all) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.containers().list(QueryParameters.bool("all", all));
    }

    @POST
    @Path("containers")
    public Response create(@Context HttpServletRequest request, CreateContainer body) {
        admin(request);
        if (body == null) {
            throw PloyerException.invalid("body", "is required");
        }
        return Response.status(201).entity(ployer.containers().create(new ContainerRequest(body.name(), body.image(),
                body.environment(), body.port(), body.memoryBytes(), body.cpus(), body.restartPolicy()))).build();
    }

    @GET
    @Path("containers/{id}")
    public ContainerInfo get(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.containers().get(id);
    }

    @POST
    @Path("containers/{id}/start")
    public ContainerInfo start(@Context HttpServletRequest request, @PathParam("id") String id) {
        admin(request);
        ployer.containers().start(id);
        return ployer.containers().get(id);
    }

    @POST
    @Path("containers/{id}/stop")
    public ContainerInfo stop(@Context HttpServletRequest request, @PathParam("id") String id) {
        admin(request);
        ployer.containers().stop(id);
        return ployer.containers().get(id);
    }

    @POST
    @Path("containers/{id}/restart")
    public ContainerInfo restart(@Context HttpServletRequest request, @PathParam("id") String id) {
        admin(request);
        ployer.containers().restart(id);
        return ployer.containers().get(id);
    }

    @DELETE
    @Path("containers/{id}")
    public Response remove(@Context HttpServletRequest request, @PathParam("id") String id,
                           @QueryParam("force") @DefaultValue("false") String force) {
        admin(request);
        ployer.containers().remove(id, QueryParameters.bool("force", force));
        return Response.noContent().build();
    }

    /** The container's replicas and the node each runs on (a runtime that scales, such as swarm; 409 elsewhere). */
    @GET
    @Path("containers/{id}/replicas")
    public List<io.ployer.api.container.Replica> replicas(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.containers().replicas(id);
    }

    @GET
    @Path("containers/{id}/logs")
    public List<String> logs(@Context HttpServletRequest request, @PathParam("id") String id,
                             @QueryParam("tail") @DefaultValue("100") String tail) {
        Caller.requireContainerLogs(request);
        return ployer.containers().logs(id, QueryParameters.integer("tail", tail, 1, 10_000));
    }

    @GET
    @Path("containers/{id}/stats")
    public ResourceSample stats(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.containers().stats(id);
    }

    @GET
    @Path("networks")
    public List<NetworkInfo> networks(@Context HttpServletRequest request) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.containers().networks();
    }

    @POST
    @Path("networks")
    public Response createNetwork(@Context HttpServletRequest request, Named body) {
        admin(request);
        return Response.status(201).entity(ployer.containers().createNetwork(body == null ? null : body.name())).build();
    }

    @GET
    @Path("networks/{id}")
    public NetworkInfo network(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.containers().network(id);
    }

    @DELETE
    @Path("networks/{id}")
    public Response removeNetwork(@Context HttpServletRequest request, @PathParam("id") String id) {
        admin(request);
        ployer.containers().removeNetwork(id);
        return Response.noContent().build();
    }

    @GET
    @Path("volumes")
    public List<VolumeInfo> volumes(@Context HttpServletRequest request) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.containers().volumes();
    }

    @POST
    @Path("volumes")
    public Response createVolume(@Context HttpServletRequest request, Named body) {
        admin(request);
        return Response.status(201).entity(ployer.containers().createVolume(body == null ? null : body.name())).build();
    }

    @GET
    @Path("volumes/{name}")
    public VolumeInfo volume(@Context HttpServletRequest request, @PathParam("name") String name) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.containers().volume(name);
    }

    @DELETE
    @Path("volumes/{name}")
    public Response removeVolume(@Context HttpServletRequest request, @PathParam("name") String name) {
        admin(request);
        ployer.containers().removeVolume(name);
        return Response.noContent().build();
    }
}
