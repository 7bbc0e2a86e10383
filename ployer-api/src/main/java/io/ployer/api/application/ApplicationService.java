package io.ployer.api.application;

import java.util.List;
import java.util.Optional;

/**
 * Applications with their environment variables, domains and deploy keys. Every method validates
 * its input before writing anything and throws {@link io.ployer.api.PloyerException} (type USER,
 * naming the field) on bad input.
 */
public interface ApplicationService {

    /** Creates an application. The name must be unused. */
    Application create(ApplicationSpec spec);

    /** Updates an application; {@code null} fields of the spec keep their value. */
    Application update(String applicationId, ApplicationSpec changes);

    /** The application with this id, if any. */
    Optional<Application> find(String applicationId);

    /** The application with this name, if any. */
    Optional<Application> findByName(String name);

    /** The application with this id, or NOT_FOUND. */
    Application get(String applicationId);

    /** Every application, by name. */
    List<Application> list();

    /**
     * One page of applications by name: at most {@code limit} (1–500) after skipping {@code offset}
     * (≥ 0); INVALID_ARGUMENT naming {@code offset} or {@code limit} otherwise.
     */
    default List<Application> list(int offset, int limit) {
        io.ployer.api.Page.check(offset, limit);
        return list().stream().skip(offset).limit(limit).toList();
    }

    /** How many applications there are. */
    default long count() {
        return list().size();
    }

    /** Deletes an application and everything it owns (env vars, domains, keys, webhooks, history). */
    void delete(String applicationId);

    // --- environment variables ---

    /** The app's variables with their values masked. */
    List<EnvVar> envVars(String applicationId);

    /** The app's variables with plain values; callers must be entitled to see secrets. */
    List<EnvVar> revealEnvVars(String applicationId);

    /** Adds a variable, or replaces the value and flag of an existing key. Returns it masked. */
    EnvVar setEnvVar(String applicationId, String key, String value, boolean buildTime);

    /** Deletes a variable; NOT_FOUND when the key does not exist. */
    void deleteEnvVar(String applicationId, String key);

    // --- domains ---

    /** The app's domains, primary first. */
    List<Domain> domains(String applicationId);

    /** Adds a custom domain (normalised to lower-case ASCII). The first domain becomes primary. */
    Domain addDomain(String applicationId, String hostname);

    /** Removes a domain; NOT_FOUND when the app does not have it. */
    void removeDomain(String applicationId, String hostname);

    /**
     * Checks a domain's DNS: it is verified when the name resolves to an address of this host
     * (or a loopback address). Returns the domain with its new verified flag.
     */
    Domain verifyDomain(String applicationId, String hostname);

    /** Makes one of the app's domains its primary domain. */
    Domain setPrimaryDomain(String applicationId, String hostname);

    // --- https token ---

    /**
     * Sets the token the app clones its https repository with (a personal access or deploy
     * token). It is stored encrypted, passed to git as a credential (never in the URL or a log
     * line) and never returned.
     */
    void setGitToken(String applicationId, String token);

    /** Removes the app's https token; NOT_FOUND when it has none. */
    void clearGitToken(String applicationId);

    // --- deploy keys ---

    /** The app's deploy key (public half only), generating an Ed25519 key on first use. */
    DeployKey deployKey(String applicationId);

    /** Replaces the app's deploy key with a new one of the given algorithm (public half returned). */
    DeployKey regenerateDeployKey(String applicationId, KeyAlgorithm algorithm);

    /** How each of the application's domains is served over TLS (read access). */
    default List<DomainTls> domainTls(String applicationId) {
        throw new UnsupportedOperationException("this application service does not know the proxy's TLS");
    }
}
