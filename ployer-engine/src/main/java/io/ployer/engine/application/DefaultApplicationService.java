package io.ployer.engine.application;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationService;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.application.ApplicationStatus;
import io.ployer.api.application.DeployKey;
import io.ployer.api.application.Domain;
import io.ployer.api.application.EnvVar;
import io.ployer.api.application.KeyAlgorithm;
import io.ployer.api.application.RestartPolicy;
import io.ployer.engine.secret.SecretCipher;
import io.ployer.engine.secret.SecretRedactor;
import io.ployer.engine.source.DeployKeys;
import io.ployer.engine.network.NetworkTargets;
import io.ployer.engine.source.GitUrlRules;
import io.ployer.spi.build.BuildStrategy;
import io.ployer.spi.storage.Storage;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Applications, env vars, domains and deploy keys on top of {@link Storage}. Every input is
 * validated before the first write; writes that belong together run in one transaction.
 */
public final class DefaultApplicationService implements ApplicationService {
    static final String DEFAULT_BRANCH = "main";
    static final String DEFAULT_STRATEGY = "dockerfile";
    static final int DEFAULT_PORT = 8080;

    private final Storage storage;
    private final SecretCipher cipher;
    private final SecretRedactor redactor;
    private final Clock clock;
    private final Map<String, BuildStrategy> buildStrategies;
    private final GitUrlRules.Policy gitUrls;
    private final NetworkTargets networkTargets;
    private final Optional<String> baseDomain;
    private final List<ApplicationDeletionListener> deletionListeners = new CopyOnWriteArrayList<>();
    private final ApplicationInternals internals; // secrets and status writes it uses itself but never offers
    private volatile RunControl runControl;

    private final ApplicationDomains domains;
    private final ApplicationCredentials credentials;

    public DefaultApplicationService(Storage storage, SecretCipher cipher, SecretRedactor redactor, Clock clock,
                                     Map<String, BuildStrategy> buildStrategies, boolean allowFileGitUrls,
                                     boolean allowWildcardDomains, Optional<String> baseDomain) {
        this(storage, cipher, redactor, clock, buildStrategies, new GitUrlRules.Policy(allowFileGitUrls, false),
                NetworkTargets.defaults(), allowWildcardDomains, baseDomain);
    }

    /**
     * @param gitUrls        which repository URL schemes are accepted
     * @param networkTargets which hosts a repository URL may name (checked when the URL is set)
     */
    public DefaultApplicationService(Storage storage, SecretCipher cipher, SecretRedactor redactor, Clock clock,
                                     Map<String, BuildStrategy> buildStrategies, GitUrlRules.Policy gitUrls,
                                     NetworkTargets networkTargets, boolean allowWildcardDomains, Optional<String> baseDomain) {
        this.storage = storage;
        this.cipher = cipher;
        this.redactor = redactor;
        this.clock = clock;
        this.buildStrategies = Map.copyOf(buildStrategies);
        this.gitUrls = gitUrls;
        this.networkTargets = networkTargets;
        this.domains = new ApplicationDomains(storage, clock, allowWildcardDomains, this::get);
        this.credentials = new ApplicationCredentials(storage, cipher, redactor, clock);
        this.baseDomain = baseDomain;
        this.internals = new ApplicationInternals(storage, cipher, redactor, clock, networkTargets);
    }

    /** Sets what stops and starts applications (the engine's pipeline). */
    public void runControl(RunControl control) {
        this.runControl = control;
    }

    @Override
    public Application stop(String applicationId) {
        return requireRunControl().stop(applicationId);
    }

    @Override
    public Application start(String applicationId) {
        return requireRunControl().start(applicationId);
    }

    @Override
    public Application scale(String applicationId, int replicas) {
        if (replicas < 1 || replicas > MAX_REPLICAS) {
            throw PloyerException.invalid("replicas", "must be a whole number between 1 and " + MAX_REPLICAS);
        }
        return requireRunControl().scale(applicationId, replicas);
    }

    private RunControl requireRunControl() {
        if (runControl == null) {
            throw new PloyerException(StandardErrorCode.CONFIGURATION, "applications cannot be stopped or started without the deployment pipeline");
        }
        return runControl;
    }

    /** What the reverse proxy says about a hostname's TLS ({@code proxied} false: none), and its last certificate check. */
    public void setTls(boolean proxied, java.util.function.Function<String, Optional<io.ployer.spi.proxy.TlsMode>> tls, java.util.function.Function<String, Optional<io.ployer.api.application.CertificateCheck>> checks) {
        domains.setTls(proxied, tls, checks);
    }

    @Override
    public List<io.ployer.api.application.DomainTls> domainTls(String applicationId) {
        return domains.tls(applicationId);
    }

    /** Registers a listener told before each deletion. */
    public void addDeletionListener(ApplicationDeletionListener listener) {
        deletionListeners.add(listener);
    }

