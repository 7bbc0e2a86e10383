package io.ployer.server.deployment;

import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.account.ApiKeyScope;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentLogLine;
import io.ployer.api.deployment.DeploymentQuery;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.server.auth.Caller;
import io.ployer.server.http.CachedResponse;
import io.ployer.server.http.Paging;
import io.ployer.server.http.QueryParameters;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;

/** Deployments: list, inspect, cancel, roll back, logs. */
@Path("/deployments")
@Produces(MediaType.APPLICATION_JSON)
public final class DeploymentResource {
    private final Ployer ployer;

    public DeploymentResource(Ployer ployer) {
        this.ployer = ployer;
    }

    @CachedResponse(reads = "deployments")
    @GET
    public List<Deployment> list(@Context HttpServletRequest request, @Context HttpServletResponse response,
                                 @QueryParam("app_id") String applicationId,
                                 @QueryParam("status") String status, @QueryParam("offset") String offset,
                                 @QueryParam("limit") String limit) {
        Caller.require(request, ApiKeyScope.READ);
        Paging.Window window = Paging.Window.of(offset, limit);
        DeploymentQuery query = new DeploymentQuery(applicationId, status(status), window.offset(), window.limit());
        long total = ployer.deployments().count(query);
        return Paging.answer(request, response, window, total, ployer.deployments().list(query));
    }

    @CachedResponse(reads = "deployments")
    @GET
    @Path("/{id}")
    public Deployment get(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.deployments().get(id);
    }

    @POST
    @Path("/{id}/cancel")
    public Deployment cancel(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.DEPLOY);
        return ployer.deployments().cancel(id);
    }

    @POST
    @Path("/{id}/rollback")
    public Response rollback(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.DEPLOY);
        return Response.status(202).entity(ployer.deployments().rollback(id)).build();
    }

    @CachedResponse(reads = {"deployments", "deployment_logs"})
    @GET
    @Path("/{id}/logs")
    public List<DeploymentLogLine> logs(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.deployments().logs(id);
    }

    private static DeploymentStatus status(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return DeploymentStatus.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw PloyerException.invalid("status", "must be one of " + java.util.Arrays.toString(DeploymentStatus.values()).toLowerCase(Locale.ROOT));
        }
    }
}
