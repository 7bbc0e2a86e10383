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
import jakarta.servlet.http.HttpServletRequest;
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
     * @param email    e-mail address
     * @param password password, 8–256 characters
     */
    public record Credentials(String email, String password) {
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
        IssuedToken issued = accounts.login(body.email(), body.password(), request.getRemoteAddr());
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
        Caller.requireAdmin(request);
        if (body == null || body.open() == null) {
            throw PloyerException.invalid("open", "is required (true or false)");
        }
        accounts.setRegistrationOpen(body.open());
        return new RegistrationSetting(accounts.registrationOpen());
    }

    /**
     * @param name   label
     * @param scopes read, write, deploy
     */
    public record ApiKeyRequest(String name, Set<ApiKeyScope> scopes) {
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
     */
    public record ApiKeyView(String id, String name, String prefix, Set<ApiKeyScope> scopes, Instant createdAt,
                             Instant lastUsedAt, Instant revokedAt, String key) {
        static ApiKeyView of(ApiKey key, String plain) {
            return new ApiKeyView(key.id(), key.name(), key.prefix(), key.scopes(), key.createdAt(), key.lastUsedAt(),
                    key.revokedAt(), plain);
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
        IssuedApiKey issued = accounts.createApiKey(principal.user().id(), body.name(), body.scopes());
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
