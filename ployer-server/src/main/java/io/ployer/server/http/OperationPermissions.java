package io.ployer.server.http;

import java.util.Map;
import java.util.Optional;

/**
 * What each REST operation needs, as published in the OpenAPI document ({@code x-ployer-permission})
 * and checked role by role by the permission matrix test. The engine enforces it (this table only
 * declares it): an operation missing here fails that test, so a new endpoint must say who may call it.
 *
 * <ul>
 *   <li>{@code public}: no credential needed (the operation authenticates by other means, or not at all);</li>
 *   <li>{@code self}: any signed-in user, about their own account;</li>
 *   <li>{@code authenticated}: any signed-in user; lists hold only what the caller may see;</li>
 *   <li>{@code instance-admin}: instance owners and admins only (403 for everybody else);</li>
 *   <li>{@code <kind>:<action>} with kind {@code app}, {@code deployment} or {@code project} and action
 *       {@code read} (viewer), {@code write} or {@code deploy} (developer), {@code admin} (project admin):
 *       the role needed in the resource's project; 403 below it, 404 for a caller with no role there;</li>
 *   <li>{@code GET /audit} is {@code project:admin} for the project named by {@code project_id} (instance admins: any or none);</li>
 *   <li>{@code app:create}: developer in the project named by the body's {@code project_id}
 *       (400 naming {@code project_id} for a project the caller cannot see).</li>
 * </ul>
 */
