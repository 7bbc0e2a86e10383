package io.ployer.api;

import io.ployer.api.account.AccountService;
import io.ployer.api.application.ApplicationService;
import io.ployer.api.container.ContainerService;
import io.ployer.api.deployment.DeploymentService;
import io.ployer.api.event.EventService;
import io.ployer.api.health.HealthService;
import io.ployer.api.server.ServerService;
import io.ployer.api.webhook.WebhookService;
import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * An embedded Ployer engine: deploys applications from git to containers behind a reverse proxy.
 *
 * <pre>{@code
 * try (Ployer ployer = Ployer.builder().dataDirectory(Path.of("data")).build()) {
 *     ployer.start();
 *     Application app = ployer.applications().create(
 *             ApplicationSpec.named("hello").withGit("https://example.com/hello.git", "main"));
 *     Deployment deployment = ployer.deployments().deploy(DeploymentRequest.of(app.id()));
 * }
 * }</pre>
 *
 * <p>Two instances in one JVM share nothing. Services may be called only between
 * {@link #start()} and {@link #close()}.
 */
public interface Ployer extends AutoCloseable {

    /** A new builder, from the engine found on the class path. */
    static PloyerBuilder builder() {
        return builder(Ployer.class.getClassLoader());
    }

    /** A new builder, from the engine visible to {@code loader}. */
    static PloyerBuilder builder(ClassLoader loader) {
        Iterator<PloyerBuilderProvider> providers = ServiceLoader.load(PloyerBuilderProvider.class, loader).iterator();
        if (!providers.hasNext()) {
            throw new PloyerException(StandardErrorCode.CONFIGURATION,
                    "no Ployer engine on the class path: add the io.ployer:ployer-engine dependency");
        }
        return providers.next().newBuilder();
    }

    /**
     * Starts the engine: opens storage (migrating it), checks the secret keys, creates the chosen
     * plugins and reconciles containers and routes with storage. Fails, leaving nothing open, when
     * storage holds encrypted values that the configured keys cannot read.
     */
    void start();

    /** Whether {@link #start()} succeeded and {@link #close()} has not been called. */
    boolean isRunning();

    ApplicationService applications();

    /** Persistent volumes of applications. */
    io.ployer.api.application.VolumeService volumes();

    /** Configuration files of applications. */
    default io.ployer.api.application.ConfigFileService files() {
        throw new UnsupportedOperationException("this engine keeps no configuration files");
    }

    /** Image registries and their credentials. */
    default io.ployer.api.registry.RegistryService registries() {
        throw new UnsupportedOperationException("this engine keeps no registries");
    }

    DeploymentService deployments();

    HealthService health();

    WebhookService webhooks();

    ServerService servers();

    /** The host's containers, networks and volumes, through the configured container runtime. */
    ContainerService containers();

    /** Users, sessions and API keys (used by the reference server; embedders may use them too). */
    AccountService accounts();

    EventService events();

    /**
     * Notification channels and deliveries. A default so other implementations keep compiling;
     * the engine provides it.
     */
    default io.ployer.api.notification.NotificationService notifications() {
        throw new UnsupportedOperationException("notifications");
    }

    /**
     * Preview deployments of pull requests, their settings and env values. A default so other
     * implementations keep compiling; the engine provides it.
     */
    default io.ployer.api.preview.PreviewService previews() {
        throw new UnsupportedOperationException("previews");
    }

    /**
     * Projects, their members and invitations. A default so that other implementations still
     * compile; the engine implements it.
     */
    default io.ployer.api.access.ProjectService projects() {
        throw new UnsupportedOperationException("this Ployer does not keep projects");
    }

    /** The audit log. A default so that other implementations still compile; the engine implements it. */
    default io.ployer.api.audit.AuditService audit() {
        throw new UnsupportedOperationException("this Ployer keeps no audit log");
    }

    /**
     * This engine as seen by {@code principal}: every service of the view checks the principal's
     * instance role and project roles before it reads or writes, lists hold only what the principal
     * may see, and what it may not see is NOT_FOUND (PERMISSION_DENIED where it may see but not do).
     * The instance itself (this object) acts for the system and may do everything. The view shares
     * the engine's lifecycle; closing it does nothing.
     */
    default Ployer as(io.ployer.api.account.AccountService.Principal principal) {
        throw new UnsupportedOperationException("this Ployer does not check permissions");
    }

    /**
     * Like {@link #as(io.ployer.api.account.AccountService.Principal)}, for a principal calling from
     * {@code clientAddress}: the view's writes are recorded in the audit log with that address.
     */
    default Ployer as(io.ployer.api.account.AccountService.Principal principal, String clientAddress) {
        return as(principal);
    }

    /** Administrative operations: key rotation, backup. */
    Administration administration();

    /**
     * Databases, their backups and links. A default so embedders' own implementations still compile;
     * the engine serves it when it has a container runtime (unless {@code databases.enabled=false}).
     */
    default io.ployer.api.database.DatabaseService databases() {
        throw new PloyerException(StandardErrorCode.INVALID_STATE, "databases are not enabled on this Ployer");
    }

    /** One-click services: templates instantiated into applications and databases. */
    default io.ployer.api.template.TemplateService templates() {
        throw new PloyerException(StandardErrorCode.INVALID_STATE, "service templates are not available on this Ployer");
    }

    /** Stops accepting work, lets running steps finish or cancel, closes plugins. Idempotent. */
    @Override
    void close();
}
