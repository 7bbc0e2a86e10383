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
 * Databases belong to projects: the engine's view of the caller checks the caller's role in the
 * database's project before anything in the body is looked at (viewers read, developers run, back up and
 * restore, project admins delete; a host interface or an image of one's own is for instance admins).
 * Served when a container runtime is configured and {@code databases.enabled} is not false (409 otherwise).
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
     * @param publicPort   also publish it on a host interface (instance admins; default: not exposed)
     * @param publicHost   the host address to publish it on, an address of one of the server's interfaces
     *                     (instance admins; default: the runtime's publish host, loopback)
     * @param memoryBytes  memory limit
     * @param cpus         CPU limit
     * @param projectId    its project (default {@code default}); linked applications must be in it too
     */
    public record DatabaseRequest(String name, String engine, String version, String image, Boolean publicPort, Long memoryBytes,
                                  Double cpus, String projectId, String publicHost) {
    }

    /** @param version the new version (image tag) of the same major version */
    public record UpgradeRequest(String version) {
    }

    /**
     * A database with where it is published.
     *
     * @param database        the database
     * @param publicEndpoint  host address and port it answers on outside its network, or absent
     */
    public record DatabaseView(@com.fasterxml.jackson.annotation.JsonUnwrapped Database database,
                               io.ployer.api.container.Endpoint publicEndpoint) {
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

    /**
     * @param backupId the recorded backup
     * @param target   {@code same} (default): back into this database; {@code new}: into a new database
     * @param name     the new database's name (with {@code target=new})
     */
    public record RestoreRequest(String backupId, String target, String name) {
    }

    /** @param backupId the recorded backup, or absent for the latest successful one */
    public record VerifyRequest(String backupId) {
    }

    @GET
    public List<Database> list(@Context HttpServletRequest request) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.databases().list();
    }

    /** The body is checked by the engine after the caller's role in the project it names. */
    @POST
    public Response create(@Context HttpServletRequest request, DatabaseRequest body) {
        Caller.require(request, ApiKeyScope.WRITE);
        DatabaseRequest given = body == null ? new DatabaseRequest(null, null, null, null, null, null, null, null, null) : body;
        ResourceLimits limits = given.memoryBytes() == null && given.cpus() == null ? null
                : new ResourceLimits(given.memoryBytes(), given.cpus());
        Database created = ployer.databases().create(new DatabaseSpec(given.name(), engine(given.engine()), given.version(),
                given.image(), given.publicPort(), limits, given.projectId(), given.publicHost()));
        return Response.status(201).entity(created).build();
    }

    /** The engine, or null for a missing or unknown one (the engine names the field and the choices). */
    static DatabaseEngine engine(String value) {
        if (value == null) {
            return null;
        }
        try {
            return DatabaseEngine.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @GET
    @Path("/{id}")
    public DatabaseView get(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.READ);
        Database database = ployer.databases().get(id);
        io.ployer.api.container.Endpoint endpoint = null;
        if (database.publicPort()) {
            try {
                endpoint = ployer.databases().publicEndpoint(id).orElse(null);
            } catch (PloyerException unreachable) {
                endpoint = null; // the runtime does not answer: the database is still described
            }
        }
        return new DatabaseView(database, endpoint);
    }

    @POST
    @Path("/{id}/upgrade")
    public Database upgrade(@Context HttpServletRequest request, @PathParam("id") String id, UpgradeRequest body) {
        Caller.require(request, ApiKeyScope.WRITE);
        return ployer.databases().upgrade(id, body == null ? null : body.version());
    }

    @GET
    @Path("/{id}/stats")
    public io.ployer.api.container.ResourceSample stats(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.databases().stats(id);
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@Context HttpServletRequest request, @PathParam("id") String id,
                           @QueryParam("delete_volume") @DefaultValue("false") String deleteVolume) {
        Caller.require(request, ApiKeyScope.WRITE);
        ployer.databases().delete(id, QueryParameters.bool("delete_volume", deleteVolume));
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/start")
    public Database start(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.WRITE);
        return ployer.databases().start(id);
    }

    @POST
    @Path("/{id}/stop")
    public Database stop(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.WRITE);
        return ployer.databases().stop(id);
    }

    @POST
    @Path("/{id}/restart")
    public Database restart(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.WRITE);
        return ployer.databases().restart(id);
    }

    @GET
    @Path("/{id}/logs")
    public Map<String, List<String>> logs(@Context HttpServletRequest request, @PathParam("id") String id,
                                          @QueryParam("tail") @DefaultValue("100") String tail) {
        Caller.require(request, ApiKeyScope.READ);
        return Map.of("lines", ployer.databases().logs(id, QueryParameters.integer("tail", tail, 1, 10_000)));
    }

    @GET
    @Path("/{id}/health")
    public DatabaseHealth health(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.databases().health(id);
    }

    @PUT
    @Path("/{id}/backup-policy")
    public Database setBackupPolicy(@Context HttpServletRequest request, @PathParam("id") String id, BackupPolicyRequest body) {
        Caller.require(request, ApiKeyScope.WRITE);
        // An absent destination is "" here: the engine checks the caller's role first, then names destination_id.
        return ployer.databases().setBackupPolicy(id, new BackupPolicy(body == null ? null : body.schedule(),
                body == null || body.keep() == null ? 7 : body.keep(), body == null || body.destinationId() == null ? ""
                : body.destinationId()));
    }

    @DELETE
    @Path("/{id}/backup-policy")
    public Database removeBackupPolicy(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.WRITE);
        return ployer.databases().setBackupPolicy(id, null);
    }

    @POST
    @Path("/{id}/backups")
    public Response backup(@Context HttpServletRequest request, @PathParam("id") String id, BackupRequest body) {
        Caller.require(request, ApiKeyScope.WRITE);
        Backup backup = ployer.databases().backup(id, body == null ? null : body.destinationId());
        return Response.status(201).entity(backup).build();
    }

    @GET
    @Path("/{id}/backups")
    public List<Backup> backups(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.databases().backups(id);
    }

    @POST
    @Path("/{id}/restore")
    public Response restore(@Context HttpServletRequest request, @PathParam("id") String id, RestoreRequest body) {
        Caller.require(request, ApiKeyScope.WRITE);
        String backupId = body == null || body.backupId() == null ? "" : body.backupId();
        String target = body == null || body.target() == null ? "same" : body.target();
        if ("new".equals(target)) {
            Database created = ployer.databases().restoreIntoNew(id, backupId, body.name() == null ? "" : body.name());
            return Response.status(201).entity(created).build();
        }
        if (!"same".equals(target)) {
            ployer.databases().get(id); // an unknown or invisible database is a 404 before the body is judged
            throw PloyerException.invalid("target", "target must be same or new");
        }
        ployer.databases().restore(id, backupId);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/verify")
    public DatabaseHealth verify(@Context HttpServletRequest request, @PathParam("id") String id, VerifyRequest body) {
        Caller.require(request, ApiKeyScope.WRITE);
        return ployer.databases().verify(id, body == null ? null : body.backupId());
    }
}
