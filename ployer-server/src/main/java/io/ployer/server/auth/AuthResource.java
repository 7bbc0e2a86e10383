package io.ployer.server.auth;

import io.ployer.api.PloyerException;
import io.ployer.api.account.AccountService;
import io.ployer.api.account.AccountService.IssuedApiKey;
import io.ployer.api.account.AccountService.IssuedToken;
import io.ployer.api.account.AccountService.Principal;
import io.ployer.api.account.ApiKey;
import io.ployer.api.account.ApiKeyScope;
import io.ployer.api.account.Role;
import io.ployer.api.account.User;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Registration, login, logout, the caller's identity, and API keys. */
@Path("/auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class AuthResource {
    private final AccountService accounts;

    public AuthResource(AccountService accounts) {
        this.accounts = accounts;
    }

    /**
     * @param email        e-mail address
     * @param password     password, 8–256 characters
     * @param totp         the authenticator's current 6-digit code (login of a user with TOTP on)
     * @param recoveryCode one of the user's recovery codes, instead of {@code totp}
     */
    public record Credentials(String email, String password, String totp, String recoveryCode) {
        @Override
        public String toString() {
            return "Credentials[email=" + email + "]";
        }
    }

    /**
     * A user as the API shows it (never the password hash).
     *
     * @param id        id
     * @param email     e-mail
     * @param role      role
     * @param createdAt creation time
     */
    public record UserView(String id, String email, Role role, Instant createdAt) {
        static UserView of(User user) {
            return new UserView(user.id(), user.email(), user.role(), user.createdAt());
        }
    }

    /**
     * @param token     bearer token
     * @param expiresAt expiry
     * @param user      the user
     */
    public record LoginResponse(String token, Instant expiresAt, UserView user) {
        @Override
        public String toString() {
            return "LoginResponse[user=" + user.id() + "]";
        }
    }

    @POST
    @Path("/register")
    public Response register(Credentials body) {
        requireCredentials(body);
        return Response.status(201).entity(UserView.of(accounts.register(body.email(), body.password()))).build();
    }

    @POST
    @Path("/login")
    public LoginResponse login(@Context HttpServletRequest request, Credentials body) {
        requireCredentials(body);
        IssuedToken issued = accounts.login(body.email(), body.password(), body.totp(), body.recoveryCode(), request.getRemoteAddr());
        return new LoginResponse(issued.token(), issued.session().expiresAt(), UserView.of(issued.user()));
    }

    @GET
    @Path("/me")
    public UserView me(@Context HttpServletRequest request) {
        return UserView.of(Caller.require(request, ApiKeyScope.READ).user());
    }

    @POST
    @Path("/logout")
    public Response logout(@Context HttpServletRequest request) {
        Principal principal = Caller.require(request, ApiKeyScope.READ);
        if (principal.apiKey()) {
            throw PloyerException.invalid("authorization", "an API key is revoked with DELETE /auth/api-keys/{id}, not logged out");
        }
        accounts.logout(Caller.token(request));
        return Response.noContent().build();
    }

    /** @param open whether anyone may register */
    public record RegistrationSetting(Boolean open) {
    }

    @GET
    @Path("/registration")
    public RegistrationSetting registration() {
        return new RegistrationSetting(accounts.registrationOpen());
    }

    @PUT
    @Path("/registration")
    public RegistrationSetting setRegistration(@Context HttpServletRequest request, RegistrationSetting body) {
        Principal principal = Caller.requireAdmin(request);
        if (body == null || body.open() == null) {
            throw PloyerException.invalid("open", "is required (true or false)");
        }
        accounts.setRegistrationOpen(principal.user().id(), body.open());
        return new RegistrationSetting(accounts.registrationOpen());
    }

    /**
     * @param name   label
     * @param scopes    read, write, deploy
     * @param expiresAt when the key stops working (ISO-8601), or none
     * @param projectId the one project the key may reach (omit for every project you may reach)
     */
    public record ApiKeyRequest(String name, Set<ApiKeyScope> scopes, Instant expiresAt, String projectId) {
    }

    /**
     * An API key as the API shows it; {@code key} only in the creation response.
     *
     * @param id         id
     * @param name       label
     * @param prefix     recognisable start of the key
     * @param scopes     scopes
     * @param createdAt  creation time
     * @param lastUsedAt last use
     * @param revokedAt  revocation time
     * @param key        the plain key, shown once
     * @param expiresAt  when it stops working, or none
     * @param projectId  the one project it reaches, or null
     */
    public record ApiKeyView(String id, String name, String prefix, Set<ApiKeyScope> scopes, Instant createdAt,
                             Instant lastUsedAt, Instant revokedAt, String key, Instant expiresAt, String projectId) {
        static ApiKeyView of(ApiKey key, String plain) {
            return new ApiKeyView(key.id(), key.name(), key.prefix(), key.scopes(), key.createdAt(), key.lastUsedAt(),
                    key.revokedAt(), plain, key.expiresAt(), key.projectId());
        }

        @Override
        public String toString() {
            return "ApiKeyView[id=" + id + ", prefix=" + prefix + "]";
        }
    }

    @POST
    @Path("/api-keys")
    public Response createApiKey(@Context HttpServletRequest request, ApiKeyRequest body) {
        Principal principal = Caller.require(request, ApiKeyScope.WRITE);
        if (body == null) {
            throw PloyerException.invalid("body", "is required");
        }
        // A key narrowed to a project makes only keys narrowed to the same project (never a wider one).
        String projectId = principal.projectId() != null ? principal.projectId() : body.projectId();
        if (principal.projectId() != null && body.projectId() != null && !body.projectId().equals(principal.projectId())) {
            throw PloyerException.invalid("project_id", "a key narrowed to a project makes keys for that project only");
        }
        IssuedApiKey issued = accounts.createApiKey(principal.user().id(), body.name(), body.scopes(), body.expiresAt(), projectId);
        return Response.status(201).entity(ApiKeyView.of(issued.apiKey(), issued.key())).build();
    }

    @GET
    @Path("/api-keys")
    public List<ApiKeyView> apiKeys(@Context HttpServletRequest request) {
        Principal principal = Caller.require(request, ApiKeyScope.READ);
        return accounts.apiKeys(principal.user().id()).stream().map(key -> ApiKeyView.of(key, null)).toList();
    }

    @DELETE
    @Path("/api-keys/{id}")
    public Response revokeApiKey(@Context HttpServletRequest request, @PathParam("id") String id) {
        Principal principal = Caller.require(request, ApiKeyScope.WRITE);
        accounts.revokeApiKey(principal.user().id(), id);
        return Response.noContent().build();
    }

    // ---- two-factor authentication ---------------------------------------------------------------

    /**
     * @param secret the shared secret (base32), for typing into an authenticator
     * @param uri    the otpauth:// URI, for a QR code
     */
    public record TotpEnrolmentView(String secret, String uri) {
        @Override
        public String toString() {
            return "TotpEnrolmentView[***]";
        }
    }

    /** @param code the authenticator's current 6-digit code */
    public record TotpCode(String code) {
    }

    /**
     * @param code     a current code of the authenticator
     * @param password or the account's password
     */
    public record TotpDisable(String code, String password) {
        @Override
        public String toString() {
            return "TotpDisable[***]";
        }
    }

    /** @param recoveryCodes ten single-use codes for when the authenticator is lost: shown this once */
    public record RecoveryCodes(List<String> recoveryCodes) {
        @Override
        public String toString() {
            return "RecoveryCodes[***]";
        }
    }

    @GET
    @Path("/totp")
    public AccountService.TotpStatus totpStatus(@Context HttpServletRequest request) {
        return accounts.totpStatus(Caller.require(request, ApiKeyScope.READ).user().id());
    }

    @POST
    @Path("/totp")
    public Response enrolTotp(@Context HttpServletRequest request) {
        Principal principal = requireSession(request);
        AccountService.TotpEnrolment enrolment = accounts.enrolTotp(principal.user().id());
        return Response.status(201).entity(new TotpEnrolmentView(enrolment.secret(), enrolment.uri())).build();
    }

    @POST
    @Path("/totp/confirm")
    public RecoveryCodes confirmTotp(@Context HttpServletRequest request, TotpCode body) {
        Principal principal = requireSession(request);
        if (body == null) {
            throw PloyerException.invalid("code", "is required: the 6-digit code your authenticator shows");
        }
        return new RecoveryCodes(accounts.confirmTotp(principal.user().id(), body.code()));
    }

    @POST
    @Path("/totp/disable")
    public Response disableTotp(@Context HttpServletRequest request, TotpDisable body) {
        Principal principal = requireSession(request);
        if (body == null) {
            throw PloyerException.invalid("code", "is required (a current code of your authenticator), or send your password");
        }
        accounts.disableTotp(principal.user().id(), body.code(), body.password());
        return Response.noContent().build();
    }

    // ---- sessions and password --------------------------------------------------------------------

    /**
     * A session as its owner sees it (never its token).
     *
     * @param id            id
     * @param createdAt     login time
     * @param lastUsedAt    last use
     * @param expiresAt     expiry (slides on use, up to 30 days after login)
     * @param clientAddress the address it logged in from
     * @param current       whether it is the session of this request
     */
    public record SessionView(String id, Instant createdAt, Instant lastUsedAt, Instant expiresAt, String clientAddress,
                              boolean current) {
    }

    @GET
    @Path("/sessions")
    public List<SessionView> sessions(@Context HttpServletRequest request) {
        Principal principal = Caller.require(request, ApiKeyScope.READ);
        return accounts.sessions(principal.user().id()).stream().map(session -> new SessionView(session.id(),
                session.createdAt(), session.lastUsedAt(), session.expiresAt(), session.clientAddress(),
                session.id().equals(principal.sessionId()))).toList();
    }

    @DELETE
    @Path("/sessions/{id}")
    public Response revokeSession(@Context HttpServletRequest request, @PathParam("id") String id) {
        Principal principal = Caller.require(request, ApiKeyScope.WRITE);
        accounts.revokeSession(principal.user().id(), id);
        return Response.noContent().build();
    }

    /** @param role {@code admin} or {@code user} (ownership moves with {@code POST /auth/owner}) */
    public record RoleChange(Role role) {
    }

    /** @param userId the user who becomes the instance owner */
    public record OwnerTransfer(String userId) {
    }

    @GET
    @Path("/users")
    public List<UserView> users(@Context HttpServletRequest request) {
        Caller.requireAdmin(request, ApiKeyScope.READ);
        return accounts.users().stream().map(UserView::of).toList();
    }

    @PUT
    @Path("/users/{id}/role")
    public UserView setRole(@Context HttpServletRequest request, @PathParam("id") String id, RoleChange body) {
        Principal principal = Caller.requireOwner(request);
        if (body == null || body.role() == null) {
            throw PloyerException.invalid("role", "is required (admin or user)");
        }
        return UserView.of(accounts.setRole(principal.user().id(), id, body.role()));
    }

    @POST
    @Path("/owner")
    public UserView transferOwnership(@Context HttpServletRequest request, OwnerTransfer body) {
        Principal principal = Caller.requireOwner(request);
        if (body == null || body.userId() == null || body.userId().isBlank()) {
            throw PloyerException.invalid("user_id", "is required: the id of the user who becomes the owner");
        }
        return UserView.of(accounts.transferOwnership(principal.user().id(), body.userId()));
    }

    @DELETE
    @Path("/users/{id}")
    public Response removeUser(@Context HttpServletRequest request, @PathParam("id") String id) {
        Principal principal = Caller.requireAdmin(request, ApiKeyScope.WRITE);
        accounts.removeUser(principal.user().id(), id);
        return Response.noContent().build();
    }

    /** @param revoked how many sessions were revoked */
    public record RevokedSessions(int revoked) {
    }

    @DELETE
    @Path("/users/{id}/sessions")
    public RevokedSessions revokeUserSessions(@Context HttpServletRequest request, @PathParam("id") String id) {
        Principal principal = Caller.requireAdmin(request);
        if (!principal.scopes().contains(ApiKeyScope.WRITE)) {
            throw new PloyerException(io.ployer.api.StandardErrorCode.PERMISSION_DENIED, "this API key lacks the 'write' scope");
        }
        return new RevokedSessions(accounts.revokeSessions(id));
    }

    /**
     * @param currentPassword the password now
     * @param newPassword     the new one: 8–256 characters, not a well-known password
     */
    public record PasswordChange(String currentPassword, String newPassword) {
        @Override
        public String toString() {
            return "PasswordChange[***]";
        }
    }

    @POST
    @Path("/password")
    public Response changePassword(@Context HttpServletRequest request, PasswordChange body) {
        Principal principal = requireSession(request);
        if (body == null) {
            throw PloyerException.invalid("current_password", "is required");
        }
        accounts.changePassword(principal.user().id(), body.currentPassword(), body.newPassword(), principal.sessionId());
        return Response.noContent().build();
    }

    /** The caller, who must use a login session: an API key does not manage passwords or second factors. */
    private static Principal requireSession(HttpServletRequest request) {
        Principal principal = Caller.require(request, ApiKeyScope.WRITE);
        if (principal.apiKey()) {
            throw new PloyerException(io.ployer.api.StandardErrorCode.PERMISSION_DENIED,
                    "passwords and two-factor authentication are managed with a login session, not an API key");
        }
        return principal;
    }

    private static void requireCredentials(Credentials body) {
        if (body == null) {
            throw PloyerException.invalid("body", "is required");
        }
        if (body.email() == null) {
            throw PloyerException.invalid("email", "is required");
        }
        if (body.password() == null) {
            throw PloyerException.invalid("password", "is required");
        }
    }
}
