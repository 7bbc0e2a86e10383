package io.ployer.engine.webhook;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.Application;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.deployment.DeploymentTrigger;
import io.ployer.api.event.PloyerEvent;
import io.ployer.api.webhook.WebhookDeliveryStatus;
import io.ployer.spi.git.GitProvider;
import io.ployer.spi.git.Verification;
import io.ployer.spi.git.WebhookEvent;
import io.ployer.spi.git.WebhookRequest;
import java.util.Map;
import java.util.function.Function;
import io.ployer.api.webhook.Webhook;
import io.ployer.api.webhook.WebhookDelivery;
import io.ployer.api.webhook.WebhookService;
import io.ployer.engine.application.SecretFields;
import io.ployer.engine.secret.SecretCipher;
import io.ployer.engine.source.GitUrlRules;
import io.ployer.spi.storage.Storage;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;

/** Webhook configuration (with generated, encrypted secrets) and delivery history. */
public final class DefaultWebhookService implements WebhookService {
    /** Secrets are 32 random bytes, hex-encoded. */
    static final int SECRET_BYTES = 32;

    private final Storage storage;
    private final SecretCipher cipher;
    private final Clock clock;
    private final Map<String, GitProvider> gitProviders;
    private final Set<String> providers;
    private final Consumer<String> requireApplication;
    private final Function<DeploymentRequest, Deployment> deployer;
    private final Consumer<PloyerEvent> events;
    private final SecureRandom random = new SecureRandom();
    private volatile PullRequestHandler pullRequests;

    /** Acts on a verified pull request event to an application's repository and branch (previews). */
    @FunctionalInterface
    public interface PullRequestHandler {
        /**
         * @return the deployment started (or null) and a reason; {@code acted} false records the delivery as skipped
         */
        io.ployer.engine.preview.DefaultPreviewService.Outcome handle(Application application, String provider,
                                                                     WebhookEvent.PullRequest pullRequest);
    }

    /** Pull request events go to {@code handler} (without one they are recorded as skipped). */
    public void setPullRequestHandler(PullRequestHandler handler) {
        this.pullRequests = handler;
    }

    public DefaultWebhookService(Storage storage, SecretCipher cipher, Clock clock, Map<String, GitProvider> gitProviders,
                                 Consumer<String> requireApplication, Function<DeploymentRequest, Deployment> deployer,
                                 Consumer<PloyerEvent> events) {
        this.storage = storage;
        this.cipher = cipher;
        this.clock = clock;
        this.gitProviders = Map.copyOf(gitProviders);
        this.providers = Set.copyOf(gitProviders.keySet());
        this.requireApplication = requireApplication;
        this.deployer = deployer;
        this.events = events;
    }

