package io.ployer.server.application;

import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.application.Application;
import io.ployer.api.application.DeployKey;
import io.ployer.api.application.Domain;
import io.ployer.api.application.EnvVar;
import io.ployer.api.application.KeyAlgorithm;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.deployment.DeploymentTrigger;
import io.ployer.api.health.ContainerStats;
import io.ployer.api.health.HealthCheck;
import io.ployer.api.health.HealthCheckResult;
import io.ployer.api.webhook.Webhook;
import io.ployer.api.webhook.WebhookDelivery;
import io.ployer.server.auth.Caller;
import io.ployer.server.http.CachedResponse;
import io.ployer.server.http.Paging;
import io.ployer.server.http.QueryParameters;
import io.ployer.api.account.ApiKeyScope;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;


/** Applications and what they own: env vars, deploy key, domains, webhook, health check, stats, deploy. */
@Path("/applications")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class ApplicationResource {
    private final Ployer ployer;

    public ApplicationResource(Ployer ployer) {
        this.ployer = ployer;
    }

    @CachedResponse(reads = "applications")
    @GET
    public List<Application> list(@Context HttpServletRequest request, @Context HttpServletResponse response,
                                  @QueryParam("offset") String offset, @QueryParam("limit") String limit) {
        Caller.require(request, ApiKeyScope.READ);
        Paging.Window window = Paging.Window.of(offset, limit);
        long total = ployer.applications().count();
        return Paging.answer(request, response, window, total, ployer.applications().list(window.offset(), window.limit()));
    }

    @POST
    public Response create(@Context HttpServletRequest request, ApplicationRequest body) {
        Caller.require(request, ApiKeyScope.WRITE);
        requireBody(body);
        return Response.status(201).entity(ployer.applications().create(body.toSpec())).build();
    }

    @CachedResponse(reads = "applications")
    @GET
    @Path("/{id}")
    public Application get(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.applications().get(id);
    }

    @PUT
    @Path("/{id}")
    public Application update(@Context HttpServletRequest request, @PathParam("id") String id, ApplicationRequest body) {
        Caller.require(request, ApiKeyScope.WRITE);
        requireBody(body);
        return ployer.applications().update(id, body.toSpec());
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@Context HttpServletRequest request, @PathParam("id") String id,
                           @QueryParam("delete_volumes") @DefaultValue("false") String deleteVolumes) {
        Caller.require(request, ApiKeyScope.WRITE);
        ployer.volumes().deleteApplication(id, QueryParameters.bool("delete_volumes", deleteVolumes));
        return Response.noContent().build();
    }

    // --- env vars ---

    /**
     * @param key       variable name
     * @param value     value
     * @param buildTime also passed to the build
     */
    public record EnvVarRequest(String key, String value, Boolean buildTime) {
    }

    @GET
    @Path("/{id}/envs")
    public List<EnvVar> envs(@Context HttpServletRequest request, @PathParam("id") String id,
                             @QueryParam("reveal") @DefaultValue("false") String reveal) {
        Caller.require(request, ApiKeyScope.READ);
        if (QueryParameters.bool("reveal", reveal)) {
            Caller.requireSecretReveal(request);
            return ployer.applications().revealEnvVars(id);
        }
        return ployer.applications().envVars(id);
    }

    @POST
    @Path("/{id}/envs")
    public Response addEnv(@Context HttpServletRequest request, @PathParam("id") String id, EnvVarRequest body) {
        Caller.require(request, ApiKeyScope.WRITE);
        requireBody(body);
        EnvVar envVar = ployer.applications().setEnvVar(id, body.key(), body.value(), Boolean.TRUE.equals(body.buildTime()));
        return Response.status(201).entity(envVar).build();
    }

    @PUT
    @Path("/{id}/envs/{key}")
    public EnvVar updateEnv(@Context HttpServletRequest request, @PathParam("id") String id,
                            @PathParam("key") String key, EnvVarRequest body) {
        Caller.require(request, ApiKeyScope.WRITE);
        requireBody(body);
        if (body.key() != null && !body.key().equals(key)) {
            throw PloyerException.invalid("key", "must match the key in the path (or be left out)");
        }
        return ployer.applications().setEnvVar(id, key, body.value(), Boolean.TRUE.equals(body.buildTime()));
    }

    @DELETE
    @Path("/{id}/envs/{key}")
    public Response deleteEnv(@Context HttpServletRequest request, @PathParam("id") String id, @PathParam("key") String key) {
        Caller.require(request, ApiKeyScope.WRITE);
        ployer.applications().deleteEnvVar(id, key);
        return Response.noContent().build();
    }

    // --- https token ---

    /** @param token a personal access or deploy token for the https repository */
    public record GitTokenRequest(String token) {
        @Override
        public String toString() {
            return "GitTokenRequest[token=********]";
        }
    }

    @PUT
    @Path("/{id}/git-token")
    public Response setGitToken(@Context HttpServletRequest request, @PathParam("id") String id, GitTokenRequest body) {
        Caller.require(request, ApiKeyScope.WRITE);
        ployer.applications().setGitToken(id, body == null ? null : body.token());
        return Response.noContent().build();
    }

    @DELETE
    @Path("/{id}/git-token")
    public Response clearGitToken(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.WRITE);
        ployer.applications().clearGitToken(id);
        return Response.noContent().build();
    }

    // --- deploy key ---

    /** @param algorithm {@code ed25519} (default) or {@code rsa_4096} */
    public record DeployKeyRequest(KeyAlgorithm algorithm) {
    }

    @GET
    @Path("/{id}/deploy-key")
    public DeployKey deployKey(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.applications().deployKey(id);
    }

    @POST
    @Path("/{id}/deploy-key")
    public DeployKey regenerateDeployKey(@Context HttpServletRequest request, @PathParam("id") String id,
                                        DeployKeyRequest body) {
        Caller.require(request, ApiKeyScope.WRITE);
        return ployer.applications().regenerateDeployKey(id, body == null ? null : body.algorithm());
    }

    // --- deploy ---

    /** @param commitSha a commit to deploy instead of the branch head */
    public record DeployRequest(String commitSha) {
    }

    @POST
    @Path("/{id}/deploy")
    public Response deploy(@Context HttpServletRequest request, @PathParam("id") String id, DeployRequest body) {
        Caller.require(request, ApiKeyScope.DEPLOY);
        Deployment deployment = ployer.deployments().deploy(new DeploymentRequest(id, DeploymentTrigger.API,
                body == null ? null : body.commitSha()));
        return Response.status(202).entity(deployment).build();
    }

    @POST
    @Path("/{id}/stop")
    public Application stop(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.DEPLOY);
        return ployer.applications().stop(id);
    }

    @POST
    @Path("/{id}/start")
    public Application start(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.DEPLOY);
        return ployer.applications().start(id);
    }

    /** @param replicas how many replicas of the serving release to run, 1 to 100 */
    public record ScaleRequest(Integer replicas) {
    }

    /** Scales the serving release without a redeploy, on a container runtime that scales (409 on one that does not). */
    @PUT
    @Path("/{id}/scale")
    public Application scale(@Context HttpServletRequest request, @PathParam("id") String id, ScaleRequest body) {
        Caller.require(request, ApiKeyScope.DEPLOY);
        // a missing count is 0, refused after the permission check like any count out of range
        return ployer.applications().scale(id, body == null || body.replicas() == null ? 0 : body.replicas());
    }

    // --- domains ---

    /**
     * @param domain  hostname
     * @param service for a Compose application, the service it routes to (default: the primary routed service, the first routed service of the file)
     * @param port    the port of that service (default: its first {@code expose}, else the application's port)
     */
    public record DomainRequest(String domain, String service, Integer port) {
    }

    @CachedResponse(reads = {"applications", "domains"})
    @GET
    @Path("/{id}/domains")
    public List<Domain> domains(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.applications().domains(id);
    }

    /** Not cached: the answer depends on the proxy's settings, not only on stored state. */
    @GET
    @Path("/{id}/tls")
    public List<io.ployer.api.application.DomainTls> tls(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.applications().domainTls(id);
    }

    @POST
    @Path("/{id}/domains")
    public Response addDomain(@Context HttpServletRequest request, @PathParam("id") String id, DomainRequest body) {
        Caller.require(request, ApiKeyScope.WRITE);
        requireBody(body);
        if (body.domain() == null) {
            throw PloyerException.invalid("domain", "is required");
        }
        return Response.status(201).entity(body.service() == null && body.port() == null
                ? ployer.applications().addDomain(id, body.domain())
                : ployer.applications().addDomain(id, body.domain(), body.service(), body.port())).build();
    }

    @DELETE
    @Path("/{id}/domains/{domain}")
    public Response removeDomain(@Context HttpServletRequest request, @PathParam("id") String id,
                                 @PathParam("domain") String domain) {
        Caller.require(request, ApiKeyScope.WRITE);
        ployer.applications().removeDomain(id, domain);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/domains/{domain}/verify")
    public Domain verify(@Context HttpServletRequest request, @PathParam("id") String id, @PathParam("domain") String domain) {
        Caller.require(request, ApiKeyScope.WRITE);
        return ployer.applications().verifyDomain(id, domain);
    }

    @POST
    @Path("/{id}/domains/{domain}/primary")
    public Domain primary(@Context HttpServletRequest request, @PathParam("id") String id, @PathParam("domain") String domain) {
        Caller.require(request, ApiKeyScope.WRITE);
        return ployer.applications().setPrimaryDomain(id, domain);
    }

    // --- webhook configuration ---

    /** @param provider forge name ({@code github}, {@code gitlab} …) */
    public record WebhookRequest(String provider) {
    }

    @POST
    @Path("/{id}/webhooks")
    public Response createWebhook(@Context HttpServletRequest request, @PathParam("id") String id, WebhookRequest body) {
        Caller.require(request, ApiKeyScope.WRITE);
        requireBody(body);
        return Response.status(201).entity(ployer.webhooks().create(id, body.provider())).build();
    }

    @GET
    @Path("/{id}/webhooks")
    public Webhook webhook(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.webhooks().find(id).orElseThrow(() -> PloyerException.notFound("webhook of application", id));
    }

    /** @param enabled whether deliveries may deploy */
    public record WebhookChange(Boolean enabled) {
    }

    @PUT
    @Path("/{id}/webhooks")
    public Webhook changeWebhook(@Context HttpServletRequest request, @PathParam("id") String id, WebhookChange body) {
        Caller.require(request, ApiKeyScope.WRITE);
        requireBody(body);
        if (body.enabled() == null) {
            throw PloyerException.invalid("enabled", "is required (true or false)");
        }
        return ployer.webhooks().setEnabled(id, body.enabled());
    }

    @DELETE
    @Path("/{id}/webhooks")
    public Response deleteWebhook(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.WRITE);
        ployer.webhooks().delete(id);
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/webhooks/deliveries")
    public List<WebhookDelivery> deliveries(@Context HttpServletRequest request, @PathParam("id") String id,
                                            @QueryParam("limit") @DefaultValue("50") String limit) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.webhooks().deliveries(id, QueryParameters.integer("limit", limit, 1, 1000));
    }

    // --- services of the serving deployment (one, or a Compose stack's) ---

    @GET
    @Path("/{id}/services")
    public List<io.ployer.api.deployment.ServiceContainer> services(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.deployments().services(id);
    }

    /** One resource sample of one service's container, against its limits. */
    @GET
    @Path("/{id}/services/{service}/stats")
    public io.ployer.api.container.ResourceSample serviceStats(@Context HttpServletRequest request, @PathParam("id") String id,
                                                            @PathParam("service") String service) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.deployments().serviceStats(id, service);
    }

    /** The output of one service's container ({@code service} absent: the routed one), last {@code tail} lines. */
    @GET
    @Path("/{id}/logs")
    public List<String> logs(@Context HttpServletRequest request, @PathParam("id") String id, @QueryParam("service") String service,
                             @QueryParam("tail") String tail) {
        Caller.requireContainerLogs(request);
        return ployer.deployments().serviceLogs(id, service, tail == null ? 200 : QueryParameters.integer("tail", tail, 1, 10_000));
    }

    // --- health check and stats ---

    /**
     * The JSON shape of a health check; durations in seconds.
     *
     * @param path               request path
     * @param expectedStatusMin  lowest healthy status
     * @param expectedStatusMax  highest healthy status
     * @param intervalSeconds    seconds between checks
     * @param timeoutSeconds     seconds per check
     * @param healthyThreshold   successes to become healthy
     * @param unhealthyThreshold failures to become unhealthy
     * @param retries            failures tolerated by the deployment gate
     * @param startPeriodSeconds grace after start
     * @param enabled            whether the monitor runs it
     */
    public record HealthCheckRequest(String path, Integer expectedStatusMin, Integer expectedStatusMax,
                                     Integer intervalSeconds, Integer timeoutSeconds, Integer healthyThreshold,
                                     Integer unhealthyThreshold, Integer retries, Integer startPeriodSeconds,
                                     Boolean enabled) {
        HealthCheck toCheck(String applicationId) {
            HealthCheck defaults = HealthCheck.defaults(applicationId);
            return new HealthCheck(applicationId, path == null ? defaults.path() : path,
                    expectedStatusMin == null ? defaults.expectedStatusMin() : expectedStatusMin,
                    expectedStatusMax == null ? defaults.expectedStatusMax() : expectedStatusMax,
                    intervalSeconds == null ? defaults.interval() : Duration.ofSeconds(intervalSeconds),
                    timeoutSeconds == null ? defaults.timeout() : Duration.ofSeconds(timeoutSeconds),
                    healthyThreshold == null ? defaults.healthyThreshold() : healthyThreshold,
                    unhealthyThreshold == null ? defaults.unhealthyThreshold() : unhealthyThreshold,
                    retries == null ? defaults.retries() : retries,
                    startPeriodSeconds == null ? defaults.startPeriod() : Duration.ofSeconds(startPeriodSeconds),
                    enabled == null || enabled);
        }
    }

    @POST
    @Path("/{id}/health-check")
    public HealthCheck setHealthCheck(@Context HttpServletRequest request, @PathParam("id") String id,
                                      HealthCheckRequest body) {
        Caller.require(request, ApiKeyScope.WRITE);
        requireBody(body);
        return ployer.health().configure(body.toCheck(id));
    }

    @GET
    @Path("/{id}/health-check")
    public HealthCheck healthCheck(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.health().healthCheck(id).orElseThrow(() -> PloyerException.notFound("health check of application", id));
    }

    @GET
    @Path("/{id}/health-check/results")
    public List<HealthCheckResult> healthResults(@Context HttpServletRequest request, @PathParam("id") String id,
                                                 @QueryParam("limit") @DefaultValue("100") String limit) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.health().results(id, QueryParameters.integer("limit", limit, 1, 1000));
    }

    @GET
    @Path("/{id}/stats")
    public List<ContainerStats> stats(@Context HttpServletRequest request, @PathParam("id") String id,
                                      @QueryParam("from") String from, @QueryParam("to") String to,
                                      @QueryParam("step") String step) {
        Caller.require(request, ApiKeyScope.READ);
        Instant end = to == null ? Instant.now() : QueryParameters.instant("to", to);
        Instant start = from == null ? end.minus(Duration.ofHours(1)) : QueryParameters.instant("from", from);
        return step == null ? ployer.health().stats(id, start, end)
                : ployer.health().stats(id, start, end, Duration.ofSeconds(QueryParameters.integer("step", step, 1, 86_400)));
    }

    static void requireBody(Object body) {
        if (body == null) {
            throw PloyerException.invalid("body", "is required");
        }
    }
}
