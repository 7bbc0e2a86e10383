package io.ployer.server.wiring;

import io.ployer.api.Ployer;
import io.ployer.server.http.EmptyBodyFilter;
import io.ployer.server.http.ErrorMapper;
import io.ployer.server.http.JsonBodyProvider;
import io.ployer.server.http.JsonMapper;
import io.ployer.server.http.OpenApiDocument;
import io.ployer.server.http.OpenApiResource;
import io.ployer.server.application.ApplicationResource;
import io.ployer.server.auth.AuthResource;
import io.ployer.server.auth.AuthenticationFilter;
import io.ployer.server.container.ContainerResource;
import io.ployer.server.deployment.DeploymentResource;
import io.ployer.server.server.ServerResource;
import io.ployer.server.system.SystemProbe;
import io.ployer.server.system.SystemResource;
import io.ployer.server.webhook.WebhookReceiverResource;
import jakarta.ws.rs.core.Application;
import java.util.Set;

/** The REST resources and providers of one server, bound to one engine. */
public final class PloyerRestApplication extends Application {
    private final Set<Object> singletons;

    public PloyerRestApplication(Ployer engine, String version) {
        // Resources see the engine as the request's caller does (permissions are the engine's answers).
        Ployer ployer = new io.ployer.server.auth.CallerScopedPloyer(engine);
        Set<Object> resources = Set.of(
                new JsonBodyProvider(),
                new EmptyBodyFilter(),
                new ErrorMapper(),
                new AuthenticationFilter(engine.accounts()),
                new AuthResource(engine.accounts()),
                new ApplicationResource(ployer),
                new io.ployer.server.application.ApplicationVolumeResource(ployer),
                new io.ployer.server.preview.PreviewResource(ployer),
                new io.ployer.server.application.OrphanedVolumeResource(ployer),
                new io.ployer.server.database.DatabaseResource(ployer),
                new io.ployer.server.database.BackupDestinationResource(ployer),
                new io.ployer.server.database.ApplicationLinkResource(ployer),
                new io.ployer.server.template.TemplateResource(ployer),
                new io.ployer.server.database.PlatformBackupResource(ployer),
                new io.ployer.server.registry.RegistryResource(ployer),
                new io.ployer.server.registry.PushTargetResource(ployer),
                new io.ployer.server.application.ApplicationFileResource(ployer),
                new DeploymentResource(ployer),
                new ContainerResource(ployer),
                new ServerResource(ployer),
                new io.ployer.server.plugin.PluginResource(engine),
                new io.ployer.server.notification.NotificationResource(engine),
                new WebhookReceiverResource(engine),
                new io.ployer.server.project.ProjectResource(ployer),
                new io.ployer.server.audit.AuditFilter(engine, JsonMapper.create()),
                new io.ployer.server.audit.AuditResource(ployer, JsonMapper.create()),
                new SystemResource(new SystemProbe(engine, version)));
        java.util.Set<Object> all = new java.util.HashSet<>(resources);
        all.add(new OpenApiResource(OpenApiDocument.describe(resources, version)));
        this.singletons = Set.copyOf(all);
    }

    /** The resources and providers, as {@link #getSingletons()} hands them to RESTEasy. */
    public Set<Object> resources() {
        return singletons;
    }

    /** JAX-RS deprecates singletons in favour of CDI, which this server does not run; RESTEasy serves them. */
    @Override
    @SuppressWarnings("deprecation")
    public Set<Object> getSingletons() {
        return singletons;
    }
}
