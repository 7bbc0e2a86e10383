package io.ployer.server.auth;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.account.AccountService;
import io.ployer.api.account.AccountService.Principal;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.util.Optional;

/**
 * Resolves {@code Authorization: Bearer …} (a session token or an API key) to a principal. A request
 * without credentials passes on anonymously (public resources accept it, the others answer 401);
 * a request with bad credentials is refused at once.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public final class AuthenticationFilter implements ContainerRequestFilter {
    private final AccountService accounts;
    /** What a user who must still turn on TOTP ({@code auth.require-totp}) may call. */
    private static final java.util.Set<String> ENROLMENT_PATHS = java.util.Set.of("auth/me", "auth/logout", "auth/totp",
            "auth/totp/confirm");

    public AuthenticationFilter(AccountService accounts) {
        this.accounts = accounts;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        // Webhook deliveries authenticate with their own signature or token (a generic CI may send it as a bearer).
        if (header == null || request.getUriInfo().getPath().startsWith("/webhooks/")) {
            return;
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new PloyerException(StandardErrorCode.UNAUTHENTICATED, "the Authorization header must be 'Bearer <token>'");
        }
        String token = header.substring(7).strip();
        Optional<Principal> principal = accounts.authenticate(token);
        if (principal.isEmpty()) {
            throw new PloyerException(StandardErrorCode.UNAUTHENTICATED, "the token is invalid, expired or revoked");
        }
        if (principal.get().mustEnrolTotp() && !ENROLMENT_PATHS.contains(request.getUriInfo().getPath().replaceAll("^/+|/+$", ""))) {
            throw new PloyerException(StandardErrorCode.PERMISSION_DENIED, "this server requires two-factor authentication: "
                    + "enrol with POST /auth/totp and confirm with POST /auth/totp/confirm before anything else");
        }
        request.setProperty(Caller.PROPERTY, principal.get());
        request.setProperty(Caller.TOKEN_PROPERTY, token);
    }
}