    @Override
    public Application create(ApplicationSpec spec) {
        if (spec == null) {
            throw PloyerException.invalid("body", "is required");
        }
        Application candidate = merge(null, spec);
        String autoHost = baseDomain.map(base -> candidate.name() + "." + base).orElse(null);
        if (autoHost != null) {
            ApplicationRules.hostname(autoHost, false);
        }
        return storage.inTransaction(tx -> {
            if (tx.applications().findByName(candidate.name()).isPresent()) {
                throw PloyerException.conflict("name", "an application named '" + candidate.name() + "' already exists");
            }
            if (autoHost != null && tx.domains().findByHostname(autoHost).isPresent()) {
                throw PloyerException.conflict("name", "the domain " + autoHost + " is already used by another application");
            }
            tx.applications().insert(candidate);
            if (autoHost != null) {
                tx.domains().insert(new Domain(UUID.randomUUID().toString(), candidate.id(), autoHost, true, true,
                        false, candidate.createdAt()));
            }
            return candidate;
        });
    }

    @Override
    public Application update(String applicationId, ApplicationSpec changes) {
        if (changes == null) {
            throw PloyerException.invalid("body", "is required");
        }
        Application current = get(applicationId);
        Application updated = merge(current, changes);
        if (!updated.name().equals(current.name())) {
            throw PloyerException.invalid("name", "cannot be changed after creation (it names containers and domains)");
        }
        SharedSource.refuseOwnGitChange(storage, current, updated);
        storage.inTransaction(tx -> {
            tx.applications().update(updated);
            SharedSource.follow(tx, updated);
            return null;
        });
        return updated;
    }

    private Application merge(Application current, ApplicationSpec spec) {
        String name = spec.name() != null ? spec.name() : current == null ? null : current.name();
        ApplicationRules.name(name);
        String strategyName = ApplicationRules.first(spec.buildStrategy(), current == null ? null : current.buildStrategy(), DEFAULT_STRATEGY);
        BuildStrategy strategy = buildStrategies.get(strategyName);
        if (strategy == null) {
            throw PloyerException.invalid("build_strategy", "must be one of " + new TreeSet<>(buildStrategies.keySet()));
        }
        String gitUrl = spec.gitUrl() != null ? ApplicationRules.blankToNull(spec.gitUrl()) : current == null ? null : current.gitUrl();
        if (gitUrl != null) {
            ApplicationRules.maxLength("git_url", gitUrl, 2048);
            GitUrlRules.validateUrl(gitUrl, gitUrls);
            if (spec.gitUrl() != null) {
                GitUrlRules.host(gitUrl).ifPresent(host -> networkTargets.checkIfResolvable(host, "git_url"));
            }
        } else if (strategy.needsSource()) {
            throw PloyerException.invalid("git_url", "is required by the '" + strategyName + "' build strategy");
        }
        String branch = ApplicationRules.first(spec.branch(), current == null ? null : current.branch(), DEFAULT_BRANCH);
        ApplicationRules.maxLength("branch", branch, 255);
        GitUrlRules.validateBranch(branch);
        Map<String, String> buildConfig = spec.buildConfig() != null ? spec.buildConfig()
                : current == null ? Map.of() : current.buildConfig();
        ApplicationRules.buildConfigShape(buildConfig);
        for (String key : buildConfig.keySet()) {
            if (!strategy.configKeys().contains(key)) {
                throw PloyerException.invalid("build_config." + key,
                        "unknown key for the '" + strategyName + "' strategy (known: " + new TreeSet<>(strategy.configKeys()) + ")");
            }
        }
        strategy.validate(buildConfig);
        ApplicationRules.port(spec.port());
        int port = spec.port() != null ? spec.port() : current == null ? DEFAULT_PORT : current.port();
        ApplicationRules.limits(spec.limits());
        String serverId = spec.serverId() != null ? ApplicationRules.blankToNull(spec.serverId()) : current == null ? null : current.serverId();
        if (serverId != null) {
            ApplicationRules.maxLength("server_id", serverId, 64);
            if (storage.servers().findById(serverId).isEmpty()) {
                throw PloyerException.invalid("server_id", "must name an existing server");
            }
        }
        String projectId = spec.projectId() != null ? spec.projectId()
                : current == null ? io.ployer.api.access.Project.DEFAULT_ID : current.projectId();
        if (current == null || !projectId.equals(current.projectId())) {
            ApplicationRules.maxLength("project_id", projectId, 64);
            if (!projectExists(projectId)) {
                throw PloyerException.invalid("project_id", "must name an existing project");
            }
        }
        Instant now = clock.instant();
        return new Application(
                current == null ? UUID.randomUUID().toString() : current.id(),
                name,
                serverId,
                gitUrl,
                branch,
                strategyName,
                buildConfig,
                port,
                spec.autoDeploy() != null ? spec.autoDeploy() : current == null || current.autoDeploy(),
                spec.limits() != null ? spec.limits() : current == null ? null : current.limits(),
                spec.restartPolicy() != null ? spec.restartPolicy()
                        : current == null ? RestartPolicy.UNLESS_STOPPED : current.restartPolicy(),
                current == null ? ApplicationStatus.CREATED : current.status(),
                current == null ? now : current.createdAt(),
                now,
                projectId);
    }