public final class OperationPermissions {
    private static final Map<String, String> DECLARED = Map.ofEntries(
            Map.entry("GET /applications", "authenticated"),
            Map.entry("POST /applications", "app:create"),
            Map.entry("GET /applications/{id}", "app:read"),
            Map.entry("PUT /applications/{id}", "app:write"),
            Map.entry("DELETE /applications/{id}", "app:admin"),
            Map.entry("POST /applications/{id}/deploy", "app:deploy"),
            Map.entry("POST /applications/{id}/stop", "app:deploy"),
            Map.entry("POST /applications/{id}/start", "app:deploy"),
            Map.entry("PUT /applications/{id}/scale", "app:deploy"),
            Map.entry("GET /applications/{id}/deploy-key", "app:read"),
            Map.entry("POST /applications/{id}/deploy-key", "app:write"),
            Map.entry("GET /applications/{id}/domains", "app:read"),
            Map.entry("POST /applications/{id}/domains", "app:write"),
            Map.entry("DELETE /applications/{id}/domains/{domain}", "app:write"),
            Map.entry("POST /applications/{id}/domains/{domain}/primary", "app:write"),
            Map.entry("POST /applications/{id}/domains/{domain}/verify", "app:write"),
            Map.entry("GET /applications/{id}/envs", "app:read"),
            Map.entry("POST /applications/{id}/envs", "app:write"),
            Map.entry("PUT /applications/{id}/envs/{key}", "app:write"),
            Map.entry("DELETE /applications/{id}/envs/{key}", "app:write"),
            Map.entry("PUT /applications/{id}/git-token", "app:write"),
            Map.entry("DELETE /applications/{id}/git-token", "app:write"),
            Map.entry("GET /applications/{id}/health-check", "app:read"),
            Map.entry("POST /applications/{id}/health-check", "app:write"),
            Map.entry("GET /applications/{id}/health-check/results", "app:read"),
            Map.entry("GET /applications/{id}/stats", "app:read"),
            Map.entry("GET /applications/{id}/services", "app:read"),
            Map.entry("GET /applications/{id}/logs", "instance-admin"),
            Map.entry("GET /applications/{id}/volumes", "app:read"),
            Map.entry("POST /applications/{id}/volumes", "app:write"),
            Map.entry("DELETE /applications/{id}/volumes/{volumeId}", "app:write"),
            Map.entry("GET /applications/{id}/webhooks", "app:read"),
            Map.entry("POST /applications/{id}/webhooks", "app:write"),
            Map.entry("PUT /applications/{id}/webhooks", "app:write"),
            Map.entry("DELETE /applications/{id}/webhooks", "app:write"),
            Map.entry("GET /applications/{id}/webhooks/deliveries", "app:read"),
            Map.entry("GET /deployments", "authenticated"),
            Map.entry("GET /deployments/{id}", "deployment:read"),
            Map.entry("GET /deployments/{id}/logs", "deployment:read"),
            Map.entry("POST /deployments/{id}/cancel", "deployment:deploy"),
            Map.entry("POST /deployments/{id}/rollback", "deployment:deploy"),
            Map.entry("GET /projects", "authenticated"),
            Map.entry("POST /projects", "instance-admin"),
            Map.entry("GET /projects/{id}", "project:read"),
            Map.entry("PUT /projects/{id}", "project:admin"),
            Map.entry("DELETE /projects/{id}", "instance-admin"),
            Map.entry("GET /projects/{id}/members", "project:read"),
            Map.entry("PUT /projects/{id}/members/{userId}", "project:admin"),
            Map.entry("DELETE /projects/{id}/members/{userId}", "project:admin"),
            Map.entry("POST /projects/{id}/invitations", "project:admin"),
            Map.entry("POST /invitations/accept", "self"),
            Map.entry("POST /auth/login", "public"),
            Map.entry("POST /auth/register", "public"),
            Map.entry("POST /auth/logout", "self"),
            Map.entry("GET /auth/me", "self"),
            Map.entry("POST /auth/password", "self"),
            Map.entry("GET /auth/registration", "authenticated"),
            Map.entry("PUT /auth/registration", "instance-admin"),
            Map.entry("GET /auth/api-keys", "self"),
            Map.entry("POST /auth/api-keys", "self"),
            Map.entry("DELETE /auth/api-keys/{id}", "self"),
            Map.entry("GET /auth/sessions", "self"),
            Map.entry("DELETE /auth/sessions/{id}", "self"),
            Map.entry("DELETE /auth/users/{id}/sessions", "instance-admin"),
            Map.entry("GET /auth/totp", "self"),
            Map.entry("POST /auth/totp", "self"),
            Map.entry("POST /auth/totp/confirm", "self"),
            Map.entry("POST /auth/totp/disable", "self"),
            Map.entry("GET /servers", "authenticated"),
            Map.entry("POST /servers", "instance-admin"),
            Map.entry("GET /servers/{id}", "authenticated"),
            Map.entry("PUT /servers/{id}", "instance-admin"),
            Map.entry("DELETE /servers/{id}", "instance-admin"),
            Map.entry("GET /servers/{id}/resources", "authenticated"),
            Map.entry("GET /servers/swarm/nodes", "authenticated"),
            Map.entry("POST /servers/{id}/validate", "authenticated"),
            Map.entry("GET /containers", "authenticated"),
            Map.entry("POST /containers", "instance-admin"),
            Map.entry("GET /containers/{id}", "authenticated"),
            Map.entry("DELETE /containers/{id}", "instance-admin"),
            Map.entry("GET /containers/{id}/logs", "instance-admin"),
            Map.entry("POST /containers/{id}/start", "instance-admin"),
            Map.entry("POST /containers/{id}/stop", "instance-admin"),
            Map.entry("POST /containers/{id}/restart", "instance-admin"),
            Map.entry("GET /containers/{id}/stats", "authenticated"),
            Map.entry("GET /containers/{id}/replicas", "authenticated"),
            Map.entry("GET /networks", "authenticated"),
            Map.entry("POST /networks", "instance-admin"),
            Map.entry("GET /networks/{id}", "authenticated"),
            Map.entry("DELETE /networks/{id}", "instance-admin"),
            Map.entry("GET /volumes", "authenticated"),
            Map.entry("POST /volumes", "instance-admin"),
            Map.entry("GET /volumes/{name}", "authenticated"),
            Map.entry("DELETE /volumes/{name}", "instance-admin"),
            Map.entry("GET /volumes/orphaned", "instance-admin"),
            Map.entry("GET /audit", "project:admin"),
            Map.entry("GET /databases", "instance-admin"),
            Map.entry("POST /databases", "instance-admin"),
            Map.entry("GET /databases/{id}", "instance-admin"),
            Map.entry("DELETE /databases/{id}", "instance-admin"),
            Map.entry("POST /databases/{id}/start", "instance-admin"),
            Map.entry("POST /databases/{id}/stop", "instance-admin"),
            Map.entry("POST /databases/{id}/restart", "instance-admin"),
            Map.entry("GET /databases/{id}/logs", "instance-admin"),
            Map.entry("GET /databases/{id}/health", "instance-admin"),
            Map.entry("PUT /databases/{id}/backup-policy", "instance-admin"),
            Map.entry("DELETE /databases/{id}/backup-policy", "instance-admin"),
            Map.entry("POST /databases/{id}/backups", "instance-admin"),
            Map.entry("GET /databases/{id}/backups", "instance-admin"),
            Map.entry("POST /databases/{id}/restore", "instance-admin"),
            Map.entry("POST /databases/{id}/verify", "instance-admin"),
            Map.entry("GET /backup-destinations", "instance-admin"),
            Map.entry("POST /backup-destinations", "instance-admin"),
            Map.entry("DELETE /backup-destinations/{id}", "instance-admin"),
            Map.entry("GET /applications/{id}/links", "instance-admin"),
            Map.entry("POST /applications/{id}/links", "instance-admin"),
            Map.entry("DELETE /applications/{id}/links/{databaseId}", "instance-admin"),
            Map.entry("GET /registries", "instance-admin"),
            Map.entry("POST /registries", "instance-admin"),
            Map.entry("GET /registries/{id}", "instance-admin"),
            Map.entry("PUT /registries/{id}", "instance-admin"),
            Map.entry("DELETE /registries/{id}", "instance-admin"),
            Map.entry("GET /applications/{id}/push-target", "instance-admin"),
            Map.entry("PUT /applications/{id}/push-target", "instance-admin"),
            Map.entry("DELETE /applications/{id}/push-target", "instance-admin"),
            Map.entry("GET /applications/{id}/files", "app:read"),
            Map.entry("POST /applications/{id}/files", "app:write"),
            Map.entry("DELETE /applications/{id}/files/{fileId}", "app:write"),
            Map.entry("GET /plugins", "instance-admin"),
            Map.entry("GET /notifications/channels", "instance-admin"),
            Map.entry("POST /notifications/channels", "instance-admin"),
            Map.entry("GET /notifications/channels/{id}", "instance-admin"),
            Map.entry("PUT /notifications/channels/{id}", "instance-admin"),
            Map.entry("DELETE /notifications/channels/{id}", "instance-admin"),
            Map.entry("POST /notifications/channels/{id}/test", "instance-admin"),
            Map.entry("GET /notifications/types", "instance-admin"),
            Map.entry("GET /notifications/deliveries", "instance-admin"),
            Map.entry("GET /health", "public"),
            Map.entry("POST /webhooks/{provider}", "public"),
            Map.entry("GET /ws", "public"),
            Map.entry("GET /openapi.json", "public"));

    private OperationPermissions() {
    }

    /** The declared permission of {@code method} (upper case) on {@code path} (as in the OpenAPI document), if any. */
    public static Optional<String> of(String method, String path) {
        return Optional.ofNullable(DECLARED.get(method + " " + path));
    }
}
