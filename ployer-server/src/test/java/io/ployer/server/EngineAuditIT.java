package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ployer.api.Ployer;
import io.ployer.api.access.ProjectRole;
import io.ployer.api.account.AccountService;
import io.ployer.api.account.AccountService.Principal;
import io.ployer.api.account.ApiKeyScope;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.audit.AuditEntry;
import io.ployer.api.audit.AuditQuery;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.deployment.DeploymentTrigger;
import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.api.container.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.testkit.Environment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log is written by the engine, not by the REST server: an embedder acting through
 * {@code ployer.as(principal, address)} with no HTTP anywhere gets an entry for every write of a
 * full flow (deploy, rollback, cancel, env change, member change, login, failed login, key created
 * and revoked, setting changed) with who and from where, and no secret value in any entry or row.
 */
class EngineAuditIT {
    private static final String ENV_SECRET = "env-secret-engine-91af";
    private static final String GIT_TOKEN = "ghp_engineaudit0123456789";
    private static final String PASSWORD = "owner-password-7712";
    private static final String WRONG_PASSWORD = "wrong-password-3391";
    private static final String MEMBER_PASSWORD = "member-password-5520";

    @TempDir
    Path data;

    @Test
    void everyWriteOfAnEmbeddersFullFlowIsRecordedWithoutASecret() throws Exception {
        Environment.requireDocker();
        Path repository = data.resolve("repo");
        try (Git git = Git.init().setDirectory(repository.toFile()).setInitialBranch("main").call()) {
            Files.writeString(repository.resolve("Dockerfile"), "FROM ployer/busybox:latest\nRUN sleep 2\n"
                    + "CMD [\"sh\", \"-c\", \"mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www\"]\n");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("audit").setAuthor("Ada", "ada@example.com").setCommitter("Ada", "ada@example.com").call();
        }
        List<String> secrets = new ArrayList<>(List.of(ENV_SECRET, GIT_TOKEN, PASSWORD, WRONG_PASSWORD, MEMBER_PASSWORD));
        String applicationId = null;
        try (Ployer ployer = Ployer.builder().dataDirectory(data.resolve("engine")).config("git.allow-file-urls", "true")
                .config("databases.enabled", "true").build()) {
            ployer.start();
            AccountService accounts = ployer.accounts();
            String ownerId = accounts.register("owner@example.com", PASSWORD).id();
            assertThat(catchThrowable(() -> accounts.login("owner@example.com", WRONG_PASSWORD, "10.9.8.7"))).isNotNull();
            AccountService.IssuedToken login = accounts.login("owner@example.com", PASSWORD, "10.9.8.7");
            secrets.add(login.token());
            Principal owner = accounts.authenticate(login.token()).orElseThrow();
            Ployer view = ployer.as(owner, "10.9.8.7");

            accounts.setRegistrationOpen(ownerId, true);
            String memberId = accounts.register("member@example.com", MEMBER_PASSWORD).id();
            view.projects().create("alpha", "Alpha");
            view.projects().setMember("alpha", memberId, ProjectRole.DEVELOPER);
            view.projects().removeMember("alpha", memberId);
            AccountService.IssuedApiKey key = accounts.createApiKey(ownerId, "ci", Set.of(ApiKeyScope.READ));
            secrets.add(key.key());
            accounts.revokeApiKey(ownerId, key.apiKey().id());

            Application app = view.applications().create(ApplicationSpec.named("audited").withGit(repository.toUri().toString(), "main")
                    .inProject("alpha"));
            applicationId = app.id();
            view.applications().setEnvVar(app.id(), "DB_PASSWORD", ENV_SECRET, false);
            view.applications().setGitToken(app.id(), GIT_TOKEN);
            view.applications().clearGitToken(app.id()); // a file:// repository needs none
            Deployment first = view.deployments().deploy(new DeploymentRequest(app.id(), DeploymentTrigger.MANUAL, null));
            assertThat(view.deployments().awaitCompletion(first.id(), Duration.ofMinutes(3)).status()).isEqualTo(DeploymentStatus.RUNNING);
            Deployment second = view.deployments().deploy(new DeploymentRequest(app.id(), DeploymentTrigger.MANUAL, null));
            assertThat(view.deployments().awaitCompletion(second.id(), Duration.ofMinutes(3)).status()).isEqualTo(DeploymentStatus.RUNNING);
            Deployment rollback = view.deployments().rollback(first.id());
            assertThat(view.deployments().awaitCompletion(rollback.id(), Duration.ofMinutes(3)).status()).isEqualTo(DeploymentStatus.RUNNING);
            Deployment third = view.deployments().deploy(new DeploymentRequest(app.id(), DeploymentTrigger.MANUAL, null));
            view.deployments().cancel(third.id());
            view.deployments().awaitCompletion(third.id(), Duration.ofMinutes(3));
            view.applications().deleteEnvVar(app.id(), "DB_PASSWORD");
            String hostVolume = "ployer-audit-" + Long.toHexString(System.nanoTime());
            view.containers().createVolume(hostVolume); // the host's resources, as an instance admin
            view.containers().removeVolume(hostVolume);
            String registry = view.registries().create(new io.ployer.api.registry.RegistrySpec("https://registry.example.com",
                    "robot", "registry-password-4471")).id();
            secrets.add("registry-password-4471");
            view.registries().delete(registry);
            String destination = view.databases().createDestination(new io.ployer.api.database.BackupDestinationSpec("offsite",
                    io.ployer.api.database.BackupDestination.Kind.LOCAL, data.resolve("backups").toString(), null, null, null, null,
                    null, null)).id();
            view.databases().deleteDestination(destination);

            List<AuditEntry> entries = ployer.audit().list(new AuditQuery(null, null, null, null, null, null, null, 0, 10_000));
            List<String> actions = entries.stream().map(AuditEntry::action).toList();
            assertThat(actions).contains("register", "login.failed", "login", "settings.registration", "project.created",
                    "member.set", "member.removed", "api-key.created", "api-key.revoked", "application.created", "env.set",
                    "git-token.set", "git-token.cleared", "deploy", "rollback", "cancel", "env.deleted", "volume.created", "volume.deleted", "registry.created", "registry.deleted",
                    "backup-destination.created", "backup-destination.deleted");
            AuditEntry deploy = entries.stream().filter(entry -> entry.action().equals("deploy")).findFirst().orElseThrow();
            assertThat(deploy.actor()).isEqualTo("owner@example.com");
            assertThat(deploy.actorUserId()).isEqualTo(ownerId);
            assertThat(deploy.clientAddress()).isEqualTo("10.9.8.7");
            assertThat(deploy.projectId()).isEqualTo("alpha");
            AuditEntry rolledBack = entries.stream().filter(entry -> entry.action().equals("rollback")).findFirst().orElseThrow();
            assertThat(rolledBack.resourceId()).isEqualTo(rollback.id());
            assertThat(rolledBack.change()).containsEntry("to_deployment_id", first.id());
            AuditEntry failed = entries.stream().filter(entry -> entry.action().equals("login.failed")).findFirst().orElseThrow();
            assertThat(failed.actor()).isEqualTo("anonymous");
            assertThat(failed.clientAddress()).isEqualTo("10.9.8.7");
            assertThat(failed.change()).containsEntry("email", "owner@example.com");
            AuditEntry env = entries.stream().filter(entry -> entry.action().equals("env.set")).findFirst().orElseThrow();
            assertThat(env.change()).containsEntry("key", "DB_PASSWORD").containsEntry("value", "********");

            // The grep test: no secret in any entry, nor in any column of any row of the audit table.
            for (AuditEntry entry : entries) {
                String all = entry + " " + entry.change();
                for (String secret : secrets) {
                    assertThat(all).as("an audit entry must not hold a secret").doesNotContain(secret);
                }
            }
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("engine/ployer.db"));
                 var rows = connection.createStatement().executeQuery("SELECT * FROM audit_log")) {
                int columns = rows.getMetaData().getColumnCount();
                int count = 0;
                while (rows.next()) {
                    count++;
                    for (int column = 1; column <= columns; column++) {
                        String value = rows.getString(column);
                        for (String secret : secrets) {
                            assertThat(value == null ? "" : value).doesNotContain(secret);
                        }
                    }
                }
                assertThat(count).isEqualTo(entries.size());
            }
        } finally {
            removeContainersOf(applicationId);
        }
    }

    private static void removeContainersOf(String applicationId) {
        if (applicationId == null) {
            return;
        }
        try (ContainerRuntime docker = ServiceLoader.load(PloyerPlugin.class).stream().map(ServiceLoader.Provider::get)
                .flatMap(plugin -> plugin.containerRuntimeFactories().stream()).findFirst().orElseThrow()
                .create(Map.of(), new PluginContext() {
                })) {
            for (ContainerInfo container : docker.listContainers(Map.of(ContainerRuntime.LABEL_APP, applicationId), true)) {
                docker.removeContainer(container.id(), true);
            }
        }
    }
}
