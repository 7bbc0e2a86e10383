package io.ployer.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ployer.api.Ployer;
import io.ployer.api.account.AccountService.Principal;
import io.ployer.api.application.Application;
import io.ployer.api.audit.AuditEntry;
import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jboss.resteasy.core.ResteasyContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every write request (any method but GET, HEAD and OPTIONS) in the audit log once it is
 * answered, refused ones included (a failed login, a 403): who (user, and whether by API key), the
 * client address, the action ({@code PUT /applications/{id}}, {@code login}, {@code login.failed}),
 * the resource type, id and project, the status, and the request's fields. Only fields known to
 * hold no secret keep their value; every other field (env values, passwords, tokens, keys, codes)
 * is recorded as {@code ********}, and credentials in repository URLs are masked.
 */
@Provider
@Priority(Priorities.USER)
public final class AuditFilter implements ContainerRequestFilter, ContainerResponseFilter, ReaderInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(AuditFilter.class);
    static final String MASK = "********";
    private static final String BODY = "io.ployer.server.audit.body";
    private static final String PROJECT = "io.ployer.server.audit.project";
    private static final String PRINCIPAL = "io.ployer.server.principal";
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    private static final int MAX_BODY = 64 * 1024;
    private static final int MAX_VALUE = 300;
    /** Request fields that never hold a secret: their values are kept. */
    private static final Set<String> PLAIN_FIELDS = Set.of("name", "server_id", "git_url", "branch", "build_strategy",
            "build_config", "port", "auto_deploy", "limits", "restart_policy", "project_id", "key", "build_time", "domain",
            "enabled", "provider", "id", "role", "valid_for_seconds", "scopes", "expires_at", "email", "open", "path",
            "expected_status_min", "expected_status_max", "interval_seconds", "timeout_seconds", "healthy_threshold",
            "unhealthy_threshold", "retries", "start_period_seconds", "container_path", "host_path", "read_only",
            "exclusive", "algorithm", "commit_sha", "host", "user", "image", "command", "all", "force");
    private static final Pattern URL_CREDENTIALS = Pattern.compile("//[^/@\\s]+@");

    private final Ployer engine;
    private final ObjectMapper json;

    public AuditFilter(Ployer engine, ObjectMapper json) {
        this.engine = engine;
        this.json = json;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (READS.contains(request.getMethod())) {
            return;
        }
        // The project before the request runs: a deleted application can no longer tell it afterwards.
        String[] segments = segments(request.getUriInfo().getPath());
        String project = projectOf(segments);
        if (project != null) {
            request.setProperty(PROJECT, project);
        }
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        HttpServletRequest servletRequest = ResteasyContext.getContextData(HttpServletRequest.class);
        if (servletRequest == null || READS.contains(servletRequest.getMethod())) {
            return context.proceed();
        }
        byte[] body = context.getInputStream().readNBytes(MAX_BODY + 1);
        InputStream rest = context.getInputStream();
        context.setInputStream(new java.io.SequenceInputStream(new ByteArrayInputStream(body), rest));
        if (body.length <= MAX_BODY) {
            context.setProperty(BODY, body);
        }
        return context.proceed();
    }

    /**
     * Writes the engine records itself when they succeed (with the principal and client address of
     * the caller's view): recording them here as well would say everything twice. Refused ones are
     * recorded here, with their HTTP status; a refused login the engine records itself.
     */
    private static final List<Pattern> ENGINE_RECORDED = java.util.stream.Stream.of(
            "POST applications", "(PUT|DELETE) applications/[^/]+",
            "(POST|PUT|DELETE) applications/[^/]+/(envs|domains|git-token|deploy-key|health-check|webhooks|volumes|files)(/.*)?",
            "POST applications/[^/]+/deploy", "POST deployments/[^/]+/(rollback|cancel)",
            "(POST|PUT|DELETE) projects(/.*)?", "POST invitations/accept",
            "POST auth/(register|login|api-keys|password|totp|totp/confirm|totp/disable|owner)", "PUT auth/registration",
            "DELETE auth/(api-keys|sessions)/[^/]+", "PUT auth/users/[^/]+/role", "DELETE auth/users/[^/]+",
            "POST servers", "(PUT|DELETE) servers/[^/]+", "(POST|DELETE) (containers|networks|volumes)(/[^/]+)?",
            "POST containers/[^/]+/(start|stop|restart)", "POST registries", "(PUT|DELETE) registries/[^/]+",
            "(PUT|DELETE) applications/[^/]+/push-target", "POST notifications/channels",
            "(PUT|DELETE) notifications/channels/[^/]+", "POST databases", "DELETE databases/[^/]+",
            "POST databases/[^/]+/(start|stop|restart|backups|restore|verify)", "(PUT|DELETE) databases/[^/]+/backup-policy",
            "POST backup-destinations", "DELETE backup-destinations/[^/]+",
            "(POST|DELETE) applications/[^/]+/links(/[^/]+)?").map(Pattern::compile).toList();

    /** Whether the engine has recorded this answered request itself. */
    static boolean recordedByEngine(String method, String path, int status) {
        String request = method.toUpperCase(Locale.ROOT) + " " + path.replaceAll("^/+|/+$", "");
        if (ENGINE_RECORDED.stream().noneMatch(pattern -> pattern.matcher(request).matches())) {
            return false;
        }
        return status < 400 || (request.equals("POST auth/login") && (status == 401 || status == 429));
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (READS.contains(request.getMethod())
                || recordedByEngine(request.getMethod(), request.getUriInfo().getPath(), response.getStatus())) {
            return;
        }
        try {
            engine.audit().record(entry(request, response));
        } catch (UnsupportedOperationException e) {
            // a storage without an audit log
        } catch (RuntimeException e) {
            LOG.warn("could not record an audit entry for {} {}: {}", request.getMethod(), request.getUriInfo().getPath(), e.toString());
        }
    }

    private AuditEntry entry(ContainerRequestContext request, ContainerResponseContext response) {
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        String path = request.getUriInfo().getPath();
        String[] segments = segments(path);
        Principal principal = (Principal) request.getProperty(PRINCIPAL);
        HttpServletRequest servletRequest = ResteasyContext.getContextData(HttpServletRequest.class);
        String clientAddress = servletRequest == null ? null : servletRequest.getRemoteAddr();
        int status = response.getStatus();

        String resourceType = segments.length == 0 ? "" : singular(segments[0]);
        // Under /auth the second segment names the operation (login, api-keys …); the id, if any, comes after it.
        String resourceId = segments.length > 1 && !segments[0].equals("auth") ? segments[1]
                : segments.length > 2 ? segments[2] : null;
        String project = (String) request.getProperty(PROJECT);
        if (response.getEntity() instanceof Application created) {
            resourceId = created.id();
            project = created.projectId();
        } else if (resourceType.equals("project") && resourceId == null && response.getEntity() instanceof io.ployer.api.access.Project created) {
            resourceId = created.id();
            project = created.id();
        }
        String action = method + " /" + template(segments);
        if (path.replaceAll("^/+|/+$", "").equals("auth/login")) {
            action = status < 300 ? "login" : "login.failed";
        }
        Map<String, String> change = new LinkedHashMap<>();
        if (segments.length > 3 && segments[0].equals("applications") && segments[2].equals("envs")) {
            change.put("key", segments[3]);
        }
        byte[] body = (byte[]) request.getProperty(BODY);
        if (body != null && body.length > 0) {
            describe(body, change);
        }
        String actor = principal == null ? "anonymous" : principal.user().email();
        return new AuditEntry(0, java.time.Instant.now(), principal == null ? null : principal.user().id(), actor,
                principal != null && principal.apiKey(), clientAddress, action, resourceType, resourceId, project, status, change);
    }

    /** Top-level fields of a JSON body: plain ones with their value, every other one masked. */
    private void describe(byte[] body, Map<String, String> change) {
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (IOException e) {
            change.put("body", "(not JSON)");
            return;
        }
        if (tree == null || !tree.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = tree.properties().iterator(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (!PLAIN_FIELDS.contains(name) || field.getValue().isNull()) {
                change.put(name, field.getValue().isNull() ? "null" : MASK);
                continue;
            }
            String value = field.getValue().isTextual() ? field.getValue().asText() : field.getValue().toString();
            value = URL_CREDENTIALS.matcher(value).replaceAll("//" + MASK + "@");
            change.put(name, value.length() > MAX_VALUE ? value.substring(0, MAX_VALUE) + "…" : value);
        }
    }

    private String projectOf(String[] segments) {
        if (segments.length < 2) {
            return null;
        }
        try {
            return switch (segments[0]) {
                case "applications" -> engine.applications().find(segments[1]).map(Application::projectId).orElse(null);
                case "projects" -> segments[1];
                case "deployments" -> engine.deployments().find(segments[1])
                        .flatMap(deployment -> engine.applications().find(deployment.applicationId()))
                        .map(Application::projectId).orElse(null);
                default -> null;
            };
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String[] segments(String path) {
        String trimmed = path.replaceAll("^/+|/+$", "");
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/");
    }

    /** The path with the resource id replaced by {@code {id}} (sub-resource names kept). */
    private static String template(String[] segments) {
        StringBuilder template = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                template.append('/');
            }
            boolean id = i == 1 && !segments[0].equals("auth") && !segments[0].equals("webhooks") && !segments[0].equals("invitations");
            template.append(id ? "{id}" : segments[i]);
        }
        return template.toString();
    }

    private static String singular(String collection) {
        return switch (collection) {
            case "applications" -> "application";
            case "projects" -> "project";
            case "deployments" -> "deployment";
            case "servers" -> "server";
            case "containers" -> "container";
            case "networks" -> "network";
            case "volumes" -> "volume";
            case "webhooks" -> "webhook";
            case "invitations" -> "invitation";
            default -> collection;
        };
    }
}