    @Override
    public WebhookDelivery receive(String provider, String applicationId, byte[] body, Map<String, List<String>> headers) {
        if (provider == null || !gitProviders.containsKey(provider)) {
            throw PloyerException.notFound("webhook provider", String.valueOf(provider));
        }
        if (applicationId == null || applicationId.isBlank()) {
            throw PloyerException.invalid("app_id", "is required");
        }
        Application application = storage.applications().findById(applicationId.length() > 64 ? "" : applicationId)
                .orElseThrow(() -> PloyerException.notFound("application", applicationId));
        Webhook webhook = storage.webhooks().findByApplication(application.id())
                .filter(configured -> configured.provider().equals(provider))
                .orElseThrow(() -> PloyerException.notFound(provider + " webhook of application", application.id()));
        GitProvider gitProvider = gitProviders.get(provider);
        WebhookRequest request = new WebhookRequest(body, headers);
        String deliveryId = gitProvider.deliveryId(request).map(id -> id.length() > 200 ? id.substring(0, 200) : id).orElse(null);
        String secret = cipher.decrypt(application.id(), SecretFields.WEBHOOK_SECRET, webhook.secret());
        Verification verification = gitProvider.verify(request, secret);
        if (verification instanceof Verification.Rejected rejected) {
            record(webhook, deliveryId, null, WebhookDeliveryStatus.FAILED, rejected.reason(), null, null);
            throw new PloyerException(StandardErrorCode.WEBHOOK_REJECTED, "the delivery could not be verified: " + rejected.reason());
        }
        WebhookEvent event;
        try {
            event = forBranch(gitProvider.parseAll(request), application.branch());
        } catch (PloyerException e) {
            record(webhook, deliveryId, null, WebhookDeliveryStatus.FAILED, e.getMessage(), null, null);
            throw e;
        }
        // Record first, atomically with the duplicate check, so two copies of one delivery never both deploy.
        WebhookDelivery recorded = storage.inTransaction(tx -> {
            if (deliveryId != null && tx.webhookDeliveries().findByDeliveryId(application.id(), deliveryId).isPresent()) {
                return insert(tx, webhook, deliveryId, event, WebhookDeliveryStatus.SKIPPED,
                        "duplicate delivery " + deliveryId + ": already handled", null);
            }
            String skip = skipReason(application, webhook, event);
            return insert(tx, webhook, deliveryId, event, skip == null ? WebhookDeliveryStatus.SUCCESS : WebhookDeliveryStatus.SKIPPED,
                    skip, null);
        });
        if (recorded.status() == WebhookDeliveryStatus.SUCCESS && event instanceof WebhookEvent.Push push) {
            try {
                // Deploy the branch head, not the pushed id: deliveries may arrive out of order, and the head at
                // clone time is always at least as new as any push announced so far.
                Deployment deployment = deployer.apply(new DeploymentRequest(application.id(), DeploymentTrigger.WEBHOOK, null));
                recorded = withDeployment(recorded, deployment.id(), WebhookDeliveryStatus.SUCCESS, null);
            } catch (PloyerException e) {
                recorded = withDeployment(recorded, null, WebhookDeliveryStatus.FAILED, "could not start a deployment: " + e.getMessage());
            }
            WebhookDelivery finalRecord = recorded;
            storage.inTransaction(tx -> {
                tx.webhookDeliveries().update(finalRecord);
                return null;
            });
        } else if (recorded.status() == WebhookDeliveryStatus.SUCCESS && event instanceof WebhookEvent.PullRequest pullRequest) {
            try {
                var outcome = pullRequests.handle(application, provider, pullRequest);
                recorded = withDeployment(recorded, outcome.deploymentId(),
                        outcome.acted() ? WebhookDeliveryStatus.SUCCESS : WebhookDeliveryStatus.SKIPPED, outcome.reason());
            } catch (PloyerException e) {
                recorded = withDeployment(recorded, null, WebhookDeliveryStatus.FAILED, "could not deploy the preview: " + e.getMessage());
            }
            WebhookDelivery finalRecord = recorded;
            storage.inTransaction(tx -> {
                tx.webhookDeliveries().update(finalRecord);
                return null;
            });
        }
        events.accept(new PloyerEvent.WebhookReceived(application.id(), recorded.deliveryId(), recorded.status(), recorded.reason(),
                clock.instant()));
        return recorded;
    }

    /**
     * The change of a delivery to act on: the push to the application's branch wherever it stands among the
     * payload's changes, else that branch's deletion, else the first push (recorded as skipped for its branch),
     * else the first event.
     */
    static WebhookEvent forBranch(List<WebhookEvent> events, String branch) {
        if (events == null || events.isEmpty()) {
            throw PloyerException.invalid("body", "names no change");
        }
        return events.stream().filter(event -> event instanceof WebhookEvent.Push push && push.branch().equals(branch)).findFirst()
                .or(() -> events.stream().filter(event -> event instanceof WebhookEvent.BranchDeleted deleted
                        && deleted.branch().equals(branch)).findFirst())
                .or(() -> events.stream().filter(WebhookEvent.Push.class::isInstance).findFirst())
                .orElse(events.get(0));
    }

