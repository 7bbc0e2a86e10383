package io.ployer.server.auth;

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
import jakarta.servlet.http.HttpServletRequest;
import org.jboss.resteasy.core.ResteasyContext;

/**
 * The engine as the caller of the request being served sees it: each service comes from
 * {@link Ployer#as} with the principal {@link AuthenticationFilter} authenticated, so the REST
 * resources get the engine's permission answers (404 for what the caller may not see, 403 for what
 * it may see but not do) without passing the principal themselves. A request without a principal
 * (login, webhook deliveries, public resources) gets the engine itself: every resource that needs
 * a caller asks {@link Caller#require} before it touches a service.
 */
public final class CallerScopedPloyer implements Ployer {
    private final Ployer engine;

    public CallerScopedPloyer(Ployer engine) {
        this.engine = engine;
    }

    private Ployer current() {
        HttpServletRequest request = ResteasyContext.getContextData(HttpServletRequest.class);
        Object principal = request == null ? null : request.getAttribute(Caller.PROPERTY);
        return principal instanceof Principal caller ? engine.as(caller, request.getRemoteAddr()) : engine;
    }

    @Override
    public Ployer as(Principal principal, String clientAddress) {
        return engine.as(principal, clientAddress);
    }

    @Override
    public void start() {
        throw new PloyerException(StandardErrorCode.INVALID_STATE, "the server starts its engine itself");
    }

    @Override
    public boolean isRunning() {
        return engine.isRunning();
    }

    @Override
    public ApplicationService applications() {
        return current().applications();
    }

    @Override
    public VolumeService volumes() {
        return current().volumes();
    }

    @Override
    public DeploymentService deployments() {
        return current().deployments();
    }

    @Override
    public HealthService health() {
        return current().health();
    }

    @Override
    public WebhookService webhooks() {
        return current().webhooks();
    }

    @Override
    public io.ployer.api.preview.PreviewService previews() {
        return current().previews();
    }

    @Override
    public ServerService servers() {
        return current().servers();
    }

    @Override
    public ContainerService containers() {
        return current().containers();
    }

    @Override
    public AccountService accounts() {
        return engine.accounts();
    }

    @Override
    public EventService events() {
        return current().events();
    }

    @Override
    public ProjectService projects() {
        return current().projects();
    }

    @Override
    public io.ployer.api.audit.AuditService audit() {
        return current().audit();
    }

    @Override
    public Administration administration() {
        return current().administration();
    }

    @Override
    public io.ployer.api.application.ConfigFileService files() {
        return current().files();
    }

    @Override
    public io.ployer.api.registry.RegistryService registries() {
        return current().registries();
    }

    @Override
    public io.ployer.api.database.DatabaseService databases() {
        return current().databases();
    }

    @Override
    public io.ployer.api.template.TemplateService templates() {
        return current().templates();
    }

    @Override
    public io.ployer.api.notification.NotificationService notifications() {
        return current().notifications();
    }

    @Override
    public Ployer as(Principal principal) {
        return engine.as(principal);
    }

    @Override
    public void close() {
        // the server closes its engine
    }
}
