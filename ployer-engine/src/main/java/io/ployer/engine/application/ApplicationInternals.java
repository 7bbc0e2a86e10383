package io.ployer.engine.application;

import io.ployer.api.PloyerException;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationStatus;
import io.ployer.api.application.DeployKey;
import io.ployer.api.application.EnvVar;
import io.ployer.engine.network.NetworkTargets;
import io.ployer.engine.secret.SecretCipher;
import io.ployer.engine.secret.SecretRedactor;
import io.ployer.spi.storage.Storage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the engine's own features need of applications and the public API never offers: an
 * application's plain secrets (its environment, git token and private deploy key) for a build, a
 * container and a checkout, the redactor's registration of them, and status writes. The engine
 * builds one and hands it to the deployment pipeline and the git checkout only; no API call returns
 * it, and {@link DefaultApplicationService}, which the API does return, has none of these methods.
 */
public final class ApplicationInternals {
    /** How a stored secret is opened: {@link SecretCipher#decrypt} (a test may count the calls). */
    @FunctionalInterface
    public interface SecretOpener {
        String open(String ownerId, String field, String stored);
    }

    private final Storage storage;
    private final SecretOpener cipher;
    private final SecretRedactor redactor;
    private final Clock clock;
    private final NetworkTargets networkTargets;

    /**
     * @param cipher         the cipher the application service encrypted the secrets with
     * @param networkTargets which hosts repository URLs may name (the checkout checks the host again)
     */
    public ApplicationInternals(Storage storage, SecretCipher cipher, SecretRedactor redactor, Clock clock,
                                NetworkTargets networkTargets) {
        this(storage, (owner, field, stored) -> cipher.decrypt(owner, field, stored), redactor, clock, networkTargets);
    }

    /** As above, with the secrets opened by {@code cipher}. */
    public ApplicationInternals(Storage storage, SecretOpener cipher, SecretRedactor redactor, Clock clock,
                                NetworkTargets networkTargets) {
        this.storage = storage;
        this.cipher = cipher;
        this.redactor = redactor;
        this.clock = clock;
        this.networkTargets = networkTargets;
    }

    /** The application with this id, or NOT_FOUND (as {@link DefaultApplicationService#get}). */
    public Application get(String applicationId) {
        Optional<Application> found = applicationId == null || applicationId.length() > 64 ? Optional.empty()
                : storage.applications().findById(applicationId);
        return found.orElseThrow(() -> PloyerException.notFound("application", String.valueOf(applicationId)));
    }

    /** Which hosts repository URLs may name; the checkout checks the host again right before it clones. */
    public NetworkTargets networkTargets() {
        return networkTargets;
    }

    /** Tells the redactor the app's current secret values, so log lines never show them. */
    public void registerSecrets(String applicationId) {
        Set<String> values = new HashSet<>();
        for (EnvVar envVar : storage.envVars().listByApplication(applicationId)) {
            values.add(cipher.open(applicationId, SecretFields.envVar(envVar.key()), envVar.value()));
        }
        gitToken(applicationId).ifPresent(values::add);
        redactor.forget(applicationId);
        redactor.register(applicationId, values);
    }

    /**
     * Everything a deployment run of the application needs of its secrets, each decrypted once, and
     * registered with the redactor (as {@link #registerSecrets}) so the run's log never shows them.
     */
    public RunSecrets runSecrets(String applicationId) {
        List<RunSecrets.Entry> environment = new ArrayList<>();
        for (EnvVar envVar : storage.envVars().listByApplication(applicationId)) {
            environment.add(new RunSecrets.Entry(envVar.key(),
                    cipher.open(applicationId, SecretFields.envVar(envVar.key()), envVar.value()), envVar.buildTime()));
        }
        RunSecrets secrets = new RunSecrets(environment, gitToken(applicationId).orElse(null),
                privateDeployKey(applicationId).map(DeployKey::privateKey).orElse(null));
        redactor.forget(applicationId);
        redactor.register(applicationId, secrets.loggableValues());
        return secrets;
    }

    /** The app's plain https token, for cloning; empty when it has none. */
    public Optional<String> gitToken(String applicationId) {
        // an application in another environment of the same repository uses its source's token
        String owner = storage.gitCredentials().find(applicationId).isPresent() ? applicationId
                : SharedSource.of(storage, applicationId).orElse(applicationId);
        return storage.gitCredentials().find(owner)
                .map(stored -> cipher.open(owner, SecretFields.GIT_TOKEN, stored));
    }

    /** The app's deploy key with its plain private half, for cloning; empty when it has none. */
    public Optional<DeployKey> privateDeployKey(String applicationId) {
        String owner = storage.deployKeys().find(applicationId).isPresent() ? applicationId
                : SharedSource.of(storage, applicationId).orElse(applicationId);
        return storage.deployKeys().find(owner)
                .map(key -> key.withPrivateKey(cipher.open(owner, SecretFields.DEPLOY_KEY, key.privateKey())));
    }

    /** The app's env vars as plain {@code key → value}, optionally only the build-time ones. */
    public Map<String, String> plainEnvironment(String applicationId, boolean buildTimeOnly) {
        Map<String, String> result = new java.util.TreeMap<>();
        for (EnvVar envVar : storage.envVars().listByApplication(applicationId)) {
            if (!buildTimeOnly || envVar.buildTime()) {
                result.put(envVar.key(), cipher.open(applicationId, SecretFields.envVar(envVar.key()), envVar.value()));
            }
        }
        return result;
    }

    /** Sets the application's status (used by the pipeline). */
    public void setStatus(String applicationId, ApplicationStatus status) {
        storage.inTransaction(tx -> {
            tx.applications().findById(applicationId)
                    .ifPresent(application -> tx.applications().update(application.withStatus(status, clock.instant())));
            return null;
        });
    }
}
