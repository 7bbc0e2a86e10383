package io.ployer.server.template;

import io.ployer.api.Ployer;
import io.ployer.api.account.ApiKeyScope;
import io.ployer.api.template.ServiceTemplate;
import io.ployer.api.template.TemplateInstance;
import io.ployer.api.template.TemplateRequest;
import io.ployer.server.auth.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
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
 * One-click services: the catalogue of templates (Compose files with Ployer's extensions, shipped as
 * data) and their instantiation into databases and applications of a project, with generated secrets.
 * Instantiating needs the developer role in the project the body names, checked before the rest of it.
 */
@Path("/templates")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class TemplateResource {
    private final Ployer ployer;

    public TemplateResource(Ployer ployer) {
        this.ployer = ployer;
    }

    /**
     * @param name       prefix of what is created: service {@code web} of instance {@code blog} becomes {@code blog-web}
     * @param projectId  the project (default {@code default})
     */
    public record InstantiateRequest(String name, String projectId) {
    }

    @GET
    public List<ServiceTemplate> list(@Context HttpServletRequest request) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.templates().list();
    }

    @POST
    @Path("/{name}/instantiate")
    public Response instantiate(@Context HttpServletRequest request, @PathParam("name") String name, InstantiateRequest body) {
        Caller.require(request, ApiKeyScope.WRITE);
        TemplateInstance instance = ployer.templates().instantiate(name, new TemplateRequest(body == null ? null : body.name(),
                body == null ? null : body.projectId()));
        return Response.status(201).entity(instance).build();
    }
}
