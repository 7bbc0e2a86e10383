package io.ployer.engine.preview;

import io.ployer.api.PloyerException;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.application.Domain;
import io.ployer.api.application.EnvVar;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.deployment.DeploymentTrigger;
import io.ployer.api.event.PloyerEvent;
import io.ployer.api.preview.Preview;
import io.ployer.api.preview.PreviewService;
import io.ployer.api.preview.PreviewSettings;
import io.ployer.api.preview.PreviewSettingsChange;
import io.ployer.api.preview.PreviewStatus;
import io.ployer.engine.application.ApplicationRules;
import io.ployer.engine.application.DefaultApplicationService;
import io.ployer.engine.secret.SecretCipher;
import io.ployer.engine.secret.SecretRedactor;
import io.ployer.spi.git.CommitStatus;
import io.ployer.spi.git.WebhookEvent;
import io.ployer.spi.storage.Storage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Preview deployments: a pull request against an application's branch runs as a child application
 * ({@code <app>-pr-<n>}, same build, same project and server) on its own host, with the parent's
 * preview env values, deployed at the pull request's head commit. A push redeploys it, closing the
 * pull request deletes the child (containers, route and images go with it), and so does the expiry.
 */
public final class DefaultPreviewService implements PreviewService, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultPreviewService.class);
    private static final String PREVIEW_SECRETS = "preview:";

    private final Storage storage;
    private final SecretCipher cipher;
    private final SecretRedactor redactor;
    private final Clock clock;
    private final DefaultApplicationService applications;
    private final io.ployer.engine.application.ApplicationInternals internals;
    private final Function<DeploymentRequest, Deployment> deployer;
    private final CommitStatusReporter reporter;
    private final Consumer<PloyerEvent> events;
    /** One pull request event at a time: the limit is counted and the child created atomically. */
    private final Object lock = new Object();

    /** What a pull request event did: a deployment started, or nothing with the reason why (null reason: done). */
    public record Outcome(String deploymentId, String reason, boolean acted) {
        static Outcome skipped(String reason) {
            return new Outcome(null, reason, false);
        }
    }

    public DefaultPreviewService(Storage storage, SecretCipher cipher, SecretRedactor redactor, Clock clock,
                                 DefaultApplicationService applications, io.ployer.engine.application.ApplicationInternals internals,
                                 Function<DeploymentRequest, Deployment> deployer,
                                 Map<String, io.ployer.spi.git.GitProvider> providers,
                                 java.util.function.Supplier<java.net.http.HttpClient> httpClient,
                                 java.util.concurrent.ThreadFactory threadFactory, Consumer<PloyerEvent> events) {
        this.storage = storage;
        this.cipher = cipher;
        this.redactor = redactor;
        this.clock = clock;
        this.applications = applications;
        this.internals = internals;
        this.deployer = deployer;
        this.events = events;
        this.reporter = new CommitStatusReporter(providers, httpClient, storage, internals::gitToken, threadFactory);
        applications.addDeletionListener(this::removeChildrenOf);
    }

    // --- pull request events ---

    /** Acts on a verified pull request event to the application's repository and branch. */
    public Outcome onPullRequest(Application application, String provider, WebhookEvent.PullRequest pullRequest) {
        synchronized (lock) {
            Optional<Preview> existing = storage.previews().find(application.id(), pullRequest.number());
            if (pullRequest.action() == WebhookEvent.PullRequest.Action.CLOSED) {
                if (existing.isEmpty()) {
                    return Outcome.skipped("pull request #" + pullRequest.number() + " was closed; it had no preview");
                }
                remove(existing.get(), "the pull request was closed");
                return new Outcome(null, "pull request #" + pullRequest.number() + " was closed: its preview was removed", true);
            }
            PreviewSettings settings = settings(application.id());
            if (!settings.enabled()) {
                return Outcome.skipped("previews are off for this application");
            }
            if (pullRequest.fork() && !settings.allowForks()) {
                return Outcome.skipped("pull request #" + pullRequest.number() + " comes from a fork, and previews of forks are off "
                        + "for this application (a fork's code would run with the preview env values)");
            }
            if (existing.isPresent() && existing.get().headSha().equals(pullRequest.headSha())
                    && existing.get().status() != PreviewStatus.FAILED && pullRequest.action() == WebhookEvent.PullRequest.Action.UPDATED) {
                return Outcome.skipped("commit " + shortSha(pullRequest.headSha()) + " is already previewed");
            }
            if (existing.isEmpty() && storage.previews().listByApplication(application.id()).size() >= settings.maxPreviews()) {
                return Outcome.skipped("the application already runs " + settings.maxPreviews()
                        + " previews, its limit (max_previews): close a pull request or raise the limit");
            }
            Preview preview = existing.isPresent() ? existing.get() : create(application, provider, pullRequest, settings);
            syncEnvironment(application.id(), preview.previewApplicationId());
            Deployment deployment;
            try {
                deployment = deployer.apply(new DeploymentRequest(preview.previewApplicationId(), DeploymentTrigger.WEBHOOK,
                        pullRequest.headSha()));
            } catch (PloyerException e) {
                if (existing.isEmpty()) {
                    remove(preview, "its first deployment could not start");
                }
                throw e;
            }
            Preview deploying = preview.deploying(pullRequest.headSha(), pullRequest.title(), deployment.id(), clock.instant());
            storage.inTransaction(tx -> {
                tx.previews().update(deploying);
                return null;
            });
            reporter.report(deploying, settings.statusApiUrl(), CommitStatus.State.PENDING,
                    "Deploying the preview of " + shortSha(pullRequest.headSha()));
            events.accept(new PloyerEvent.PreviewChanged(application.id(), deploying.number(), deploying.url(), "deploying",
                    null, clock.instant()));
            return new Outcome(deployment.id(), null, true);
        }
    }

    private Preview create(Application parent, String provider, WebhookEvent.PullRequest pullRequest, PreviewSettings settings) {
        String host = PreviewNames.host(settings.domainPattern(), pullRequest.number(), primaryDomain(parent.id()));
        String gitUrl = pullRequest.fork() && !pullRequest.headCloneUrls().isEmpty()
                ? pullRequest.headCloneUrls().stream().filter(url -> url.startsWith("https://")).findFirst()
                        .orElse(pullRequest.headCloneUrls().get(0))
                : parent.gitUrl();
        Application child = applications.create(new ApplicationSpec(PreviewNames.childName(parent.name(), pullRequest.number()), parent.serverId(),
                gitUrl, pullRequest.headBranch(), parent.buildStrategy(), parent.buildConfig(), parent.port(), false, parent.limits(),
                parent.restartPolicy(), parent.projectId()));
        try {
            applications.addDomain(child.id(), host);
            applications.setPrimaryDomain(child.id(), host);
            if (!pullRequest.fork()) {
                internals.gitToken(parent.id()).ifPresent(token -> applications.setGitToken(child.id(), token));
                copyDeployKey(parent.id(), child.id());
            }
            Instant now = clock.instant();
            Preview preview = new Preview(UUID.randomUUID().toString(), parent.id(), child.id(), provider, pullRequest.number(),
                    pullRequest.title(), pullRequest.headBranch(), pullRequest.headSha(), pullRequest.fork(), pullRequest.repository(),
                    pullRequest.apiUrl(), "https://" + host, PreviewStatus.DEPLOYING, null, null, now, now);
            storage.inTransaction(tx -> {
                tx.previews().insert(preview);
                return null;
            });
            return preview;
        } catch (RuntimeException e) {
            applications.delete(child.id());
            throw e;
        }
    }

    private void copyDeployKey(String parentId, String childId) {
        storage.deployKeys().find(parentId).ifPresent(key -> storage.inTransaction(tx -> {
            String plain = cipher.decrypt(parentId, io.ployer.engine.application.SecretFields.DEPLOY_KEY, key.privateKey());
            tx.deployKeys().upsert(new io.ployer.api.application.DeployKey(childId, key.algorithm(), key.publicKey(),
                    cipher.encrypt(childId, io.ployer.engine.application.SecretFields.DEPLOY_KEY, plain), key.fingerprint(), key.createdAt()));
            return null;
        }));
    }

    /** The child's env values become the parent's preview env values (added, changed, and removed). */
    private void syncEnvironment(String parentId, String childId) {
        List<EnvVar> wanted = revealEnvVars(parentId);
        Map<String, EnvVar> current = applications.revealEnvVars(childId).stream()
                .collect(Collectors.toMap(EnvVar::key, envVar -> envVar));
        for (EnvVar envVar : wanted) {
            EnvVar have = current.remove(envVar.key());
            if (have == null || !have.value().equals(envVar.value()) || have.buildTime() != envVar.buildTime()) {
                applications.setEnvVar(childId, envVar.key(), envVar.value(), envVar.buildTime());
            }
        }
        current.keySet().forEach(key -> applications.deleteEnvVar(childId, key));
    }

    /** Reports and records how a preview's deployment ended. */
    public void onEvent(PloyerEvent event) {
        if (!(event instanceof PloyerEvent.DeploymentStatusChanged changed)
                || !(changed.to() == DeploymentStatus.RUNNING || changed.to() == DeploymentStatus.FAILED
                || changed.to() == DeploymentStatus.CANCELLED)) {
            return;
        }
        Optional<Preview> found = storage.previews().findByDeployment(changed.deploymentId());
        if (found.isEmpty()) {
            // the pull request event may still be recording its deployment: wait for it, then look again
            synchronized (lock) {
                found = storage.previews().findByDeployment(changed.deploymentId());
            }
            if (found.isEmpty()) {
                return;
            }
        }
        synchronized (lock) {
            finished(changed);
        }
    }

    /** Records and reports a preview deployment's end; under the lock, so its "pending" is always queued first. */
    private void finished(PloyerEvent.DeploymentStatusChanged changed) {
        boolean ready = changed.to() == DeploymentStatus.RUNNING;
        Preview updated = storage.inTransaction(tx -> tx.previews().findByDeployment(changed.deploymentId()).map(current -> {
            Preview next = current.withStatus(ready ? PreviewStatus.READY : PreviewStatus.FAILED);
            tx.previews().update(next);
            return next;
        }).orElse(null));
        if (updated == null) {
            return;
        }
        String statusApiUrl = settings(updated.applicationId()).statusApiUrl();
        reporter.report(updated, statusApiUrl, ready ? CommitStatus.State.SUCCESS : CommitStatus.State.FAILURE,
                ready ? "Preview ready at " + updated.url() : "The preview's deployment " + changed.to().name().toLowerCase(java.util.Locale.ROOT)
                        + (changed.reason() == null ? "" : ": " + redactor.redact(changed.reason())));
        events.accept(new PloyerEvent.PreviewChanged(updated.applicationId(), updated.number(), updated.url(),
                ready ? "ready" : "failed", ready || changed.reason() == null ? null : redactor.redact(changed.reason()), clock.instant()));
    }

    // --- the API ---

    @Override
    public List<Preview> list(String applicationId) {
        applications.get(applicationId);
        return storage.previews().listByApplication(applicationId);
    }

    @Override
    public PreviewSettings settings(String applicationId) {
        applications.get(applicationId);
        return storage.previews().settings(applicationId).orElseGet(() -> PreviewSettings.defaults(applicationId));
    }

    @Override
    public PreviewSettings updateSettings(String applicationId, PreviewSettingsChange changes) {
        if (changes == null) {
            throw PloyerException.invalid("body", "is required");
        }
        PreviewSettings updated = settings(applicationId).with(changes);
        PreviewRules.check(updated);
        storage.inTransaction(tx -> {
            tx.previews().putSettings(updated);
            return null;
        });
        return updated;
    }

    @Override
    public List<EnvVar> envVars(String applicationId) {
        applications.get(applicationId);
        return storage.previews().envVars(applicationId).stream().map(EnvVar::masked).toList();
    }

    private List<EnvVar> revealEnvVars(String applicationId) {
        return storage.previews().envVars(applicationId).stream()
                .map(envVar -> envVar.withValue(cipher.decrypt(applicationId, field(envVar.key()), envVar.value()))).toList();
    }

    @Override
    public EnvVar setEnvVar(String applicationId, String key, String value, boolean buildTime) {
        ApplicationRules.envKey(key);
        ApplicationRules.envValue(value);
        applications.get(applicationId);
        String encrypted = cipher.encrypt(applicationId, field(key), value);
        Instant now = clock.instant();
        EnvVar stored = storage.inTransaction(tx -> {
            Optional<EnvVar> existing = tx.previews().findEnvVar(applicationId, key);
            EnvVar envVar = new EnvVar(existing.map(EnvVar::id).orElseGet(() -> UUID.randomUUID().toString()), applicationId, key,
                    encrypted, buildTime, existing.map(EnvVar::createdAt).orElse(now), now);
            tx.previews().upsertEnvVar(envVar);
            return envVar;
        });
        registerSecrets(applicationId);
        return stored.masked();
    }

    @Override
    public void deleteEnvVar(String applicationId, String key) {
        ApplicationRules.envKey(key);
        applications.get(applicationId);
        if (!storage.inTransaction(tx -> tx.previews().deleteEnvVar(applicationId, key))) {
            throw PloyerException.notFound("preview environment variable", key);
        }
        registerSecrets(applicationId);
    }

    /** Tells the redactor every application's preview secrets (at start, and after each change). */
    public void registerSecrets(String applicationId) {
        redactor.forget(PREVIEW_SECRETS + applicationId);
        redactor.register(PREVIEW_SECRETS + applicationId, revealEnvVars(applicationId).stream().map(EnvVar::value).toList());
    }

    @Override
    public void delete(String applicationId, int number) {
        applications.get(applicationId);
        if (number < 1) {
            throw PloyerException.invalid("number", "must be a pull request number (1 to 999999999)");
        }
        synchronized (lock) {
            Preview preview = storage.previews().find(applicationId, number)
                    .orElseThrow(() -> PloyerException.notFound("preview of pull request", String.valueOf(number)));
            remove(preview, "it was deleted");
        }
    }

    @Override
    public int expire() {
        Instant now = clock.instant();
        int removed = 0;
        synchronized (lock) {
            for (Preview preview : storage.previews().listAll()) {
                int days = storage.previews().settings(preview.applicationId()).map(PreviewSettings::expireDays)
                        .orElse(PreviewSettings.DEFAULT_EXPIRE_DAYS);
                if (!preview.lastActivityAt().plus(Duration.ofDays(days)).isAfter(now)) {
                    remove(preview, "no pull request activity for " + days + " days");
                    removed++;
                }
            }
        }
        return removed;
    }

    private void remove(Preview preview, String why) {
        LOG.info("removing the preview of pull request #{} of application {}: {}", preview.number(), preview.applicationId(), why);
        if (storage.applications().findById(preview.previewApplicationId()).isPresent()) {
            applications.delete(preview.previewApplicationId()); // its containers, route and images; the preview row cascades
        }
        storage.inTransaction(tx -> tx.previews().delete(preview.id()));
        events.accept(new PloyerEvent.PreviewChanged(preview.applicationId(), preview.number(), preview.url(), "removed", why,
                clock.instant()));
    }

    /** Before an application goes: its previews go first (a preview's own deletion needs nothing more). */
    private void removeChildrenOf(Application application) {
        for (Preview preview : storage.previews().listByApplication(application.id())) {
            remove(preview, "its application was deleted");
        }
        redactor.forget(PREVIEW_SECRETS + application.id());
    }

    private Optional<String> primaryDomain(String applicationId) {
        return applications.domains(applicationId).stream().filter(Domain::primary).map(Domain::hostname).findFirst();
    }

    /** Preview env values under the primary key (after a key rotation); returns how many were rewritten. */
    public static int reencrypt(Storage tx, SecretCipher cipher) {
        int rewritten = 0;
        try {
            for (Application application : tx.applications().list()) {
                for (EnvVar envVar : tx.previews().envVars(application.id())) {
                    if (cipher.needsReencryption(envVar.value())) {
                        tx.previews().upsertEnvVar(envVar.withValue(cipher.reencrypt(application.id(), field(envVar.key()), envVar.value())));
                        rewritten++;
                    }
                }
            }
        } catch (UnsupportedOperationException noPreviews) {
            return 0;
        }
        return rewritten;
    }

    private static String field(String key) {
        return "preview-env:" + key;
    }

    private static String shortSha(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }

    @Override
    public void close() {
        reporter.close();
    }
}
