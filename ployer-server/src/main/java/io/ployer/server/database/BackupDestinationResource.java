package io.ployer.server.database;

import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.account.ApiKeyScope;
import io.ployer.api.database.BackupDestination;
import io.ployer.api.database.BackupDestinationSpec;
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
import java.util.Locale;

/** Where database backups go (admin only): a local directory or an S3-compatible bucket; the secret key is never returned. */
@Path("/backup-destinations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class BackupDestinationResource {
    private final Ployer ployer;

    public BackupDestinationResource(Ployer ployer) {
        this.ployer = ployer;
    }

    /**
     * @param name       name
     * @param kind       local or s3
     * @param path       directory (local) or key prefix (s3)
     * @param endpoint   S3 endpoint URL (absent for AWS)
     * @param bucket     bucket
     * @param region     region
     * @param pathStyle  path-style addressing
     * @param accessKey  access key id
     * @param secretKey  secret key (stored encrypted, never returned)
     */
    public record DestinationRequest(String name, String kind, String path, String endpoint, String bucket, String region,
                                     Boolean pathStyle, String accessKey, String secretKey) {
        @Override
        public String toString() {
            return "DestinationRequest[name=" + name + ", kind=" + kind + "]";
        }
    }

    @GET
    public List<BackupDestination> list(@Context HttpServletRequest request) {
        Caller.requireAdmin(request);
        return ployer.databases().destinations();
    }

    @POST
    public Response create(@Context HttpServletRequest request, DestinationRequest body) {
        Caller.requireAdmin(request);
        if (body == null || body.kind() == null) {
            throw PloyerException.invalid("kind", "kind is required: local or s3");
        }
        BackupDestination.Kind kind;
        try {
            kind = BackupDestination.Kind.valueOf(body.kind().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw PloyerException.invalid("kind", "the kind must be local or s3");
        }
        BackupDestination created = ployer.databases().createDestination(new BackupDestinationSpec(body.name(), kind, body.path(),
                body.endpoint(), body.bucket(), body.region(), body.pathStyle(), body.accessKey(), body.secretKey()));
        return Response.status(201).entity(created).build();
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.requireAdmin(request);
        ployer.databases().deleteDestination(id);
        return Response.noContent().build();
    }
}
