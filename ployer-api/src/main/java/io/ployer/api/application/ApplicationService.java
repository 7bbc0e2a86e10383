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
     * (≥ 0); INVALID_ARGUMENT naming {@code offset} or {@code limit} otherwise (the rules of
     * {@code io.ployer.api.Page}).
     */
    List<Application> list(int offset, int limit);

    /** How many applications there are. */
    default long count() {
        return list().size();
    }

    /** Deletes an application and everything it owns (env vars, domains, keys, webhooks, history). */
    void delete(String applicationId);

    /**
     * Stops the application: its route is removed, then its serving container is stopped (within
     * {@code deploy.stop-timeout}), and the application is {@link ApplicationStatus#STOPPED} until
     * {@link #start(String)} or a new deployment; nothing restarts it meanwhile. Idempotent; INVALID_STATE
     * while a deployment is in progress or when nothing was ever deployed. A default so implementations written
     * before it still load.
     */
    default Application stop(String applicationId) {
        throw new UnsupportedOperationException("stopping applications");
    }

    /**
     * Starts a stopped application's container again and restores its route; the application is
     * {@link ApplicationStatus#RUNNING}. Idempotent; INVALID_STATE while a deployment is in progress or when
     * nothing was ever deployed.
     */
    default Application start(String applicationId) {
        throw new UnsupportedOperationException("starting applications");
    }

    /**
     * Runs {@code replicas} replicas of the application's serving release from now on, without a redeploy. Only on a
     * container runtime that scales (the {@code swarm} runtime): INVALID_STATE on one that does not, while a deployment
     * is in progress, or when nothing was deployed; INVALID_ARGUMENT when {@code replicas} is not between 1 and
     * {@link #MAX_REPLICAS}. A default so implementations written before it still load.
     */
    default Application scale(String applicationId, int replicas) {
        throw new UnsupportedOperationException("scaling applications");
    }

    /** The most replicas {@link #scale} accepts. */
    int MAX_REPLICAS = 100;

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

    /**
     * Adds a domain routed to a service of a Compose application and a port of it ({@code service} and
     * {@code port} may each be {@code null}: see {@link Domain}). A default so older implementations still load:
     * they accept only a plain domain.
     */
    default Domain addDomain(String applicationId, String hostname, String service, Integer port) {
        if (service != null || port != null) {
            throw new UnsupportedOperationException("this application service cannot route a domain to a service or port");
        }
        return addDomain(applicationId, hostname);
    }

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
