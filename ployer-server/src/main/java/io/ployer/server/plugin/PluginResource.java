package io.ployer.server.plugin;

import io.ployer.api.Administration.PluginDescription;
import io.ployer.api.Administration.PluginProblem;
import io.ployer.api.Ployer;
import io.ployer.api.account.ApiKeyScope;
import io.ployer.server.auth.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The plugins this server discovered (class path and plugins folder), which are active, and what failed to load (admins). */
@Path("/plugins")
@Produces(MediaType.APPLICATION_JSON)
public final class PluginResource {
    private final Ployer ployer;

    public PluginResource(Ployer ployer) {
        this.ployer = ployer;
    }

    /**
     * @param plugins  every discovered plugin factory: role, name, providing class, version, where it came from, whether active
     * @param problems plugins-folder entries that could not be loaded, each with its reason
     */
    public record Plugins(List<PluginDescription> plugins, List<PluginProblem> problems) {
    }

    @GET
    public Plugins list(@Context HttpServletRequest request) {
        Caller.requireAdmin(request, ApiKeyScope.READ);
        return new Plugins(ployer.administration().plugins(), ployer.administration().pluginProblems());
    }
}