    private String skipReason(Application application, Webhook webhook, WebhookEvent event) {
        if (!webhook.enabled()) {
            return "the webhook is disabled";
        }
        if (event instanceof WebhookEvent.PullRequest pullRequest) {
            if (application.gitUrl() != null && !pullRequest.repositoryUrls().isEmpty()
                    && !RepositoryIdentity.anyMatches(application.gitUrl(), pullRequest.repositoryUrls())) {
                return "pull request to repository " + GitUrlRules.redactUrl(pullRequest.repositoryUrls().get(0))
                        + ", the application deploys " + GitUrlRules.redactUrl(application.gitUrl());
            }
            // a close always reaches the preview (its pull request may have been retargeted since it opened)
            if (!pullRequest.baseBranch().equals(application.branch()) && pullRequest.action() != WebhookEvent.PullRequest.Action.CLOSED) {
                return "pull request #" + pullRequest.number() + " targets branch '" + pullRequest.baseBranch()
                        + "', the application deploys '" + application.branch() + "'";
            }
            if (!pullRequest.headSha().matches("[0-9a-f]{7,40}")) {
                return "the pull request names no valid head commit";
            }
            return pullRequests == null ? "previews are not available on this Ployer" : null;
        }
        if (event instanceof WebhookEvent.Push push) {
            if (application.gitUrl() != null && !push.repositoryUrls().isEmpty()
                    && !RepositoryIdentity.anyMatches(application.gitUrl(), push.repositoryUrls())) {
                return "push to repository " + GitUrlRules.redactUrl(push.repositoryUrl()) + ", the application deploys "
                        + GitUrlRules.redactUrl(application.gitUrl());
            }
            if (!push.branch().equals(application.branch())) {
                return "push to branch '" + push.branch() + "', the application deploys '" + application.branch() + "'";
            }
            if (!push.commitSha().matches("[0-9a-f]{7,40}")) {
                return "the push names no valid commit";
            }
            return application.autoDeploy() ? null : "auto-deploy is off for this application";
        }
        if (event instanceof WebhookEvent.Ping) {
            return "ping: the webhook is set up";
        }
        if (event instanceof WebhookEvent.TagPush tag) {
            return "tag push (" + tag.tag() + "): only branch pushes deploy";
        }
        if (event instanceof WebhookEvent.BranchDeleted deleted) {
            return "branch '" + deleted.branch() + "' was deleted";
        }
        return "event '" + ((WebhookEvent.Other) event).kind() + "' does not deploy";
    }

    private void record(Webhook webhook, String deliveryId, WebhookEvent event, WebhookDeliveryStatus status, String reason,
                        String branch, String deploymentId) {
        storage.inTransaction(tx -> insert(tx, webhook, deliveryId, event, status, reason, deploymentId));
    }

    private WebhookDelivery insert(Storage tx, Webhook webhook, String deliveryId, WebhookEvent event, WebhookDeliveryStatus status,
                                   String reason, String deploymentId) {
        WebhookEvent.Push push = event instanceof WebhookEvent.Push pushed ? pushed : null;
        if (event instanceof WebhookEvent.PullRequest pullRequest) {
            // the head branch and commit, who opened it, and its title
            push = new WebhookEvent.Push(pullRequest.headBranch(), pullRequest.headSha(), pullRequest.author(),
                    "#" + pullRequest.number() + (pullRequest.title() == null ? "" : " " + pullRequest.title()), null,
                    pullRequest.repositoryUrls());
        }
        WebhookDelivery delivery = new WebhookDelivery(UUID.randomUUID().toString(), webhook.id(), webhook.applicationId(), deliveryId,
                eventName(event), status, clip(reason), push == null ? null : clip(push.branch()), push == null ? null : clip(push.commitSha()),
                push == null ? null : clip(push.author()), push == null ? null : clip(push.message()), deploymentId, clock.instant(),
                push == null ? null : clip(GitUrlRules.redactUrl(push.repositoryUrl())));
        tx.webhookDeliveries().insert(delivery);
        return delivery;
    }

