package io.ployer.engine;

import io.ployer.api.Administration;
import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.account.AccountService;
import io.ployer.api.application.ApplicationService;
import io.ployer.api.container.ContainerService;
import io.ployer.api.deployment.DeploymentService;
import io.ployer.api.event.EventService;
import io.ployer.api.health.HealthService;
import io.ployer.api.server.ServerService;
import io.ployer.api.webhook.WebhookService;
import io.ployer.engine.account.DefaultAccountService;
import io.ployer.engine.application.DefaultApplicationService;
import io.ployer.engine.container.DefaultContainerService;
import io.ployer.engine.deploy.DeploymentPipeline;
import io.ployer.engine.event.EventBus;
import io.ployer.engine.health.DefaultHealthService;
import io.ployer.engine.secret.SecretRedactor;
import io.ployer.engine.server.DefaultServerService;
import io.ployer.engine.webhook.DefaultWebhookService;
import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.storage.Storage;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@link Ployer}: chooses plugins at build time, opens and wires them at
 * {@link #start()}, closes them in reverse order at {@link #close()}. Holds no static state.
 */
final class PloyerEngine implements Ployer {
    private static final Logger LOG = LoggerFactory.getLogger(PloyerEngine.class);

    private final EngineConfig config;
    private final Clock clock;
    private final ThreadFactory threadFactory;
    /** The plugins chosen for each role when the engine was built. */
    private final PluginChoices choices;

    private final Object lifecycle = new Object();
    private final Deque<AutoCloseable> openResources = new ArrayDeque<>();
    private volatile State state = State.NEW;
    private volatile Services services;

    private enum State { NEW, STARTING, RUNNING, CLOSED }

    /** Everything that exists only while the engine runs (made by {@link EngineAssembly}). */
    record Services(Storage storage, EventBus events, SecretRedactor redactor,
                            DefaultApplicationService applications, DeploymentPipeline deployments,
                            DefaultHealthService health, DefaultWebhookService webhooks,
                            DefaultServerService servers, DefaultAccountService accounts,
                            DefaultContainerService containers, EngineAdministration administration,
                            io.ployer.engine.application.ApplicationVolumes volumes,
                            io.ployer.engine.notify.DefaultNotificationService notifications,
                            Optional<io.ployer.engine.database.DefaultDatabaseService> databases,
                            io.ployer.engine.registry.DefaultRegistryService registries,
                            io.ployer.engine.application.ApplicationFiles files,
                            io.ployer.engine.preview.DefaultPreviewService previews,
                            io.ployer.engine.template.TemplateCatalogue templates) {
    }

    PloyerEngine(EngineConfig config, List<PloyerPlugin> plugins, boolean discover, ClassLoader loader, Clock clock,
                 ThreadFactory threadFactory) {
        this.config = config;
        this.clock = clock;
        this.threadFactory = threadFactory;
        this.choices = new PluginChoices(config, plugins, discover, loader);
    }

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (state != State.NEW) {
                throw new PloyerException(StandardErrorCode.INVALID_STATE, "start() may be called once; the engine is " + state);
            }
            state = State.STARTING;
            try {
                services = new EngineAssembly(config, choices, clock, threadFactory, openResources).open();
                state = State.RUNNING;
                LOG.info("Ployer started: storage={}, runtime={}, proxy={}, data={}", choices.storage.factory().name(),
                        choices.runtime.map(choice -> choice.factory().name()).orElse("none"),
                        choices.proxy.map(choice -> choice.factory().name()).orElse("none"), config.dataDirectory());
            } catch (RuntimeException e) {
                closeResources();
                state = State.CLOSED;
                throw e;
            }
        }
    }

    /** The server's seam onto this running engine ({@link ServerSeamProvider#seamOf}). */
    io.ployer.seam.ServerSeam serverSeam() {
        Services current = services();
        return new EngineServerSeam(current.accounts(), current.storage());
    }

    private Services services() {
        Services current = services;
        if (state != State.RUNNING || current == null) {
            throw new PloyerException(StandardErrorCode.INVALID_STATE,
                    state == State.CLOSED ? "this Ployer engine is closed" : "call start() before using the engine");
        }
        return current;
    }

    @Override
    public boolean isRunning() {
        return state == State.RUNNING;
    }

    @Override
    public ApplicationService applications() {
        return services().applications();
    }

    @Override
    public DeploymentService deployments() {
        return services().deployments();
    }

    @Override
    public HealthService health() {
        return services().health();
    }

    @Override
    public WebhookService webhooks() {
        return services().webhooks();
    }

    @Override
    public ServerService servers() {
        return services().servers();
    }

    @Override
    public EventService events() {
        return services().events();
    }

    @Override
    public io.ployer.api.notification.NotificationService notifications() {
        return services().notifications();
    }

    @Override
    public io.ployer.api.application.ConfigFileService files() {
        return services().files();
    }

    @Override
    public io.ployer.api.registry.RegistryService registries() {
        return services().registries();
    }

    @Override
    public io.ployer.api.application.VolumeService volumes() {
        return services().volumes();
    }

    @Override
    public io.ployer.api.database.DatabaseService databases() {
        return services().databases().orElseThrow(() -> new PloyerException(StandardErrorCode.INVALID_STATE,
                "databases are not available on this Ployer: they need a container runtime (and databases.enabled not set to false)"));
    }

    /** The catalogue acting through the engine's own services (no permission checks: an embedder's, or a principal view's base). */
    @Override
    public io.ployer.api.template.TemplateService templates() {
        Services current = services();
        return new io.ployer.engine.template.DefaultTemplateService(current.templates(), current.applications(),
                current.databases().orElse(null), current.deployments(), current.volumes(), projectId -> { });
    }

    @Override
    public io.ployer.api.preview.PreviewService previews() {
        return services().previews();
    }

    @Override
    public ContainerService containers() {
        return services().containers();
    }

    @Override
    public AccountService accounts() {
        Services current = services();
        return new io.ployer.engine.access.AuditedAccountService(current.accounts(),
                new io.ployer.engine.access.AuditTrail(current.storage(), clock));
    }

    @Override
    public Administration administration() {
        return services().administration();
    }

    @Override
    public io.ployer.api.access.ProjectService projects() {
        Services current = services();
        return new io.ployer.engine.access.DefaultProjectService(current.storage(), clock,
                new io.ployer.engine.access.Permissions(current.storage()), null, current.applications());
    }

    @Override
    public Ployer as(io.ployer.api.account.AccountService.Principal principal) {
        return as(principal, null);
    }

    @Override
    public Ployer as(io.ployer.api.account.AccountService.Principal principal, String clientAddress) {
        return new io.ployer.engine.access.PrincipalView(this, services().storage(), clock, config.auditRetentionDays(), principal,
                clientAddress);
    }

    @Override
    public io.ployer.api.audit.AuditService audit() {
        Services current = services();
        return new io.ployer.engine.access.DefaultAuditService(current.storage(), clock, config.auditRetentionDays(),
                new io.ployer.engine.access.Permissions(current.storage()), null);
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            closeResources();
            services = null;
        }
    }

    private void closeResources() {
        while (!openResources.isEmpty()) {
            AutoCloseable resource = openResources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", resource.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
