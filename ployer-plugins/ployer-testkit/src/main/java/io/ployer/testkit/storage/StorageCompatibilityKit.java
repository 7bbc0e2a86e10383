package io.ployer.testkit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.account.ApiKey;
import io.ployer.api.account.ApiKeyScope;
import io.ployer.api.account.Role;
import io.ployer.api.account.Session;
import io.ployer.api.account.User;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationStatus;
import io.ployer.api.application.DeployKey;
import io.ployer.api.application.Domain;
import io.ployer.api.application.EnvVar;
import io.ployer.api.application.KeyAlgorithm;
import io.ployer.api.application.ResourceLimits;
import io.ployer.api.application.RestartPolicy;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentLogLine;
import io.ployer.api.deployment.DeploymentQuery;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.deployment.DeploymentTrigger;
import io.ployer.api.health.ContainerStats;
import io.ployer.api.health.HealthCheck;
import io.ployer.api.health.HealthCheckResult;
import io.ployer.api.health.HealthStatus;
import io.ployer.api.server.Server;
import io.ployer.api.server.ServerStatus;
import io.ployer.api.webhook.Webhook;
import io.ployer.api.webhook.WebhookDelivery;
import io.ployer.api.webhook.WebhookDeliveryStatus;
import io.ployer.spi.storage.Storage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Storage} plugin must do: CRUD and ordering for every store, unique rules as
 * CONFLICT naming the field, cascades, transactions that commit whole or not at all, concurrent
 * writers that lose nothing, and a backup that restores to an equal database. Extend it and say
 * how to open a storage on a directory (and on a backup file).
 */
public abstract class StorageCompatibilityKit {
    /** A fixed instant, at millisecond precision as storages keep it. */
    protected static final Instant NOW = Instant.parse("2026-03-01T10:15:30.123Z");

    @TempDir
    protected Path directory;
    protected Storage storage;

    /** A storage (not yet started) keeping its data in {@code directory}. */
    protected abstract Storage createStorage(Path directory);

    /** A storage (not yet started) opening the backup written to {@code backupFile}. */
    protected abstract Storage openBackup(Path backupFile);

    @BeforeEach
    void open() {
        storage = createStorage(directory.resolve("db"));
        storage.start();
    }

    @AfterEach
    void close() {
        storage.close();
        storage.close();
    }

    protected static String id() {
        return UUID.randomUUID().toString();
    }

    protected static Application application(String name) {
        return new Application(id(), name, null, "https://git.example.com/" + name + ".git", "main", "dockerfile",
                Map.of("dockerfile", "Dockerfile", "context", "."), 8080, true, new ResourceLimits(64L * 1024 * 1024, 0.5, 32L * 1024 * 1024, 128L),
                RestartPolicy.UNLESS_STOPPED, ApplicationStatus.CREATED, NOW, NOW);
    }

    protected static Deployment deployment(String applicationId, DeploymentStatus status, Instant createdAt) {
        return new Deployment(id(), applicationId, status, DeploymentTrigger.MANUAL, "main", null, null, null, null, null, null,
                null, createdAt, null, null, createdAt);
    }

    protected Application insertApplication(String name) {
        Application application = application(name);
        storage.applications().insert(application);
        return application;
    }

    private static void assertConflict(Runnable write, String field) {
        assertThatThrownBy(write::run).isInstanceOfSatisfying(PloyerException.class, error -> {
            assertThat(error.code()).isEqualTo(StandardErrorCode.CONFLICT);
            assertThat(error.field()).contains(field);
        });
    }

    @Test
    void storesApplicationsWithEveryField() {
        Application application = insertApplication("alpha");
        assertThat(storage.applications().findById(application.id())).contains(application);
        assertThat(storage.applications().findByName("alpha")).contains(application);
        Application changed = new Application(application.id(), "alpha", null, null, "develop", "image", Map.of("image", "x:1"),
                9090, false, ResourceLimits.NONE, RestartPolicy.NO, ApplicationStatus.RUNNING, NOW, NOW.plusSeconds(5));
        storage.applications().update(changed);
        assertThat(storage.applications().findById(application.id())).contains(changed);
        insertApplication("beta");
        assertThat(storage.applications().list()).extracting(Application::name).containsExactly("alpha", "beta");
        assertThat(storage.applications().delete(application.id())).isTrue();
        assertThat(storage.applications().delete(application.id())).isFalse();
        assertThat(storage.applications().findById(application.id())).isEmpty();
    }

