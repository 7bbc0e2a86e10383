package io.ployer.server.database;

import io.ployer.api.Ployer;
import io.ployer.api.account.ApiKeyScope;
import io.ployer.api.database.DatabaseLink;
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
 * Links of an application to databases: at its next deploy its container joins each database's
 * network and gets {@code <PREFIX>_URL}, {@code _HOST}, {@code _PORT}, {@code _USER},
 * {@code _PASSWORD} and {@code _NAME}. Listings show the password masked.
 */
@Path("/applications/{id}/links")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class ApplicationLinkResource {
    private final Ployer ployer;

    public ApplicationLinkResource(Ployer ployer) {
        this.ployer = ployer;
    }

    /**
     * @param databaseId  the database
     * @param envPrefix   prefix of the variables (default {@code DATABASE})
     */
    public record LinkRequest(String databaseId, String envPrefix) {
    }

    @GET
    public List<DatabaseLink> list(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.databases().links(id);
    }

    @POST
    public Response link(@Context HttpServletRequest request, @PathParam("id") String id, LinkRequest body) {
        Caller.require(request, ApiKeyScope.WRITE);
        DatabaseLink link = ployer.databases().link(id, body == null ? null : body.databaseId(), body == null ? null : body.envPrefix());
        return Response.status(201).entity(link).build();
    }

    @DELETE
    @Path("/{databaseId}")
    public Response unlink(@Context HttpServletRequest request, @PathParam("id") String id,
                           @PathParam("databaseId") String databaseId) {
        Caller.require(request, ApiKeyScope.WRITE);
        ployer.databases().unlink(id, databaseId);
        return Response.noContent().build();
    }
}
