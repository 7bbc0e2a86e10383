package io.ployer.server.registry;

import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.account.ApiKeyScope;
import io.ployer.api.registry.Registry;
import io.ployer.api.registry.RegistrySpec;
import io.ployer.server.auth.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Image registries and their credentials, admins only. The password is accepted, stored encrypted and
 * never shown ({@code has_password} says whether one is set); image deployments pulling from the
 * registry, and built images pushed to it, use these credentials.
 */
@Path("/registries")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class RegistryResource {
    private final Ployer ployer;

    public RegistryResource(Ployer ployer) {
        this.ployer = ployer;
    }

    /**
     * @param url      registry host and optional port ({@code registry.example.com:5000})
     * @param username user name; on change an empty one removes it
     * @param password password or token; on change absent keeps it, empty removes it
     */
    public record RegistryRequest(String url, String username, String password) {
        RegistrySpec toSpec() {
            return new RegistrySpec(url, username, password);
        }

        @Override
        public String toString() {
            return "RegistryRequest[url=" + url + ", username=" + username + "]";
        }
    }

    @GET
    public List<Registry> list(@Context HttpServletRequest request) {
        Caller.requireAdmin(request, ApiKeyScope.READ);
        return ployer.registries().list();
    }

    @POST
    public Response create(@Context HttpServletRequest request, RegistryRequest body) {
        Caller.requireAdmin(request, ApiKeyScope.WRITE);
        if (body == null) {
            throw PloyerException.invalid("body", "is required");
        }
        return Response.status(201).entity(ployer.registries().create(body.toSpec())).build();
    }

    @GET
    @Path("/{id}")
    public Registry get(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.requireAdmin(request, ApiKeyScope.READ);
        return ployer.registries().get(id);
    }

    @PUT
    @Path("/{id}")
    public Registry update(@Context HttpServletRequest request, @PathParam("id") String id, RegistryRequest body) {
        Caller.requireAdmin(request, ApiKeyScope.WRITE);
        if (body == null) {
            throw PloyerException.invalid("body", "is required");
        }
        return ployer.registries().update(id, body.toSpec());
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.requireAdmin(request, ApiKeyScope.WRITE);
        ployer.registries().delete(id);
        return Response.noContent().build();
    }
}