    /**
     * Registries (with push targets), configuration files and a deployment's image digest round-trip;
     * push targets and files go with their application.
     */
    @Test
    void storesRegistriesPushTargetsFilesAndImageDigests() {
        Application application = insertApplication("stack");
        var registry = new io.ployer.spi.storage.RegistryStore.StoredRegistry(id(), "registry.example.com:5000", "ci", "ENC:v1:x", NOW, NOW);
        storage.registries().insert(registry);
        assertThat(storage.registries().findById(registry.id())).contains(registry);
        assertThat(storage.registries().findByUrl("registry.example.com:5000")).contains(registry);
        var changed = new io.ployer.spi.storage.RegistryStore.StoredRegistry(registry.id(), registry.url(), null, null, NOW,
                NOW.plusSeconds(1));
        storage.registries().update(changed);
        assertThat(storage.registries().list()).containsExactly(changed);
        var target = new io.ployer.api.registry.PushTarget(application.id(), registry.id(), "team/stack");
        storage.registries().putPushTarget(target);
        storage.registries().putPushTarget(new io.ployer.api.registry.PushTarget(application.id(), registry.id(), "team/other"));
        assertThat(storage.registries().findPushTarget(application.id())).map(io.ployer.api.registry.PushTarget::repository)
                .contains("team/other");
        assertThat(storage.registries().applicationsPushingTo(registry.id())).containsExactly(application.id());

        var file = new io.ployer.spi.storage.ConfigFileStore.StoredFile(id(), application.id(), "/etc/app.ini", "ENC:v1:y", 12, NOW, NOW);
        storage.configFiles().upsert(file);
        storage.configFiles().upsert(new io.ployer.spi.storage.ConfigFileStore.StoredFile(id(), application.id(), "/etc/app.ini",
                "ENC:v1:z", 20, NOW, NOW.plusSeconds(2)));
        assertThat(storage.configFiles().listByApplication(application.id())).singleElement().satisfies(stored -> {
            assertThat(stored.id()).isEqualTo(file.id());
            assertThat(stored.content()).isEqualTo("ENC:v1:z");
            assertThat(stored.size()).isEqualTo(20);
            assertThat(stored.updatedAt()).isEqualTo(NOW.plusSeconds(2));
        });
        assertThat(storage.configFiles().listAll()).hasSize(1);

        Deployment deployment = deployment(application.id(), DeploymentStatus.QUEUED, NOW).withImageDigest("sha256:" + "a".repeat(64));
        storage.deployments().insert(deployment);
        assertThat(storage.deployments().findById(deployment.id())).contains(deployment);
        Deployment updated = deployment.withImageDigest("sha256:" + "b".repeat(64));
        storage.deployments().update(updated);
        assertThat(storage.deployments().findById(deployment.id())).map(Deployment::imageDigest).contains("sha256:" + "b".repeat(64));

        storage.applications().delete(application.id());
        assertThat(storage.registries().findPushTarget(application.id())).isEmpty();
        assertThat(storage.configFiles().listAll()).isEmpty();
        assertThat(storage.registries().delete(registry.id())).isTrue();
        assertThat(storage.registries().list()).isEmpty();
    }

    /** Volumes round-trip, are unique per application by name and container path, and go with their application. */
    @Test
    void storesVolumesOfApplications() {
        Application application = insertApplication("vols");
        Application other = insertApplication("other");
        io.ployer.api.application.Volume data = new io.ployer.api.application.Volume(id(), application.id(), "data",
                io.ployer.api.application.Volume.Kind.NAMED, "ployer-vols_data", "/data", false, true, NOW);
        io.ployer.api.application.Volume files = new io.ployer.api.application.Volume(id(), application.id(), "files",
                io.ployer.api.application.Volume.Kind.BIND, "/srv/files", "/files", true, false, NOW);
        storage.volumes().insert(data);
        storage.volumes().insert(files);
        storage.volumes().insert(new io.ployer.api.application.Volume(id(), other.id(), "data",
                io.ployer.api.application.Volume.Kind.NAMED, "ployer-other_data", "/data", false, false, NOW));
        assertThat(storage.volumes().listByApplication(application.id())).containsExactly(data, files);
        assertThat(storage.volumes().findById(files.id())).contains(files);
        assertThatThrownBy(() -> storage.volumes().insert(new io.ployer.api.application.Volume(id(), application.id(), "data",
                io.ployer.api.application.Volume.Kind.NAMED, "x", "/elsewhere", false, false, NOW)))
                .isInstanceOfSatisfying(PloyerException.class, e -> {
                    assertThat(e.code()).isEqualTo(StandardErrorCode.CONFLICT);
                    assertThat(e.field()).contains("name");
                });
        assertThatThrownBy(() -> storage.volumes().insert(new io.ployer.api.application.Volume(id(), application.id(), "again",
                io.ployer.api.application.Volume.Kind.NAMED, "x", "/data", false, false, NOW)))
                .isInstanceOfSatisfying(PloyerException.class, e -> assertThat(e.field()).contains("container_path"));
        assertThat(storage.volumes().delete(files.id())).isTrue();
        assertThat(storage.volumes().delete(files.id())).isFalse();
        storage.applications().delete(application.id());
        assertThat(storage.volumes().listByApplication(application.id())).isEmpty();
        assertThat(storage.volumes().listAll()).extracting(io.ployer.api.application.Volume::source).containsExactly("ployer-other_data");
    }

