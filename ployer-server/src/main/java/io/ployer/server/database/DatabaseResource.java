package io.ployer.server.database;

import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.account.ApiKeyScope;
import io.ployer.api.application.ResourceLimits;
import io.ployer.api.database.Backup;
import io.ployer.api.database.BackupPolicy;
import io.ployer.api.database.Database;
import io.ployer.api.database.DatabaseEngine;
import io.ployer.api.database.DatabaseHealth;
import io.ployer.api.database.DatabaseSpec;
import io.ployer.server.auth.Caller;
import io.ployer.server.http.QueryParameters;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One-click databases: create from an engine and version, start, stop, restart, delete (the data
 * volume stays unless {@code delete_volume=true}), logs, health, backups, restore and verify.
 * Instance admins only (databases are not in projects yet), checked before the body is read. Served when {@code databases.enabled} is on (409 otherwise).
 */
@Path("/databases")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class DatabaseResource {
    private final Ployer ployer;

    public DatabaseResource(Ployer ployer) {
        this.ployer = ployer;
    }

    /**
     * @param name         {@code [a-z0-9][a-z0-9-]*}, also its host name for linked applications
     * @param engine       postgresql, mysql, mariadb, redis or mongodb
     * @param version      the image tag (default per engine)
     * @param image        image without tag (admin only; default: the configured one)
     * @param publicPort   also publish it on the server's loopback interface
     * @param memoryBytes  memory limit
     * @param cpus         CPU limit
     */
    public record DatabaseRequest(String name, String engine, String version, String image, Boolean publicPort, Long memoryBytes,
                                  Double cpus) {
    }

    /**
     * @param schedule       cron expression (five fields, UTC), or absent for on demand only
     * @param keep           successful backups to keep at the destination
     * @param destinationId  the destination
     */
    public record BackupPolicyRequest(String schedule, Integer keep, String destinationId) {
    }

    /** @param destinationId the destination, or absent for the one of the policy */
    public record BackupRequest(String destinationId) {
    }

    /** @param backupId the recorded backup (verify: absent for the latest successful one) */
    public record RestoreRequest(String backupId) {
    }

    @GET
    public List<Database> list(@Context HttpServletRequest request) {
        Caller.requireAdmin(request, ApiKeyScope.READ);
        return ployer.databases().list();
    }

    @POST
    public Response create(@Context HttpServletRequest request, DatabaseRequest body) {
        Caller.requireAdmin(request, ApiKeyScope.WRITE);
        if (body == null) {
            throw PloyerException.invalid("name", "a body with name and engine is required");
        }
        DatabaseEngine engine = engine(body.engine());
        ResourceLimits limits = body.memoryBytes() == null && body.cpus() == null ? null
                : new ResourceLimits(body.memoryBytes(), body.cpus());
        Database created = ployer.databases().create(new DatabaseSpec(body.name(), engine, body.version(), body.image(),
                body.publicPort(), limits));
        return Response.status(201).entity(created).build();
    }

    private static DatabaseEngine engine(String value) {
        if (value == null) {
            throw PloyerException.invalid("engine", "engine is required: postgresql, mysql, mariadb, redis or mongodb");
        }
        try {
            return DatabaseEngine.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw PloyerException.invalid("engine", "the engine must be postgresql, mysql, mariadb, redis or mongodb");
        }
    }

    @GET
    @Path("/{id}")
    public Database get(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.requireAdmin(request, ApiKeyScope.READ);
        return ployer.databases().get(id);
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@Context HttpServletRequest request, @PathParam("id") String id,
                           @QueryParam("delete_volume") @DefaultValue("false") String deleteVolume) {
        Caller.requireAdmin(request, ApiKeyScope.WRITE);
        ployer.databases().delete(id, QueryParameters.bool("delete_volume", deleteVolume));
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/start")
    public Database start(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.requireAdmin(request, ApiKeyScope.WRITE);
        return ployer.databases().start(id);
    }

    @POST
    @Path("/{id}/stop")
    public Database stop(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.requireAdmin(request, ApiKeyScope.WRITE);
        return ployer.databases().stop(id);
    }

    @POST
    @Path("/{id}/restart")
    public Database restart(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.requireAdmin(request, ApiKeyScope.WRITE);
        return ployer.databases().restart(id);
    }

    @GET
    @Path("/{id}/logs")
    public Map<String, List<String>> logs(@Context HttpServletRequest request, @PathParam("id") String id,
                                          @QueryParam("tail") @DefaultValue("100") String tail) {
        Caller.requireAdmin(request, ApiKeyScope.READ);
        return Map.of("lines", ployer.databases().logs(id, QueryParameters.integer("tail", tail, 1, 10_000)));
    }

    @GET
    @Path("/{id}/health")
    public DatabaseHealth health(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.requireAdmin(request, ApiKeyScope.READ);
        return ployer.databases().health(id);
    }

    @PUT
    @Path("/{id}/backup-policy")
    public Database setBackupPolicy(@Context HttpServletRequest request, @PathParam("id") String id, BackupPolicyRequest body) {
        Caller.requireAdmin(request, ApiKeyScope.WRITE);
        if (body == null || body.destinationId() == null) {
            throw PloyerException.invalid("destination_id", "destination_id is required");
        }
        return ployer.databases().setBackupPolicy(id, new BackupPolicy(body.schedule(), body.keep() == null ? 7 : body.keep(),
                body.destinationId()));
    }

    @DELETE
    @Path("/{id}/backup-policy")
    public Database removeBackupPolicy(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.requireAdmin(request, ApiKeyScope.WRITE);
        return ployer.databases().setBackupPolicy(id, null);
    }

    @POST
    @Path("/{id}/backups")
    public Response backup(@Context HttpServletRequest request, @PathParam("id") String id, BackupRequest body) {
        Caller.requireAdmin(request, ApiKeyScope.WRITE);
        Backup backup = ployer.databases().backup(id, body == null ? null : body.destinationId());
        return Response.status(201).entity(backup).build();
    }

    @GET
    @Path("/{id}/backups")
    public List<Backup> backups(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.requireAdmin(request, ApiKeyScope.READ);
        return ployer.databases().backups(id);
    }

    @POST
    @Path("/{id}/restore")
    public Response restore(@Context HttpServletRequest request, @PathParam("id") String id, RestoreRequest body) {
        Caller.requireAdmin(request, ApiKeyScope.WRITE);
        if (body == null || body.backupId() == null) {
            throw PloyerException.invalid("backup_id", "backup_id is required");
        }
        ployer.databases().restore(id, body.backupId());
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/verify")
    public DatabaseHealth verify(@Context HttpServletRequest request, @PathParam("id") String id, RestoreRequest body) {
        Caller.requireAdmin(request, ApiKeyScope.WRITE);
        return ployer.databases().verify(id, body == null ? null : body.backupId());
    }
}