    private static WebhookDelivery withDeployment(WebhookDelivery delivery, String deploymentId, WebhookDeliveryStatus status, String reason) {
        return new WebhookDelivery(delivery.id(), delivery.webhookId(), delivery.applicationId(), delivery.deliveryId(), delivery.event(),
                status, reason, delivery.branch(), delivery.commitSha(), delivery.author(), delivery.message(), deploymentId,
                delivery.receivedAt(), delivery.repository());
    }

    private static String eventName(WebhookEvent event) {
        if (event == null) {
            return null;
        }
        if (event instanceof WebhookEvent.Push) {
            return "push";
        } else if (event instanceof WebhookEvent.TagPush) {
            return "tag";
        } else if (event instanceof WebhookEvent.BranchDeleted) {
            return "delete";
        } else if (event instanceof WebhookEvent.Ping) {
            return "ping";
        } else if (event instanceof WebhookEvent.PullRequest pullRequest) {
            return "pull_request " + pullRequest.action().name().toLowerCase(java.util.Locale.ROOT);
        }
        return ((WebhookEvent.Other) event).kind();
    }

    private static String clip(String value) {
        return value == null || value.length() <= 1000 ? value : value.substring(0, 1000);
    }

    @Override
    public Webhook create(String applicationId, String provider) {
        if (provider == null || !providers.contains(provider)) {
            throw PloyerException.invalid("provider", "must be one of " + new TreeSet<>(providers));
        }
        requireApplication.accept(applicationId);
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        String secret = HexFormat.of().formatHex(bytes);
        Webhook stored = storage.inTransaction(tx -> {
            Optional<Webhook> existing = tx.webhooks().findByApplication(applicationId);
            Webhook webhook = new Webhook(existing.map(Webhook::id).orElseGet(() -> UUID.randomUUID().toString()),
                    applicationId, provider, cipher.encrypt(applicationId, SecretFields.WEBHOOK_SECRET, secret), true,
                    clock.instant());
            tx.webhooks().upsert(webhook);
            return webhook;
        });
        return stored.withSecret(secret);
    }

    @Override
    public Webhook setEnabled(String applicationId, boolean enabled) {
        requireApplication.accept(applicationId);
        Webhook changed = storage.inTransaction(tx -> {
            Webhook existing = tx.webhooks().findByApplication(applicationId)
                    .orElseThrow(() -> PloyerException.notFound("webhook of application", applicationId));
            Webhook updated = new Webhook(existing.id(), existing.applicationId(), existing.provider(), existing.secret(), enabled,
                    existing.createdAt());
            tx.webhooks().upsert(updated);
            return updated;
        });
        return changed.withSecret(null);
    }

    @Override
    public Optional<Webhook> find(String applicationId) {
        requireApplication.accept(applicationId);
        return storage.webhooks().findByApplication(applicationId).map(webhook -> webhook.withSecret(null));
    }

    @Override
    public Optional<Webhook> reveal(String applicationId) {
        requireApplication.accept(applicationId);
        return storage.webhooks().findByApplication(applicationId).map(webhook -> webhook.withSecret(
                cipher.decrypt(applicationId, SecretFields.WEBHOOK_SECRET, webhook.secret())));
    }

    @Override
    public void delete(String applicationId) {
        requireApplication.accept(applicationId);
        boolean deleted = storage.inTransaction(tx -> tx.webhooks().delete(applicationId));
        if (!deleted) {
            throw PloyerException.notFound("webhook of application", applicationId);
        }
    }

    @Override
    public List<WebhookDelivery> deliveries(String applicationId, int limit) {
        requireApplication.accept(applicationId);
        if (limit < 1 || limit > 1000) {
            throw PloyerException.invalid("limit", "must be within 1..1000");
        }
        return storage.webhookDeliveries().listByApplication(applicationId, limit);
    }
}