    /** Whether the project exists; a storage without projects knows only {@code default}. */
    private boolean projectExists(String projectId) {
        try {
            return storage.projects().find(projectId).isPresent();
        } catch (UnsupportedOperationException e) {
            return io.ployer.api.access.Project.DEFAULT_ID.equals(projectId);
        }
    }

    @Override
    public Optional<Application> find(String applicationId) {
        if (applicationId == null || applicationId.length() > 64) {
            return Optional.empty();
        }
        return storage.applications().findById(applicationId);
    }

    @Override
    public Optional<Application> findByName(String name) {
        if (name == null || name.length() > 63) {
            return Optional.empty();
        }
        return storage.applications().findByName(name);
    }

    @Override
    public Application get(String applicationId) {
        return find(applicationId).orElseThrow(() -> PloyerException.notFound("application", String.valueOf(applicationId)));
    }

    @Override
    public List<Application> list() {
        return storage.applications().list();
    }

    @Override
    public List<Application> list(int offset, int limit) {
        io.ployer.api.Page.check(offset, limit);
        return storage.applications().list(offset, limit);
    }

    @Override
    public long count() {
        return storage.applications().count();
    }

    @Override
    public void delete(String applicationId) {
        Application application = get(applicationId);
        for (ApplicationDeletionListener listener : deletionListeners) {
            listener.beforeDelete(application);
        }
        storage.inTransaction(tx -> tx.applications().delete(application.id()));
        redactor.forget(application.id());
    }

    @Override
    public List<EnvVar> envVars(String applicationId) {
        get(applicationId);
        return storage.envVars().listByApplication(applicationId).stream().map(EnvVar::masked).toList();
    }

    @Override
    public List<EnvVar> revealEnvVars(String applicationId) {
        get(applicationId);
        return storage.envVars().listByApplication(applicationId).stream()
                .map(envVar -> envVar.withValue(cipher.decrypt(applicationId, SecretFields.envVar(envVar.key()), envVar.value())))
                .toList();
    }

    @Override
    public EnvVar setEnvVar(String applicationId, String key, String value, boolean buildTime) {
        ApplicationRules.envKey(key);
        ApplicationRules.envValue(value);
        get(applicationId);
        String encrypted = cipher.encrypt(applicationId, SecretFields.envVar(key), value);
        Instant now = clock.instant();
        EnvVar stored = storage.inTransaction(tx -> {
            Optional<EnvVar> existing = tx.envVars().find(applicationId, key);
            EnvVar envVar = new EnvVar(existing.map(EnvVar::id).orElseGet(() -> UUID.randomUUID().toString()),
                    applicationId, key, encrypted, buildTime, existing.map(EnvVar::createdAt).orElse(now), now);
            tx.envVars().upsert(envVar);
            return envVar;
        });
        registerSecrets(applicationId);
        return stored.masked();
    }

    @Override
    public void deleteEnvVar(String applicationId, String key) {
        ApplicationRules.envKey(key);
        get(applicationId);
        boolean deleted = storage.inTransaction(tx -> tx.envVars().delete(applicationId, key));
        if (!deleted) {
            throw PloyerException.notFound("environment variable", key);
        }
        registerSecrets(applicationId);
    }

    /** Tells the redactor the app's current secret values, so log lines never show them. */
    private void registerSecrets(String applicationId) {
        internals.registerSecrets(applicationId);
    }

    /** Told an application's id after its domains were added or removed (wiring: the reconciler routes them at once). */
    public void onDomainsChanged(java.util.function.Consumer<String> listener) {
        domains.onChange(listener);
    }

    @Override
    public List<Domain> domains(String applicationId) {
        return domains.list(applicationId);
    }

    @Override
    public Domain addDomain(String applicationId, String hostname) {
        return addDomain(applicationId, hostname, null, null);
    }

    @Override
    public Domain addDomain(String applicationId, String hostname, String service, Integer port) {
        return domains.add(applicationId, hostname, service, port);
    }

    @Override
    public void removeDomain(String applicationId, String hostname) {
        domains.remove(applicationId, hostname);
    }

    @Override
    public Domain verifyDomain(String applicationId, String hostname) {
        return domains.verify(applicationId, hostname);
    }

    @Override
    public Domain setPrimaryDomain(String applicationId, String hostname) {
        return domains.setPrimary(applicationId, hostname);
    }

    @Override
    public void setGitToken(String applicationId, String token) {
        credentials.setGitToken(get(applicationId), token);
    }

    @Override
    public void clearGitToken(String applicationId) {
        credentials.clearGitToken(get(applicationId));
        registerSecrets(applicationId);
    }

    @Override
    public DeployKey deployKey(String applicationId) {
        return credentials.deployKey(get(applicationId), this::get);
    }

    @Override
    public DeployKey regenerateDeployKey(String applicationId, KeyAlgorithm algorithm) {
        return credentials.storeNewKey(get(applicationId), algorithm == null ? KeyAlgorithm.ED25519 : algorithm);
    }
}
