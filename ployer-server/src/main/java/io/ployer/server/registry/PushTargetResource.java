package io.ployer.server.registry;

import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.account.ApiKeyScope;
import io.ployer.api.registry.PushTarget;
import io.ployer.server.auth.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Build-then-push: the registry (and repository in it) an application's built images are pushed to
 * after a successful build, with that registry's credentials.
 */
@Path("/applications/{id}/push-target")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class PushTargetResource {
    private final Ployer ployer;

    public PushTargetResource(Ployer ployer) {
        this.ployer = ployer;
    }

    /**
     * @param registryId a registry's id (GET /registries)
     * @param repository the repository in it, such as {@code team/app}
     */
    public record PushTargetRequest(String registryId, String repository) {
    }

    @GET
    public PushTarget get(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.registries().pushTarget(id).orElseThrow(() -> PloyerException.notFound("push target of application", id));
    }

    @PUT
    public PushTarget set(@Context HttpServletRequest request, @PathParam("id") String id, PushTargetRequest body) {
        Caller.require(request, ApiKeyScope.WRITE);
        if (body == null) {
            throw PloyerException.invalid("body", "is required");
        }
        return ployer.registries().setPushTarget(id, body.registryId(), body.repository());
    }

    @DELETE
    public Response clear(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.WRITE);
        ployer.registries().clearPushTarget(id);
        return Response.noContent().build();
    }
}
