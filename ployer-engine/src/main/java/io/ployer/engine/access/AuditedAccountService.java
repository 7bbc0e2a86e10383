package io.ployer.engine.access;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.account.AccountService;
import io.ployer.api.account.ApiKey;
import io.ployer.api.account.ApiKeyScope;
import io.ployer.api.account.Role;
import io.ployer.api.account.Session;
import io.ployer.api.account.User;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The engine's accounts with every account event recorded in the audit log, whoever calls: logins
 * and failed logins (with the e-mail tried, never the password or code), registrations, API keys
 * created and revoked, password and second-factor changes, sessions revoked, role and ownership
 * changes, removals, the registration setting. Every method of {@link AccountService} is forwarded,
 * defaults included, so the wrapped service's own answers are kept.
 */
public final class AuditedAccountService implements AccountService {
    private final AccountService delegate;
    private final AuditTrail audit;

    public AuditedAccountService(AccountService delegate, AuditTrail audit) {
        this.delegate = delegate;
        this.audit = audit;
    }

    private void byUser(String userId, String action, String resourceId, Map<String, String> change) {
        audit.recordUser(userId == null ? null : delegate.findUser(userId).orElse(null), null, action, "auth", resourceId, change);
    }

    @Override
    public User register(String email, String password) {
        User user = delegate.register(email, password);
        audit.recordUser(user, null, "register", "user", user.id(), AuditTrail.change("email", user.email(), "role", user.role()));
        return user;
    }

    @Override
    public boolean registrationOpen() {
        return delegate.registrationOpen();
    }

    @Override
    public void setRegistrationOpen(boolean open) {
        delegate.setRegistrationOpen(open);
        audit.record(null, null, "settings.registration", "setting", "registration", null, AuditTrail.change("open", open));
    }

    @Override
    public void setRegistrationOpen(String actingUserId, boolean open) {
        delegate.setRegistrationOpen(open);
        byUser(actingUserId, "settings.registration", "registration", AuditTrail.change("open", open));
    }

    @Override
    public IssuedToken login(String email, String password, String clientAddress) {
        return login(email, password, null, null, clientAddress);
    }

    @Override
    public IssuedToken login(String email, String password, String totpCode, String recoveryCode, String clientAddress) {
        IssuedToken issued;
        try {
            issued = delegate.login(email, password, totpCode, recoveryCode, clientAddress);
        } catch (PloyerException e) {
            if (e.code() == StandardErrorCode.UNAUTHENTICATED || e.code() == StandardErrorCode.LIMIT_EXCEEDED
                    || e.code() == StandardErrorCode.INVALID_ARGUMENT) {
                String tried = email == null ? null : email.strip().length() > 254 ? email.strip().substring(0, 254) : email.strip();
                audit.recordUser(null, clientAddress, "login.failed", "auth", null, AuditTrail.change("email", tried,
                        "reason", e.code() == StandardErrorCode.LIMIT_EXCEEDED ? "throttled"
                                : TOTP_REQUIRED_MESSAGE.equals(e.getMessage()) ? "second factor missing" : "refused"));
            }
            throw e;
        }
        audit.recordUser(issued.user(), clientAddress, "login", "auth", issued.user().id(),
                AuditTrail.change("second_factor", totpCode != null ? "totp" : recoveryCode != null ? "recovery code" : null));
        return issued;
    }

    @Override
    public TotpEnrolment enrolTotp(String userId) {
        TotpEnrolment enrolment = delegate.enrolTotp(userId);
        byUser(userId, "totp.enrolment-started", userId, Map.of());
        return enrolment;
    }

    @Override
    public List<String> confirmTotp(String userId, String code) {
        List<String> codes = delegate.confirmTotp(userId, code);
        byUser(userId, "totp.enabled", userId, Map.of());
        return codes;
    }

    @Override
    public void disableTotp(String userId, String code, String password) {
        delegate.disableTotp(userId, code, password);
        byUser(userId, "totp.disabled", userId, Map.of());
    }

