package io.ployer.server.application;

import io.ployer.api.Ployer;
import io.ployer.api.application.OrphanedVolume;
import io.ployer.server.auth.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Named volumes whose application is gone or no longer lists them (admin); remove them with DELETE /volumes/{name}. */
@Path("/volumes/orphaned")
@Produces(MediaType.APPLICATION_JSON)
public final class OrphanedVolumeResource {
    private final Ployer ployer;

    public OrphanedVolumeResource(Ployer ployer) {
        this.ployer = ployer;
    }

    @GET
    public List<OrphanedVolume> orphaned(@Context HttpServletRequest request) {
        Caller.requireAdmin(request);
        return ployer.volumes().orphaned();
    }
}