    /**
     * Where a storage counts its writes, every committed write (a lone store call or a
     * transaction) moves the count on, and reads, failed writes and rolled-back transactions do
     * not. A storage that does not count answers empty, which tells callers not to cache.
     */
    @Test
    void changeCountMovesWithEveryCommittedWriteAndOnlyThen() {
        if (storage.changeCount().isEmpty()) {
            assertThat(storage.changeCount()).isEmpty();
            return;
        }
        long start = storage.changeCount().getAsLong();
        Application application = insertApplication("counted");
        long afterInsert = storage.changeCount().getAsLong();
        assertThat(afterInsert).isGreaterThan(start);

        storage.applications().list();
        storage.applications().findById(application.id());
        assertThat(storage.changeCount().getAsLong()).isEqualTo(afterInsert);

        assertThatThrownBy(() -> storage.applications().insert(application("counted"))).isInstanceOf(PloyerException.class);
        assertThatThrownBy(() -> storage.inTransaction(tx -> {
            tx.applications().delete(application.id());
            throw new IllegalStateException("roll back");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(storage.changeCount().getAsLong()).isEqualTo(afterInsert);
        assertThat(storage.applications().findById(application.id())).isPresent();

        storage.inTransaction(tx -> {
            tx.applications().update(application.withStatus(ApplicationStatus.RUNNING, NOW.plusSeconds(1)));
            tx.domains().insert(new Domain(id(), application.id(), "counted.example.com", true, false, false, NOW));
            return null;
        });
        assertThat(storage.changeCount().getAsLong()).isGreaterThan(afterInsert);
    }

    /** Pages of applications follow the name order of the full list; the count is the full list's size. */
    @Test
    void applicationsArePagedInNameOrderWithATotal() {
        for (String name : List.of("echo", "alpha", "delta", "bravo", "charlie")) {
            insertApplication(name);
        }
        assertThat(storage.applications().count()).isEqualTo(5);
        assertThat(storage.applications().list(1, 2)).extracting(Application::name).containsExactly("bravo", "charlie");
        assertThat(storage.applications().list(4, 10)).extracting(Application::name).containsExactly("echo");
        assertThat(storage.applications().list(5, 10)).isEmpty();
        assertThat(storage.applications().list(0, 500)).isEqualTo(storage.applications().list());
    }

    /** The deployment count follows the query's filter and ignores its page. */
    @Test
    void deploymentsAreCountedByTheQueryFilter() {
        Application first = insertApplication("counted-one");
        Application second = insertApplication("counted-two");
        for (int i = 0; i < 3; i++) {
            storage.deployments().insert(deployment(first.id(), i == 0 ? DeploymentStatus.FAILED : DeploymentStatus.RUNNING, NOW.plusSeconds(i)));
        }
        storage.deployments().insert(deployment(second.id(), DeploymentStatus.RUNNING, NOW));
        assertThat(storage.deployments().count(new DeploymentQuery(null, null, 0, 1))).isEqualTo(4);
        assertThat(storage.deployments().count(new DeploymentQuery(first.id(), null, 2, 1))).isEqualTo(3);
        assertThat(storage.deployments().count(new DeploymentQuery(first.id(), DeploymentStatus.FAILED, 0, 1))).isEqualTo(1);
    }

    /**
     * Where a storage counts writes per aggregate, a write moves its own aggregate's count, and
     * deleting an application moves the counts of everything it owns.
     */
    @Test
    void aggregateChangeCountsMoveWithWritesToTheAggregate() {
        if (storage.changeCount("applications").isEmpty()) {
            return;
        }
        Application application = insertApplication("aggregated");
        long applications = storage.changeCount("applications").getAsLong();
        long results = storage.changeCount("health_check_results").getAsLong();
        storage.healthCheckResults().insert(new HealthCheckResult(id(), application.id(), HealthStatus.HEALTHY, 3, 200, null, NOW));
        assertThat(storage.changeCount("health_check_results").getAsLong()).isGreaterThan(results);
        storage.applications().update(application.withStatus(ApplicationStatus.RUNNING, NOW.plusSeconds(1)));
        assertThat(storage.changeCount("applications").getAsLong()).isGreaterThan(applications);

        storage.deployments().insert(deployment(application.id(), DeploymentStatus.RUNNING, NOW));
        long deployments = storage.changeCount("deployments").getAsLong();
        storage.applications().delete(application.id());
        assertThat(storage.changeCount("deployments").getAsLong()).isGreaterThan(deployments);
    }

    @Test
    void updatingAMissingRowIsNotFound() {
        assertThatThrownBy(() -> storage.applications().update(application("ghost")))
                .isInstanceOfSatisfying(PloyerException.class, error -> assertThat(error.code()).isEqualTo(StandardErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> storage.deployments().update(deployment(id(), DeploymentStatus.QUEUED, NOW)))
                .isInstanceOfSatisfying(PloyerException.class, error -> assertThat(error.code()).isEqualTo(StandardErrorCode.NOT_FOUND));
    }

    @Test
    void uniqueRulesAreConflictsNamingTheFieldAndWriteNothing() {
        Application alpha = insertApplication("alpha");
        assertConflict(() -> storage.applications().insert(application("alpha")), "name");
        assertThat(storage.applications().list()).hasSize(1);

        storage.domains().insert(new Domain(id(), alpha.id(), "alpha.example.com", true, false, false, NOW));
        Application beta = insertApplication("beta");
        assertConflict(() -> storage.domains().insert(new Domain(id(), beta.id(), "alpha.example.com", false, false, false, NOW)), "hostname");
        assertThat(storage.domains().listByApplication(beta.id())).isEmpty();

        storage.users().insert(new User(id(), "ada@example.com", "hash", Role.ADMIN, NOW));
        assertConflict(() -> storage.users().insert(new User(id(), "ada@example.com", "hash", Role.USER, NOW)), "email");
        assertThat(storage.users().count()).isEqualTo(1);
    }

    @Test
    void envVarsUpsertByKeyAndListInOrder() {
        Application application = insertApplication("env");
        EnvVar first = new EnvVar(id(), application.id(), "B_KEY", "ENC:v1:k:one", false, NOW, NOW);
        storage.envVars().upsert(first);
        storage.envVars().upsert(new EnvVar(id(), application.id(), "A_KEY", "plain", true, NOW, NOW));
        storage.envVars().upsert(new EnvVar(id(), application.id(), "B_KEY", "ENC:v1:k:two", true, NOW, NOW.plusSeconds(1)));
        assertThat(storage.envVars().listByApplication(application.id())).extracting(EnvVar::key).containsExactly("A_KEY", "B_KEY");
        EnvVar updated = storage.envVars().find(application.id(), "B_KEY").orElseThrow();
        assertThat(updated.id()).isEqualTo(first.id());
        assertThat(updated.value()).isEqualTo("ENC:v1:k:two");
        assertThat(updated.buildTime()).isTrue();
        assertThat(storage.envVars().listAll()).hasSize(2);
        assertThat(storage.envVars().delete(application.id(), "A_KEY")).isTrue();
        assertThat(storage.envVars().delete(application.id(), "A_KEY")).isFalse();
    }

    @Test
    void domainsListPrimaryFirst() {
        Application application = insertApplication("dom");
        storage.domains().insert(new Domain(id(), application.id(), "b.example.com", false, false, false, NOW));
        Domain primary = new Domain(id(), application.id(), "z.example.com", true, true, false, NOW);
        storage.domains().insert(primary);
        storage.domains().insert(new Domain(id(), application.id(), "a.example.com", false, false, true, NOW));
        assertThat(storage.domains().listByApplication(application.id())).extracting(Domain::hostname)
                .containsExactly("z.example.com", "a.example.com", "b.example.com");
        storage.domains().update(primary.withVerified(true));
        assertThat(storage.domains().findByHostname("z.example.com")).map(Domain::verified).contains(true);
        assertThat(storage.domains().delete(application.id(), "b.example.com")).isTrue();
        assertThat(storage.domains().listAll()).extracting(Domain::hostname).containsExactly("a.example.com", "z.example.com");
        // A domain of a Compose application keeps the service and port it routes to.
        Domain routed = new Domain(id(), application.id(), "web.example.com", false, false, false, NOW, "web", 8080);
        storage.domains().insert(routed);
        assertThat(storage.domains().findByHostname("web.example.com")).contains(routed);
        storage.domains().update(routed.withVerified(true));
        assertThat(storage.domains().findByHostname("web.example.com")).contains(routed.withVerified(true));
        assertThat(storage.domains().findByHostname("a.example.com")).map(Domain::service).isEmpty();
    }

    @Test
    void deployKeysAreOnePerApplication() {
        Application application = insertApplication("keys");
        DeployKey key = new DeployKey(application.id(), KeyAlgorithm.ED25519, "ssh-ed25519 AAAA one", "ENC:v1:k:private",
                "SHA256:abc", NOW);
        storage.deployKeys().upsert(key);
        DeployKey replaced = new DeployKey(application.id(), KeyAlgorithm.RSA_4096, "ssh-rsa AAAA two", "ENC:v1:k:other",
                "SHA256:def", NOW.plusSeconds(1));
        storage.deployKeys().upsert(replaced);
        assertThat(storage.deployKeys().find(application.id())).contains(replaced);
        assertThat(storage.deployKeys().listAll()).containsExactly(replaced);
        assertThat(storage.deployKeys().delete(application.id())).isTrue();
        assertThat(storage.deployKeys().find(application.id())).isEmpty();
    }

    @Test
    void deploymentsFilterPageAndKeepTheirLogsInOrder() {
        Application one = insertApplication("one");
        Application two = insertApplication("two");
        List<Deployment> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Deployment deployment = deployment(i % 2 == 0 ? one.id() : two.id(),
                    i == 4 ? DeploymentStatus.QUEUED : DeploymentStatus.RUNNING, NOW.plusSeconds(i));
            storage.deployments().insert(deployment);
            made.add(deployment);
        }
        assertThat(storage.deployments().list(DeploymentQuery.all())).extracting(Deployment::id)
                .containsExactly(made.get(4).id(), made.get(3).id(), made.get(2).id(), made.get(1).id(), made.get(0).id());
        assertThat(storage.deployments().list(new DeploymentQuery(one.id(), null, 1, 1))).extracting(Deployment::id)
                .containsExactly(made.get(2).id());
        assertThat(storage.deployments().list(new DeploymentQuery(null, DeploymentStatus.QUEUED, 0, 10))).extracting(Deployment::id)
                .containsExactly(made.get(4).id());
        assertThat(storage.deployments().findByApplicationAndStatus(one.id(), EnumSet.of(DeploymentStatus.RUNNING)))
                .extracting(Deployment::id).containsExactly(made.get(0).id(), made.get(2).id());
        assertThat(storage.deployments().findByStatus(EnumSet.of(DeploymentStatus.QUEUED, DeploymentStatus.RUNNING))).hasSize(5);

        Deployment updated = made.get(0).withStatus(DeploymentStatus.FAILED, NOW.plusSeconds(9)).withFailureReason("boom")
                .withImage("ployer/one:1").withContainer("c1", "127.0.0.1:4000").withCommit("abc1234", "message");
        storage.deployments().update(updated);
        assertThat(storage.deployments().findById(updated.id())).contains(updated);

        for (int i = 0; i < 3; i++) {
            storage.deployments().appendLog(new DeploymentLogLine(updated.id(), i, "build", "line " + i, NOW.plusMillis(i)));
        }
        assertThat(storage.deployments().logs(updated.id())).extracting(DeploymentLogLine::line)
                .containsExactly("line 0", "line 1", "line 2");
    }

    @Test
    void healthChecksResultsAndStatsAreKeptAndPruned() {
        Application application = insertApplication("health");
        HealthCheck check = new HealthCheck(application.id(), "/healthz", 200, 299, Duration.ofSeconds(15), Duration.ofSeconds(5),
                2, 3, 4, Duration.ofSeconds(10), true);
        storage.healthChecks().upsert(check);
        assertThat(storage.healthChecks().find(application.id())).contains(check);
        assertThat(storage.healthChecks().listAll()).containsExactly(check);
        for (int i = 0; i < 4; i++) {
            storage.healthCheckResults().insert(new HealthCheckResult(id(), application.id(), i % 2 == 0 ? HealthStatus.HEALTHY
                    : HealthStatus.UNHEALTHY, 10 + i, i % 2 == 0 ? 200 : null, i % 2 == 0 ? null : "refused", NOW.plusSeconds(i)));
            storage.containerStats().insert(new ContainerStats(id(), application.id(), "c", 1.5 * i, 1024L * i, 4096, i, i,
                    NOW.plusSeconds(i)));
        }
        assertThat(storage.healthCheckResults().latest(application.id(), 2)).extracting(HealthCheckResult::checkedAt)
                .containsExactly(NOW.plusSeconds(3), NOW.plusSeconds(2));
        assertThat(storage.containerStats().range(application.id(), NOW.plusSeconds(1), NOW.plusSeconds(3)))
                .extracting(ContainerStats::sampledAt).containsExactly(NOW.plusSeconds(1), NOW.plusSeconds(2));
        assertThat(storage.healthCheckResults().deleteOlderThan(NOW.plusSeconds(2))).isEqualTo(2);
        assertThat(storage.containerStats().deleteOlderThan(NOW.plusSeconds(3))).isEqualTo(3);
        assertThat(storage.healthCheckResults().latest(application.id(), 10)).hasSize(2);
        assertThat(storage.healthChecks().delete(application.id())).isTrue();
    }

    @Test
    void webhooksAndDeliveries() {
        Application application = insertApplication("hooks");
        Webhook webhook = new Webhook(id(), application.id(), "github", "ENC:v1:k:secret", true, NOW);
        storage.webhooks().upsert(webhook);
        assertThat(storage.webhooks().findByApplication(application.id())).contains(webhook);
        assertThat(storage.webhooks().findById(webhook.id())).contains(webhook);
        // A failed (e.g. forged, unverified) delivery never counts as the handled one for its delivery id.
        storage.webhookDeliveries().insert(new WebhookDelivery(id(), webhook.id(), application.id(), "delivery-1", null,
                WebhookDeliveryStatus.FAILED, "signature does not match", null, null, null, null, null, NOW.minusSeconds(1)));
        assertThat(storage.webhookDeliveries().findByDeliveryId(application.id(), "delivery-1")).isEmpty();
        WebhookDelivery first = new WebhookDelivery(id(), webhook.id(), application.id(), "delivery-1", "push",
                WebhookDeliveryStatus.SUCCESS, null, "main", "abc", "Ada", "fix", null, NOW, "https://git.example.com/o/r.git");
        storage.webhookDeliveries().insert(first);
        assertThat(storage.webhookDeliveries().findByDeliveryId(application.id(), "delivery-1")).contains(first);
        storage.webhookDeliveries().insert(new WebhookDelivery(id(), webhook.id(), application.id(), "delivery-1", "push",
                WebhookDeliveryStatus.SKIPPED, "duplicate", null, null, null, null, null, NOW.plusSeconds(1)));
        assertThat(storage.webhookDeliveries().findByDeliveryId(application.id(), "delivery-1")).map(WebhookDelivery::id)
                .contains(first.id());
        WebhookDelivery linked = new WebhookDelivery(first.id(), webhook.id(), application.id(), "delivery-1", "push",
                WebhookDeliveryStatus.SUCCESS, null, "main", "abc", "Ada", "fix", "deployment-1", NOW, "https://git.example.com/o/r.git");
        storage.webhookDeliveries().update(linked);
        assertThat(storage.webhookDeliveries().listByApplication(application.id(), 10)).hasSize(3).element(1).isEqualTo(linked);
        assertThat(storage.webhooks().delete(application.id())).isTrue();
    }

    @Test
    void serversUsersKeysSessionsAndSettings() {
        Server local = new Server(id(), "box", "localhost", 22, null, null, true, ServerStatus.ONLINE, NOW, NOW);
        Server remote = new Server(id(), "a-remote", "10.0.0.5", 2222, "deploy", "ENC:v1:k:key", false, ServerStatus.UNKNOWN,
                null, NOW);
        storage.servers().insert(remote);
        storage.servers().insert(local);
        assertThat(storage.servers().list()).extracting(Server::name).containsExactly("box", "a-remote");
        assertThat(storage.servers().findLocal()).contains(local);
        storage.servers().update(remote.withStatus(ServerStatus.OFFLINE, NOW.plusSeconds(1)));
        assertThat(storage.servers().findByName("a-remote")).map(Server::status).contains(ServerStatus.OFFLINE);

        User user = new User(id(), "ada@example.com", "$argon2id$hash", Role.ADMIN, NOW);
        storage.users().insert(user);
        ApiKey key = new ApiKey(id(), user.id(), "ci", "ployer_abc", "hash-1", Set.of(ApiKeyScope.READ, ApiKeyScope.DEPLOY), NOW,
                null, null, null);
        storage.apiKeys().insert(key);
        assertThat(storage.apiKeys().findByHash("hash-1")).contains(key);
        assertThat(storage.apiKeys().listByUser(user.id())).containsExactly(key);
        Session session = new Session(id(), user.id(), "token-hash", NOW, NOW.plus(1, ChronoUnit.DAYS), null);
        storage.sessions().insert(session);
        storage.sessions().insert(new Session(id(), user.id(), "old-hash", NOW, NOW.minusSeconds(1), null));
        assertThat(storage.sessions().findByTokenHash("token-hash")).contains(session);
        assertThat(storage.sessions().deleteExpired(NOW)).isEqualTo(1);
        assertThat(storage.sessions().revokeAll(user.id(), NOW.plusSeconds(1))).isEqualTo(1);
        assertThat(storage.sessions().findByTokenHash("token-hash")).map(Session::revokedAt).contains(NOW.plusSeconds(1));

        storage.settings().put("b", "2");
        storage.settings().put("a", "1");
        storage.settings().put("a", "one");
        assertThat(storage.settings().all()).containsExactly(Map.entry("a", "one"), Map.entry("b", "2"));
        assertThat(storage.settings().delete("a")).isTrue();
        assertThat(storage.settings().get("a")).isEmpty();
    }

    @Test
    void deletingAnApplicationDeletesWhatItOwns() {
        Application application = insertApplication("owner");
        storage.envVars().upsert(new EnvVar(id(), application.id(), "KEY", "v", false, NOW, NOW));
        storage.domains().insert(new Domain(id(), application.id(), "owner.example.com", true, false, false, NOW));
        storage.deployKeys().upsert(new DeployKey(application.id(), KeyAlgorithm.ED25519, "ssh-ed25519 A", "p", "f", NOW));
        Deployment deployment = deployment(application.id(), DeploymentStatus.RUNNING, NOW);
        storage.deployments().insert(deployment);
        storage.deployments().appendLog(new DeploymentLogLine(deployment.id(), 0, "build", "x", NOW));
        storage.healthChecks().upsert(HealthCheck.defaults(application.id()));
        storage.webhooks().upsert(new Webhook(id(), application.id(), "github", "s", true, NOW));

        storage.applications().delete(application.id());

        assertThat(storage.envVars().listAll()).isEmpty();
        assertThat(storage.domains().listAll()).isEmpty();
        assertThat(storage.deployKeys().listAll()).isEmpty();
        assertThat(storage.deployments().findById(deployment.id())).isEmpty();
        assertThat(storage.deployments().logs(deployment.id())).isEmpty();
        assertThat(storage.healthChecks().listAll()).isEmpty();
        assertThat(storage.webhooks().listAll()).isEmpty();
    }

    @Test
    void aTransactionCommitsWholeOrNotAtAll() {
        storage.inTransaction(tx -> {
            tx.applications().insert(application("kept-1"));
            tx.applications().insert(application("kept-2"));
            return null;
        });
        assertThatThrownBy(() -> storage.inTransaction(tx -> {
            tx.applications().insert(application("rolled-back"));
            tx.settings().put("rolled", "back");
            throw new IllegalStateException("fail in the middle");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(storage.applications().list()).extracting(Application::name).containsExactly("kept-1", "kept-2");
        assertThat(storage.settings().get("rolled")).isEmpty();
    }

    @Test
    void nestedTransactionsJoinTheOuterOne() {
        assertThatThrownBy(() -> storage.inTransaction(outer -> {
            outer.inTransaction(inner -> {
                inner.applications().insert(application("inner"));
                return null;
            });
            assertThat(outer.applications().findByName("inner")).isPresent();
            throw new IllegalStateException("outer fails after the inner one finished");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(storage.applications().findByName("inner")).isEmpty();
    }

    @Test
    void concurrentWritersLoseNothing() throws Exception {
        Application application = insertApplication("busy");
        int threads = 8;
        int perThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        int n = i;
                        if (n % 2 == 0) {
                            storage.envVars().upsert(new EnvVar(id(), application.id(), "K_" + thread + "_" + n, "v", false, NOW, NOW));
                        } else {
                            storage.inTransaction(tx -> {
                                tx.envVars().upsert(new EnvVar(id(), application.id(), "K_" + thread + "_" + n, "v", false, NOW, NOW));
                                return tx.envVars().listByApplication(application.id()).size();
                            });
                        }
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(storage.envVars().listByApplication(application.id())).hasSize(threads * perThread);
    }

    @Test
    void aBackupRestoresToAnEqualDatabase() {
        Application application = insertApplication("saved");
        storage.envVars().upsert(new EnvVar(id(), application.id(), "KEY", "ENC:v1:k:value", true, NOW, NOW));
        Deployment deployment = deployment(application.id(), DeploymentStatus.RUNNING, NOW);
        storage.deployments().insert(deployment);
        storage.settings().put("instance.id", "abc");
        Path backup = directory.resolve("backup.db");
        storage.backup(backup);
        assertThatThrownBy(() -> storage.backup(backup)).isInstanceOf(PloyerException.class);

        Storage restored = openBackup(backup);
        restored.start();
        try {
            assertThat(restored.applications().list()).isEqualTo(storage.applications().list());
            assertThat(restored.envVars().listAll()).isEqualTo(storage.envVars().listAll());
            assertThat(restored.deployments().findById(deployment.id())).contains(deployment);
            assertThat(restored.settings().all()).isEqualTo(storage.settings().all());
        } finally {
            restored.close();
        }
    }

    @Test
    void notificationChannelsKeepTheirConfigurationAndTheirAttemptsGoWithThem() {
        io.ployer.api.notification.NotificationChannel channel = new io.ployer.api.notification.NotificationChannel(id(), "ops",
                "slack", null, java.util.Set.of(io.ployer.api.notification.NotificationEvent.DEPLOYMENT_FAILED,
                io.ployer.api.notification.NotificationEvent.HEALTH_DOWN), Map.of("url", "ENC:v1:opaque", "timeout", "5s"),
                java.util.Set.of("url"), true, NOW, NOW);
        storage.inTransaction(tx -> {
            tx.notifications().insertChannel(channel);
            return null;
        });
        assertThat(storage.notifications().findChannel(channel.id())).contains(channel);
        assertThatThrownBy(() -> storage.inTransaction(tx -> {
            tx.notifications().insertChannel(new io.ployer.api.notification.NotificationChannel(id(), "ops", "discord", null,
                    java.util.Set.of(io.ployer.api.notification.NotificationEvent.BACKUP_FAILED), Map.of(), java.util.Set.of(),
                    true, NOW, NOW));
            return null;
        })).isInstanceOfSatisfying(PloyerException.class, error -> assertThat(error.code()).isEqualTo(StandardErrorCode.CONFLICT));

        io.ployer.api.notification.NotificationChannel changed = new io.ployer.api.notification.NotificationChannel(channel.id(),
                "ops-renamed", "slack", null, java.util.Set.of(io.ployer.api.notification.NotificationEvent.CRASH_LOOP),
                Map.of("url", "ENC:v1:other"), java.util.Set.of("url"), false, NOW, NOW.plusSeconds(1));
        storage.inTransaction(tx -> {
            tx.notifications().updateChannel(changed);
            return null;
        });
        assertThat(storage.notifications().listChannels()).containsExactly(changed);

        for (int attempt = 1; attempt <= 3; attempt++) {
            io.ployer.api.notification.NotificationDelivery delivery = new io.ployer.api.notification.NotificationDelivery(id(), "n1",
                    channel.id(), io.ployer.api.notification.NotificationEvent.CRASH_LOOP, "Application shop is crash-looping",
                    attempt, attempt < 3 ? io.ployer.api.notification.NotificationDelivery.Status.RETRYING
                    : io.ployer.api.notification.NotificationDelivery.Status.DELIVERED, attempt < 3 ? "HTTP 503" : null,
                    attempt < 3 ? NOW.plusSeconds(attempt * 10L) : null, NOW.plusSeconds(attempt * 10L - 10));
            storage.inTransaction(tx -> {
                tx.notifications().insertDelivery(delivery);
                return null;
            });
        }
        assertThat(storage.notifications().listDeliveries(channel.id(), 10)).extracting(
                io.ployer.api.notification.NotificationDelivery::attempt).containsExactly(3, 2, 1);
        assertThat(storage.notifications().listDeliveries(null, 2)).hasSize(2);
        assertThat(storage.notifications().listDeliveries(channel.id(), 10).get(1).error()).isEqualTo("HTTP 503");

        boolean deleted = storage.inTransaction(tx -> tx.notifications().deleteChannel(channel.id()));
        assertThat(deleted).isTrue();
        assertThat(storage.notifications().findChannel(channel.id())).isEmpty();
        assertThat(storage.notifications().listDeliveries(null, 10)).isEmpty();
    }

    @Test
    void previewsKeepTheirRowSettingsAndEnvValuesAndGoWithTheirApplications() {
        Application parent = application("shop");
        Application child = application("shop-pr-2");
        storage.inTransaction(tx -> {
            tx.applications().insert(parent);
            tx.applications().insert(child);
            return null;
        });
        io.ployer.api.preview.PreviewSettings settings = new io.ployer.api.preview.PreviewSettings(parent.id(), true, "pr-{number}.{domain}",
                3, 5, false, "https://api.github.com");
        io.ployer.api.application.EnvVar envVar = new io.ployer.api.application.EnvVar(id(), parent.id(), "API_KEY", "ENC:v1:opaque",
                true, NOW, NOW);
        io.ployer.api.preview.Preview preview = new io.ployer.api.preview.Preview(id(), parent.id(), child.id(), "github", 2, "Fix it",
                "changes", "ec26c3e57ca3a959ca5aad62de7213c562f8c821", false, "o/r", "https://api.github.com", "https://pr-2.shop.test",
                io.ployer.api.preview.PreviewStatus.DEPLOYING, "d-1", null, NOW, NOW);
        storage.inTransaction(tx -> {
            tx.previews().putSettings(settings);
            tx.previews().upsertEnvVar(envVar);
            tx.previews().insert(preview);
            return null;
        });
        assertThat(storage.previews().settings(parent.id())).contains(settings);
        assertThat(storage.previews().envVars(parent.id())).containsExactly(envVar);
        assertThat(storage.previews().find(parent.id(), 2)).contains(preview);
        assertThat(storage.previews().findByDeployment("d-1")).contains(preview);
        io.ployer.api.preview.Preview ready = preview.deploying("34c5c7793cb3b279e22454cb6750c80560547b3a", "Fix it again", "d-2",
                NOW.plusSeconds(60)).withStatus(io.ployer.api.preview.PreviewStatus.READY).withStatusReport("success reported");
        storage.inTransaction(tx -> {
            tx.previews().update(ready);
            return null;
        });
        assertThat(storage.previews().listByApplication(parent.id())).containsExactly(ready);
        assertThat(storage.previews().findByDeployment("d-1")).isEmpty();
        assertThatThrownBy(() -> storage.inTransaction(tx -> {
            tx.previews().insert(new io.ployer.api.preview.Preview(id(), parent.id(), child.id(), "github", 3, null, "x", "abc1234", false,
                    null, null, null, io.ployer.api.preview.PreviewStatus.DEPLOYING, null, null, NOW, NOW));
            return null;
        })).as("one preview per child application").isInstanceOf(PloyerException.class);

        storage.inTransaction(tx -> tx.applications().delete(child.id()));
        assertThat(storage.previews().listAll()).as("a preview goes with its child").isEmpty();
        storage.inTransaction(tx -> tx.applications().delete(parent.id()));
        assertThat(storage.previews().settings(parent.id())).isEmpty();
        assertThat(storage.previews().envVars(parent.id())).isEmpty();
    }

    @Test
    void aWaitingRetryIsKeptUntilForgottenAndOldAttemptsArePruned() {
        io.ployer.api.notification.NotificationChannel channel = new io.ployer.api.notification.NotificationChannel(id(), "ops",
                "webhook", null, java.util.Set.of(io.ployer.api.notification.NotificationEvent.DEPLOYMENT_FAILED), Map.of(),
                java.util.Set.of(), true, NOW, NOW);
        io.ployer.spi.notify.Notification notification = new io.ployer.spi.notify.Notification("n-1",
                io.ployer.api.notification.NotificationEvent.DEPLOYMENT_FAILED, "Deployment of shop failed", "text", "shop", "abc1234",
                java.time.Duration.ofSeconds(42), "the build failed", "https://ployer.example.com/applications/a", NOW);
        io.ployer.spi.storage.PendingNotification pending = new io.ployer.spi.storage.PendingNotification(notification, channel.id(), 2,
                NOW.plusSeconds(30));
        storage.inTransaction(tx -> {
            tx.notifications().insertChannel(channel);
            tx.notifications().putPending(pending);
            tx.notifications().insertDelivery(new io.ployer.api.notification.NotificationDelivery(id(), "n-1", channel.id(),
                    io.ployer.api.notification.NotificationEvent.DEPLOYMENT_FAILED, "old", 1,
                    io.ployer.api.notification.NotificationDelivery.Status.RETRYING, "HTTP 503", NOW.plusSeconds(30), NOW.minusSeconds(3600)));
            tx.notifications().insertDelivery(new io.ployer.api.notification.NotificationDelivery(id(), "n-2", channel.id(),
                    io.ployer.api.notification.NotificationEvent.DEPLOYMENT_FAILED, "new", 1,
                    io.ployer.api.notification.NotificationDelivery.Status.DELIVERED, null, null, NOW));
            return null;
        });
        assertThat(storage.notifications().listPending()).containsExactly(pending);
        io.ployer.spi.storage.PendingNotification later = new io.ployer.spi.storage.PendingNotification(notification, channel.id(), 3,
                NOW.plusSeconds(90));
        storage.inTransaction(tx -> {
            tx.notifications().putPending(later);
            return null;
        });
        assertThat(storage.notifications().listPending()).containsExactly(later);
        int pruned = storage.inTransaction(tx -> tx.notifications().deleteDeliveriesBefore(NOW.minusSeconds(60)));
        assertThat(pruned).isEqualTo(1);
        assertThat(storage.notifications().listDeliveries(channel.id(), 10)).extracting(
                io.ployer.api.notification.NotificationDelivery::subject).containsExactly("new");
        storage.inTransaction(tx -> {
            tx.notifications().deletePending("n-1", channel.id());
            return null;
        });
        assertThat(storage.notifications().listPending()).isEmpty();
    }

    /**
     * Environments of a project and where applications are: an application without a stored
     * placement is in production; a counterpart names its source, and goes with its application.
     */
    @Test
    void storesEnvironmentsAndPlacements() {
        String project = io.ployer.api.access.Project.DEFAULT_ID;
        storage.projects().insertEnvironment(new io.ployer.api.access.Environment(project, "staging", NOW));
        assertThat(storage.projects().environments(project)).extracting(io.ployer.api.access.Environment::name).contains("staging");
        Application web = insertApplication("web");
        Application staging = insertApplication("web-staging");
        assertThat(storage.projects().placement(web.id())).isEmpty();
        assertThat(storage.projects().placements(project, "production"))
                .extracting(io.ployer.api.access.Environment.Placement::applicationId).contains(web.id(), staging.id());
        var placed = new io.ployer.api.access.Environment.Placement(staging.id(), "staging", web.id());
        storage.projects().putPlacement(placed);
        assertThat(storage.projects().placement(staging.id())).contains(placed);
        assertThat(storage.projects().placements(project, "staging")).containsExactly(placed);
        assertThat(storage.projects().placements(project, "production"))
                .extracting(io.ployer.api.access.Environment.Placement::applicationId).doesNotContain(staging.id());
        assertThat(storage.projects().sharingApplications(web.id())).containsExactly(staging.id());
        storage.applications().delete(staging.id());
        assertThat(storage.projects().placement(staging.id())).isEmpty();
        assertThat(storage.projects().placements(project, "staging")).isEmpty();
        assertThat(storage.projects().deleteEnvironment(project, "staging")).isTrue();
        assertThat(storage.projects().deleteEnvironment(project, "staging")).isFalse();
    }
}
