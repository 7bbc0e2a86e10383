package io.ployer.server.auth;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.account.AccountService.Principal;
import io.ployer.api.account.ApiKeyScope;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Reads the authenticated principal that {@link AuthenticationFilter} put on a request (as a
 * servlet request attribute), and enforces access.
 */
public final class Caller {
    static final String PROPERTY = "io.ployer.server.principal";
    static final String TOKEN_PROPERTY = "io.ployer.server.token";

    private Caller() {
    }

    /** The caller, who must be authenticated and hold {@code scope}. */
    public static Principal require(HttpServletRequest request, ApiKeyScope scope) {
        Principal principal = (Principal) request.getAttribute(PROPERTY);
        if (principal == null) {
            throw new PloyerException(StandardErrorCode.UNAUTHENTICATED,
                    "authentication required: send Authorization: Bearer <token or API key>");
        }
        if (!principal.scopes().contains(scope)) {
            throw new PloyerException(StandardErrorCode.PERMISSION_DENIED,
                    "this API key lacks the '" + scope.name().toLowerCase(java.util.Locale.ROOT) + "' scope");
        }
        return principal;
    }

    /**
     * The caller, who must hold {@code scope} and be an instance admin: checked before a resource
     * reads its body, so a caller who may not do it learns nothing about what the body lacks.
     */
    public static Principal requireAdmin(HttpServletRequest request, ApiKeyScope scope) {
        require(request, scope);
        return requireAdmin(request);
    }

    /** The caller, who must be an authenticated admin. */
    public static Principal requireAdmin(HttpServletRequest request) {
        Principal principal = require(request, ApiKeyScope.READ);
        if (!principal.isAdmin()) {
            throw new PloyerException(StandardErrorCode.PERMISSION_DENIED, "only an admin may do this");
        }
        return principal;
    }

    /**
     * The caller, who must be the instance owner (not through a key narrowed to a project) and hold
     * the write scope; checked before the body is read. The engine checks ownership again.
     */
    public static Principal requireOwner(HttpServletRequest request) {
        Principal principal = require(request, ApiKeyScope.WRITE);
        if (!principal.isAdmin() || principal.user().role() != io.ployer.api.account.Role.OWNER) {
            throw new PloyerException(StandardErrorCode.PERMISSION_DENIED, "only the instance owner may do this");
        }
        return principal;
    }

    /** The caller, who must be allowed to read container output ({@link Principal#mayReadContainerLogs}). */
    public static Principal requireContainerLogs(HttpServletRequest request) {
        Principal principal = require(request, ApiKeyScope.READ);
        if (!principal.mayReadContainerLogs()) {
            throw new PloyerException(StandardErrorCode.PERMISSION_DENIED, CONTAINER_LOGS_DENIED);
        }
        return principal;
    }

    /** Why a caller who is not an admin may not read container output (REST and WebSocket say the same). */
    public static final String CONTAINER_LOGS_DENIED = "only an admin may read container logs: a container prints "
            + "anything its app prints, secrets included";

    /** The caller, who must be allowed to see secrets in clear ({@link Principal#mayRevealSecrets}). */
    public static Principal requireSecretReveal(HttpServletRequest request) {
        Principal principal = require(request, ApiKeyScope.READ);
        // Who may see an application's secrets is the engine's answer (its project role); the credential must also write.
        if (!principal.scopes().contains(ApiKeyScope.WRITE)) {
            throw new PloyerException(StandardErrorCode.PERMISSION_DENIED,
                    "revealing secrets needs an API key with the 'write' scope; this key is read-only");
        }
        return principal;
    }

    /** The bearer credential of the request, if any. */
    static String token(HttpServletRequest request) {
        return (String) request.getAttribute(TOKEN_PROPERTY);
    }
}
