package io.ployer.server.database;

import io.ployer.api.Ployer;
import io.ployer.api.account.ApiKeyScope;
import io.ployer.api.database.Backup;
import io.ployer.api.database.BackupPolicy;
import io.ployer.server.auth.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Platform backups: Ployer's own archive (its database, key file and manifest, as {@code ployer backup}
 * writes it) to the backup destinations, on a cron schedule or now. The archive holds the key that
 * decrypts every stored secret: instance admins only, checked before the body is read.
 */
@Path("/platform-backups")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class PlatformBackupResource {
    private final Ployer ployer;

    public PlatformBackupResource(Ployer ployer) {
        this.ployer = ployer;
    }

    @GET
    public List<Backup> list(@Context HttpServletRequest request) {
        Caller.requireAdmin(request, ApiKeyScope.READ);
        return ployer.databases().platformBackups();
    }

    /** Takes one now, to {@code destination_id} or the policy's; 201 with its record, whatever the outcome. */
    @POST
    public Response backup(@Context HttpServletRequest request, DatabaseResource.BackupRequest body) {
        Caller.requireAdmin(request, ApiKeyScope.WRITE);
        Backup backup = ployer.databases().platformBackup(body == null ? null : body.destinationId());
        return Response.status(201).entity(backup).build();
    }

    @GET
    @Path("/policy")
    public BackupPolicy policy(@Context HttpServletRequest request) {
        Caller.requireAdmin(request, ApiKeyScope.READ);
        return ployer.databases().platformBackupPolicy().orElseThrow(() -> new io.ployer.api.PloyerException(
                io.ployer.api.StandardErrorCode.NOT_FOUND, "no platform backup policy is set"));
    }

    @PUT
    @Path("/policy")
    public BackupPolicy setPolicy(@Context HttpServletRequest request, DatabaseResource.BackupPolicyRequest body) {
        Caller.requireAdmin(request, ApiKeyScope.WRITE);
        return ployer.databases().setPlatformBackupPolicy(new BackupPolicy(body == null ? null : body.schedule(),
                body == null || body.keep() == null ? 7 : body.keep(), body == null || body.destinationId() == null ? ""
                : body.destinationId()));
    }

    @DELETE
    @Path("/policy")
    public Response removePolicy(@Context HttpServletRequest request) {
        Caller.requireAdmin(request, ApiKeyScope.WRITE);
        ployer.databases().setPlatformBackupPolicy(null);
        return Response.noContent().build();
    }
}
