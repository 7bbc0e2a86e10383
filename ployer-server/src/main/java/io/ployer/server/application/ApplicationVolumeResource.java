package io.ployer.server.application;

import io.ployer.api.Ployer;
import io.ployer.api.account.ApiKeyScope;
import io.ployer.api.application.Volume;
import io.ployer.api.application.VolumeSpec;
import io.ployer.server.auth.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Persistent volumes of an application. Named volumes need the write scope; a host bind mount
 * ({@code host_path}) needs an admin, and the path must lie under {@code volumes.bind-roots}.
 */
@Path("/applications/{id}/volumes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class ApplicationVolumeResource {
    private final Ployer ployer;

    public ApplicationVolumeResource(Ployer ployer) {
        this.ployer = ployer;
    }

    /**
     * @param name           {@code [a-z0-9][a-z0-9_.-]*}
     * @param hostPath       host directory to bind-mount (admin only), or absent for a named volume
     * @param containerPath  absolute path in the container
     * @param readOnly       mount read-only
     * @param exclusive      stop the old container before the new one starts on deploy
     */
    public record VolumeRequest(String name, String hostPath, String containerPath, Boolean readOnly, Boolean exclusive) {
    }

    @GET
    public List<Volume> list(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.volumes().volumes(id);
    }

    @POST
    public Response add(@Context HttpServletRequest request, @PathParam("id") String id, VolumeRequest body) {
        Caller.require(request, ApiKeyScope.WRITE);
        if (body != null && body.hostPath() != null) {
            Caller.requireAdmin(request);
        }
        VolumeSpec spec = body == null ? null
                : new VolumeSpec(body.name(), body.hostPath(), body.containerPath(), body.readOnly(), body.exclusive());
        return Response.status(201).entity(ployer.volumes().addVolume(id, spec)).build();
    }

    @DELETE
    @Path("/{volumeId}")
    public Response remove(@Context HttpServletRequest request, @PathParam("id") String id, @PathParam("volumeId") String volumeId) {
        Caller.require(request, ApiKeyScope.WRITE);
        ployer.volumes().removeVolume(id, volumeId);
        return Response.noContent().build();
    }
}
