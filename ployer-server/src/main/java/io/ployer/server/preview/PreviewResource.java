package io.ployer.server.preview;

import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.account.ApiKeyScope;
import io.ployer.api.application.EnvVar;
import io.ployer.api.preview.Preview;
import io.ployer.api.preview.PreviewSettings;
import io.ployer.api.preview.PreviewSettingsChange;
import io.ployer.server.auth.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Preview deployments of an application's pull requests: the running previews, the preview
 * settings and the preview env values (separate from the application's own, masked when listed).
 */
@Path("/applications/{id}/previews")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class PreviewResource {
    private final Ployer ployer;

    public PreviewResource(Ployer ployer) {
        this.ployer = ployer;
    }

    /**
     * @param enabled       whether pull request events deploy previews
     * @param domainPattern the preview host, with {@code {number}} and optionally {@code {domain}}
     * @param maxPreviews   previews running at once, 1–50
     * @param expireDays    days without pull request activity before a preview is removed, 1–365
     * @param allowForks    preview pull requests from forks (their code runs with the preview env values)
     * @param statusApiUrl  the forge API's base URL for commit statuses; empty to use the one the payload names
     */
    public record PreviewSettingsRequest(Boolean enabled, String domainPattern, Integer maxPreviews, Integer expireDays,
                                         Boolean allowForks, String statusApiUrl) {
    }

    /** @param value the value (secret); @param buildTime also a build argument */
    public record PreviewEnvRequest(String key, String value, Boolean buildTime) {
        @Override
        public String toString() {
            return "PreviewEnvRequest[key=" + key + ", value=" + EnvVar.MASK + ", buildTime=" + buildTime + "]";
        }
    }

    @GET
    public List<Preview> list(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.previews().list(id);
    }

    @DELETE
    @Path("/{number}")
    public Response delete(@Context HttpServletRequest request, @PathParam("id") String id, @PathParam("number") String number) {
        Caller.require(request, ApiKeyScope.DEPLOY);
        ployer.previews().delete(id, number(number));
        return Response.noContent().build();
    }

    @GET
    @Path("/settings")
    public PreviewSettings settings(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.previews().settings(id);
    }

    @PUT
    @Path("/settings")
    public PreviewSettings updateSettings(@Context HttpServletRequest request, @PathParam("id") String id, PreviewSettingsRequest body) {
        Caller.require(request, ApiKeyScope.WRITE);
        // a missing body is refused by the service, after it checked the caller's role
        return ployer.previews().updateSettings(id, body == null ? null : new PreviewSettingsChange(body.enabled(), body.domainPattern(), body.maxPreviews(),
                body.expireDays(), body.allowForks(), body.statusApiUrl()));
    }

    @GET
    @Path("/envs")
    public List<EnvVar> envs(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.previews().envVars(id);
    }

    @PUT
    @Path("/envs/{key}")
    public EnvVar setEnv(@Context HttpServletRequest request, @PathParam("id") String id, @PathParam("key") String key,
                         PreviewEnvRequest body) {
        Caller.require(request, ApiKeyScope.WRITE);
        if (body != null && body.key() != null && !body.key().equals(key)) {
            throw PloyerException.invalid("key", "must match the key in the path (or be left out)");
        }
        return ployer.previews().setEnvVar(id, key, body == null ? null : body.value(), body != null && Boolean.TRUE.equals(body.buildTime()));
    }

    @DELETE
    @Path("/envs/{key}")
    public Response deleteEnv(@Context HttpServletRequest request, @PathParam("id") String id, @PathParam("key") String key) {
        Caller.require(request, ApiKeyScope.WRITE);
        ployer.previews().deleteEnvVar(id, key);
        return Response.noContent().build();
    }

    /** Not a number: 0, which the service refuses (naming {@code number}) after it checked the caller's role. */
    private static int number(String number) {
        return number != null && number.matches("[1-9][0-9]{0,8}") ? Integer.parseInt(number) : 0;
    }
}
