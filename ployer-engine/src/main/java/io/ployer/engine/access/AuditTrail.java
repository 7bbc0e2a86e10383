package io.ployer.engine.access;

import io.ployer.api.account.AccountService.Principal;
import io.ployer.api.account.User;
import io.ployer.api.audit.AuditEntry;
import io.ployer.spi.storage.Storage;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The engine's own audit entries: every write through a principal's view ({@link PrincipalView})
 * and every account event (login, failed login, key created or revoked, role and setting changes)
 * is recorded here, whoever called (REST, an embedder, the CLI). Entries carry status 0 (no HTTP
 * status in the engine); {@code change} holds only values that are never secret: names, keys (not
 * values), branches, roles, URLs with any credentials masked. A caller passes no secret in, so
 * nothing is masked after the fact.
 */
public final class AuditTrail {
    /** What a masked value reads. */
    public static final String MASK = "********";
    private static final Pattern URL_CREDENTIALS = Pattern.compile("//[^/@\\s]+@");

    private final Storage storage;
    private final Clock clock;

    public AuditTrail(Storage storage, Clock clock) {
        this.storage = storage;
        this.clock = clock;
    }

    /** Records what {@code principal} (null: the system) did from {@code clientAddress}. */
    public void record(Principal principal, String clientAddress, String action, String resourceType, String resourceId,
                       String projectId, Map<String, String> change) {
        String actor = principal == null ? "system" : principal.user().email();
        append(new AuditEntry(0, clock.instant(), principal == null ? null : principal.user().id(), actor,
                principal != null && principal.apiKey(), clientAddress, action, resourceType, resourceId, projectId, 0, change));
    }

    /** Records what a user did (an account event: the user is known, the credential not). */
    public void recordUser(User user, String clientAddress, String action, String resourceType, String resourceId,
                           Map<String, String> change) {
        append(new AuditEntry(0, clock.instant(), user == null ? null : user.id(), user == null ? "anonymous" : user.email(),
                false, clientAddress, action, resourceType, resourceId, null, 0, change));
    }

    private void append(AuditEntry entry) {
        try {
            storage.audit().append(entry);
        } catch (UnsupportedOperationException e) {
            // a storage without an audit log
        }
    }

    /** {@code key, value, key, value …} as a change, null values left out, URL credentials masked. */
    public static Map<String, String> change(Object... keysAndValues) {
        Map<String, String> change = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            Object value = keysAndValues[i + 1];
            if (value != null) {
                String text = URL_CREDENTIALS.matcher(String.valueOf(value)).replaceAll("//" + MASK + "@");
                change.put(String.valueOf(keysAndValues[i]), text.length() > 300 ? text.substring(0, 300) + "…" : text);
            }
        }
        return change;
    }
}
