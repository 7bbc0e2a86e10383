package io.ployer.engine.access;

import io.ployer.api.Administration;
import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.access.ProjectService;
import io.ployer.api.account.AccountService;
import io.ployer.api.account.AccountService.Principal;
import io.ployer.api.application.ApplicationService;
import io.ployer.api.application.VolumeService;
import io.ployer.api.container.ContainerService;
import io.ployer.api.deployment.DeploymentService;
import io.ployer.api.event.EventService;
import io.ployer.api.health.HealthService;
import io.ployer.api.server.ServerService;
import io.ployer.api.webhook.WebhookService;
import io.ployer.spi.storage.Storage;
import java.time.Clock;
import java.util.Objects;

/**
 * An engine as one principal sees it ({@link Ployer#as}): each service asks {@link Permissions}
 * before it reads or writes. Shares the engine's lifecycle: it cannot be started, and closing it
 * does nothing.
 */
public final class PrincipalView implements Ployer {
    private final Ployer engine;
    private final Storage storage;
    private final Clock clock;
    private final Permissions permissions;
    private final Principal principal;

    private final int auditRetentionDays;

    private final String clientAddress;
    private final AuditTrail audit;

    public PrincipalView(Ployer engine, Storage storage, Clock clock, int auditRetentionDays, Principal principal) {
        this(engine, storage, clock, auditRetentionDays, principal, null);
    }

    /** @param clientAddress where the principal calls from, recorded with its writes in the audit log ({@code null}: unknown) */
    public PrincipalView(Ployer engine, Storage storage, Clock clock, int auditRetentionDays, Principal principal,
                         String clientAddress) {
        this.clientAddress = clientAddress;
        this.audit = new AuditTrail(storage, clock);
        this.engine = engine;
        this.auditRetentionDays = auditRetentionDays;
        this.storage = storage;
        this.clock = clock;
        this.permissions = new Permissions(storage);
        this.principal = Objects.requireNonNull(principal, "principal");
    }

    /** Who this view acts for. */
    public Principal principal() {
        return principal;
    }

    @Override
    public void start() {
        throw new PloyerException(StandardErrorCode.INVALID_STATE, "a principal's view shares its engine's lifecycle: start the engine");
    }

    @Override
    public boolean isRunning() {
        return engine.isRunning();
    }

    @Override
    public ApplicationService applications() {
        return new GuardedApplicationService(engine.applications(), permissions, principal, audit, clientAddress);
    }

    @Override
    public VolumeService volumes() {
        return new GuardedVolumeService(engine.volumes(), permissions, principal, audit, clientAddress);
    }

    @Override
    public DeploymentService deployments() {
        return new GuardedDeploymentService(engine.deployments(), applications(), permissions, principal, audit, clientAddress);
    }

    @Override
    public HealthService health() {
        return new GuardedHealthService(engine.health(), permissions, principal, audit, clientAddress);
    }

    @Override
    public WebhookService webhooks() {
        return new GuardedWebhookService(engine.webhooks(), permissions, principal, audit, clientAddress);
    }

    @Override
    public io.ployer.api.preview.PreviewService previews() {
        return new GuardedPreviewService(engine.previews(), permissions, principal);
    }

    @Override
    public ServerService servers() {
        return Permissions.isInstanceAdmin(principal) ? AuditedInstanceServices.servers(engine.servers(), audit, principal, clientAddress)
                : new GuardedServerService(engine.servers(), principal);
    }

    @Override
    public ContainerService containers() {
        return Permissions.isInstanceAdmin(principal) ? AuditedInstanceServices.containers(engine.containers(), audit, principal, clientAddress)
                : new GuardedContainerService(engine.containers(), principal);
    }

    /** Accounts check their callers themselves (each method that needs one takes the principal). */
    @Override
    public AccountService accounts() {
        return engine.accounts();
    }

    @Override
    public EventService events() {
        return new GuardedEventService(engine.events(), permissions, principal);
    }

    @Override
    public ProjectService projects() {
        return new DefaultProjectService(storage, clock, permissions, principal, applications(), clientAddress);
    }

    @Override
    public io.ployer.api.audit.AuditService audit() {
        return new DefaultAuditService(storage, clock, auditRetentionDays, permissions, principal);
    }

    /** Instance admins only. */
    @Override
    public Administration administration() {
        Permissions.requireInstanceAdmin(principal);
        return engine.administration();
    }

    /**
     * Databases belong to projects like applications (viewers read, developers run and link them inside
     * the project, project admins delete); destinations, host interfaces and platform backups are for
     * instance admins.
     */
    @Override
    public io.ployer.api.database.DatabaseService databases() {
        return AuditedDatabases.databases(new GuardedDatabaseService(engine.databases(), permissions, principal), audit,
                principal, clientAddress);
    }

    /**
     * The engine's catalogue acting through this principal's services: creating in a project needs its
     * developer role there (checked first: 400 naming project_id for a project the caller cannot see).
     */
    @Override
    public io.ployer.api.template.TemplateService templates() {
        io.ployer.api.template.TemplateService base = engine.templates();
        if (!(base instanceof io.ployer.engine.template.DefaultTemplateService catalogue)) {
            return base;
        }
        io.ployer.api.database.DatabaseService databases;
        try {
            databases = databases();
        } catch (PloyerException unavailable) {
            databases = null;
        }
        return catalogue.actingThrough(applications(), databases, deployments(), volumes(), projectId -> {
            if (!permissions.maySee(principal, projectId)) {
                throw PloyerException.invalid("project_id", "must name an existing project");
            }
            permissions.require(principal, projectId, Action.WRITE, "project", projectId);
        });
    }

    /** An application's configuration files, as its settings: read to see them, write to change them. */
    @Override
    public io.ployer.api.application.ConfigFileService files() {
        return new GuardedConfigFileService(engine.files(), permissions, principal, audit, clientAddress);
    }

    /** Registries hold credentials and are instance-wide: instance admins only. */
    @Override
    public io.ployer.api.registry.RegistryService registries() {
        Permissions.requireInstanceAdmin(principal);
        return AuditedInstanceServices.registries(engine.registries(), audit, principal, clientAddress);
    }

    /** Notification channels are instance-wide: instance admins only. */
    @Override
    public io.ployer.api.notification.NotificationService notifications() {
        Permissions.requireInstanceAdmin(principal);
        return AuditedInstanceServices.notifications(engine.notifications(), audit, principal, clientAddress);
    }

    @Override
    public Ployer as(Principal other) {
        return engine.as(other);
    }

    @Override
    public Ployer as(Principal other, String otherClientAddress) {
        return engine.as(other, otherClientAddress);
    }

    @Override
    public void close() {
        // the engine's lifecycle, not the view's
    }
}
