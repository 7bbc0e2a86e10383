package io.ployer.server.application;

import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.account.ApiKeyScope;
import io.ployer.api.application.ConfigFile;
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
 * Persistent configuration files of an application: stored encrypted, never answered (only path and
 * size), mounted read-only at their path into every container from the next deployment on.
 */
@Path("/applications/{id}/files")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class ApplicationFileResource {
    private final Ployer ployer;

    public ApplicationFileResource(Ployer ployer) {
        this.ployer = ployer;
    }

    /**
     * @param path    absolute path of the file in the container; an existing path is replaced
     * @param content the file's text (at most 512 KiB)
     */
    public record FileRequest(String path, String content) {
        @Override
        public String toString() {
            return "FileRequest[path=" + path + "]";
        }
    }

    @GET
    public List<ConfigFile> list(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.files().files(id);
    }

    @POST
    public Response put(@Context HttpServletRequest request, @PathParam("id") String id, FileRequest body) {
        Caller.require(request, ApiKeyScope.WRITE);
        if (body == null) {
            throw PloyerException.invalid("body", "is required");
        }
        return Response.status(201).entity(ployer.files().putFile(id, body.path(), body.content())).build();
    }

    @DELETE
    @Path("/{fileId}")
    public Response remove(@Context HttpServletRequest request, @PathParam("id") String id, @PathParam("fileId") String fileId) {
        Caller.require(request, ApiKeyScope.WRITE);
        ployer.files().removeFile(id, fileId);
        return Response.noContent().build();
    }
}
