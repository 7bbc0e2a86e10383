package io.ployer.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.engine.DockerCli;
import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.Application;
import io.ployer.api.database.Database;
import io.ployer.api.database.DatabaseEngine;
import io.ployer.api.database.DatabaseStatus;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentLogLine;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.template.ServiceTemplate;
import io.ployer.api.template.TemplateInstance;
import io.ployer.api.template.TemplateRequest;
import io.ployer.engine.database.DatabaseBackupITAccess;
import io.ployer.testkit.Environment;
import io.ployer.plugin.caddy.testing.CaddyProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One-click services for real: the bundled {@code cached-site} template becomes a Redis database and a
 * static file server deployed through the pipeline, linked to it, with a generated secret, served
 * through Caddy on loopback; a template dropped into the data directory is instantiated without code.
 */
class TemplateInstantiationIT {
    private static final Duration DEPLOY_TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path shared;
    static CaddyProcess caddy;
    static PipelineFixture fixture;

    @TempDir
    Path data;
    Ployer ployer;
    final List<String> applications = new ArrayList<>();
    final List<String> databases = new ArrayList<>();

    @BeforeAll
    static void startCaddy() throws Exception {
        Environment.requireDocker();
        DatabaseBackupITAccess.requireImage("ployer-test/redis:7");
        DatabaseBackupITAccess.requireImage("ployer/caddy-static:latest");
        caddy = CaddyProcess.start(shared.resolve("caddy"));
        fixture = new PipelineFixture(caddy);
    }

    @AfterAll
    static void stopCaddy() {
        if (caddy != null) {
            caddy.close();
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (ployer != null) {
            for (String id : databases) {
                try {
                    ployer.databases().delete(id, true);
                } catch (RuntimeException e) {
                    // best effort
                }
            }
            for (String id : applications) {
                try {
                    ployer.volumes().deleteApplication(id, true);
                } catch (RuntimeException e) {
                    // best effort
                }
            }
            ployer.close();
        }
        applications.forEach(PipelineFixture::removeEverythingOf);
    }

    @Test
    void theCachedSiteTemplateRunsAStaticServerLinkedToRedisWithAGeneratedSecret() throws Exception {
        Path templates = data.resolve("engine").resolve("templates");
        Files.createDirectories(templates);
        // A template of the admin's own: data only.
        Files.writeString(templates.resolve("sql-only.yaml"), """
                x-ployer-template:
                  title: Just PostgreSQL
                services:
                  main:
                    image: postgres:15
                    x-ployer-database: postgresql
                """);
        ployer = fixture.builder(data.resolve("engine")).config("databases.image-redis", "ployer-test/redis")
                .config("databases.image-postgresql", "ployer-test/postgres").build();
        ployer.start();
        assertThat(ployer.templates().list()).extracting(ServiceTemplate::name)
                .contains("static-files", "key-value", "postgres", "cached-site", "sql-only");
        assertThat(ployer.templates().get("cached-site").secrets()).containsExactly("SESSION_SECRET");
        assertThatThrownBy(() -> ployer.templates().instantiate("no-such-template", new TemplateRequest("x", null)))
                .isInstanceOfSatisfying(PloyerException.class, error -> assertThat(error.code()).isEqualTo(StandardErrorCode.NOT_FOUND));

        String name = "site-" + UUID.randomUUID().toString().substring(0, 6);
        TemplateInstance instance = ployer.templates().instantiate("cached-site", new TemplateRequest(name, null));
        instance.databases().forEach(database -> databases.add(database.id()));
        instance.applications().forEach(application -> applications.add(application.id()));
        assertThat(instance.databases()).singleElement().satisfies(database -> {
            assertThat(database.name()).isEqualTo(name + "-cache");
            assertThat(database.engine()).isEqualTo(DatabaseEngine.REDIS);
            assertThat(database.status()).isEqualTo(DatabaseStatus.RUNNING);
        });
        Application web = instance.applications().get(0);
        assertThat(web.name()).isEqualTo(name + "-web");
        Deployment deployment = ployer.deployments().awaitCompletion(instance.deployments().get(0), DEPLOY_TIMEOUT);
        String log = String.join("\n", ployer.deployments().logs(deployment.id()).stream().map(DeploymentLogLine::line).toList());
        assertThat(deployment.status()).as(deployment.failureReason() + "\n" + log).isEqualTo(DeploymentStatus.RUNNING);

        var page = fixture.get(web.name(), "/");
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        String container = PipelineFixture.containersOf(web.id()).get(0).id();
        String environment = DockerCli.run("inspect", "--format", "{{range .Config.Env}}{{println .}}{{end}}", container);
        assertThat(environment).containsPattern("(?m)^SESSION_SECRET=[0-9a-f]{48}$").contains("SITE_NAME=cached-site")
                .contains("CACHE_URL=redis://").contains("CACHE_HOST=" + name + "-cache");
        assertThat(ployer.volumes().volumes(web.id())).extracting(volume -> volume.containerPath()).containsExactly("/srv");
        // The secret is a secret variable: masked in listings.
        assertThat(ployer.applications().envVars(web.id())).filteredOn(variable -> variable.key().equals("SESSION_SECRET"))
                .singleElement().satisfies(variable -> assertThat(variable.value()).doesNotMatch("[0-9a-f]{48}"));

        TemplateInstance own = ployer.templates().instantiate("sql-only", new TemplateRequest(name + "-sql", null));
        own.databases().forEach(database -> databases.add(database.id()));
        assertThat(own.databases()).extracting(Database::status).containsExactly(DatabaseStatus.RUNNING);
    }
}