    @Override
    public TotpStatus totpStatus(String userId) {
        return delegate.totpStatus(userId);
    }

    @Override
    public List<Session> sessions(String userId) {
        return delegate.sessions(userId);
    }

    @Override
    public void revokeSession(String userId, String sessionId) {
        delegate.revokeSession(userId, sessionId);
        byUser(userId, "session.revoked", sessionId, Map.of());
    }

    @Override
    public int revokeSessions(String userId) {
        int revoked = delegate.revokeSessions(userId);
        audit.record(null, null, "sessions.revoked", "user", userId, null, AuditTrail.change("revoked", revoked));
        return revoked;
    }

    @Override
    public void changePassword(String userId, String currentPassword, String newPassword, String keepSessionId) {
        delegate.changePassword(userId, currentPassword, newPassword, keepSessionId);
        byUser(userId, "password.changed", userId, AuditTrail.change("password", AuditTrail.MASK));
    }

    @Override
    public IssuedApiKey createApiKey(String userId, String name, Set<ApiKeyScope> scopes) {
        return recordKey(userId, delegate.createApiKey(userId, name, scopes));
    }

    @Override
    public IssuedApiKey createApiKey(String userId, String name, Set<ApiKeyScope> scopes, Instant expiresAt) {
        return recordKey(userId, delegate.createApiKey(userId, name, scopes, expiresAt));
    }

    @Override
    public IssuedApiKey createApiKey(String userId, String name, Set<ApiKeyScope> scopes, Instant expiresAt, String projectId) {
        return recordKey(userId, delegate.createApiKey(userId, name, scopes, expiresAt, projectId));
    }

    private IssuedApiKey recordKey(String userId, IssuedApiKey issued) {
        ApiKey key = issued.apiKey();
        byUser(userId, "api-key.created", key.id(), AuditTrail.change("name", key.name(), "prefix", key.prefix(),
                "scopes", key.scopes(), "expires_at", key.expiresAt(), "project_id", key.projectId()));
        return issued;
    }

    @Override
    public Optional<Principal> authenticate(String bearer) {
        return delegate.authenticate(bearer);
    }

    @Override
    public void logout(String token) {
        delegate.logout(token);
    }

    @Override
    public List<ApiKey> apiKeys(String userId) {
        return delegate.apiKeys(userId);
    }

    @Override
    public void revokeApiKey(String userId, String apiKeyId) {
        delegate.revokeApiKey(userId, apiKeyId);
        byUser(userId, "api-key.revoked", apiKeyId, Map.of());
    }

    @Override
    public void resetPassword(String email, String newPassword) {
        delegate.resetPassword(email, newPassword);
        audit.record(null, null, "password.reset", "user", null, null, AuditTrail.change("email", email, "password", AuditTrail.MASK));
    }

    @Override
    public Optional<User> findUser(String userId) {
        return delegate.findUser(userId);
    }

    @Override
    public List<User> users() {
        return delegate.users();
    }

    @Override
    public void setRole(String userId, Role role) {
        delegate.setRole(userId, role);
        audit.record(null, null, "user.role", "user", userId, null, AuditTrail.change("role", role));
    }

    @Override
    public User setRole(String actingUserId, String userId, Role role) {
        User changed = delegate.setRole(actingUserId, userId, role);
        byUser(actingUserId, "user.role", userId, AuditTrail.change("email", changed.email(), "role", role));
        return changed;
    }

    @Override
    public User transferOwnership(String actingUserId, String newOwnerId) {
        User owner = delegate.transferOwnership(actingUserId, newOwnerId);
        byUser(actingUserId, "user.owner", newOwnerId, AuditTrail.change("email", owner.email()));
        return owner;
    }

    @Override
    public void removeUser(String actingUserId, String userId) {
        String email = delegate.findUser(userId).map(User::email).orElse(null);
        delegate.removeUser(actingUserId, userId);
        byUser(actingUserId, "user.removed", userId, AuditTrail.change("email", email));
    }
}
