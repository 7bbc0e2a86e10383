package io.ployer.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.engine.DockerCli;
import io.ployer.api.Ployer;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.database.Database;
import io.ployer.api.database.DatabaseEngine;
import io.ployer.api.database.DatabaseSpec;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentLogLine;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.engine.database.DatabaseBackupITAccess;
import io.ployer.testkit.Environment;
import io.ployer.plugin.caddy.testing.CaddyProcess;
import java.nio.charset.StandardCharsets;
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
 * A database link end to end: an application deployed from a local git repository through the normal
 * pipeline reads rows from a linked PostgreSQL over the database's private network (its host name is the
 * database's name, its URL in DATABASE_URL) and serves them; requests go through a real Caddy on loopback.
 */
class DatabaseLinkedAppIT {
    private static final Duration DEPLOY_TIMEOUT = Duration.ofMinutes(3);
    /** A tiny HTTP server in Perl (the test image's Debian has perl and psql): each request runs one query. */
    private static final String SERVER = """
            use strict;
            use IO::Socket::INET;
            $SIG{PIPE} = 'IGNORE';
            $SIG{CHLD} = 'IGNORE';
            my $server = IO::Socket::INET->new(LocalPort => 8080, Listen => 16, ReuseAddr => 1) or die "cannot listen: $!";
            $| = 1;
            print "listening on 8080\\n";
            while (1) {
                my $client = $server->accept or next;
                my $pid = fork();
                if (defined $pid && $pid == 0) {
                    close $server;
                    $SIG{CHLD} = 'DEFAULT'; # the backticks below wait for psql's exit status
                    my $request = <$client>;
                    exit 0 unless defined $request;
                    while (my $line = <$client>) { last if $line =~ /^\\r?\\n$/; }
                    my $rows = `psql "\\$DATABASE_URL" -tA -c 'SELECT label FROM items ORDER BY id' 2>&1`;
                    my $status = $? == 0 ? "200 OK" : "500 Internal Server Error";
                    print $client "HTTP/1.1 $status\\r\\nContent-Type: text/plain\\r\\nContent-Length: " . length($rows)
                        . "\\r\\nConnection: close\\r\\n\\r\\n" . $rows;
                    close $client;
                    exit 0;
                }
                close $client;
            }
            """;

    @TempDir
    static Path shared;
    static CaddyProcess caddy;
    static PipelineFixture fixture;

    @TempDir
    Path data;
    Ployer ployer;
    final List<String> applications = new ArrayList<>();
    String databaseId;

    @BeforeAll
    static void startCaddy() throws Exception {
        Environment.requireDocker();
        DatabaseBackupITAccess.requireImage("ployer-test/postgres:15");
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
    void cleanUp() {
        if (ployer != null) {
            if (databaseId != null) {
                try {
                    ployer.databases().delete(databaseId, true);
                } catch (RuntimeException e) {
                    // best effort
                }
            }
            ployer.close();
        }
        applications.forEach(PipelineFixture::removeEverythingOf);
    }

    @Test
    void anAppFromGitServesRowsOfItsLinkedPostgresThroughCaddy() throws Exception {
        ployer = fixture.builder(data.resolve("engine")).config("databases.image-postgresql", "ployer-test/postgres").build();
        ployer.start();
        String name = "shop-" + UUID.randomUUID().toString().substring(0, 6);
        Database database = ployer.databases().create(new DatabaseSpec(name + "-db", DatabaseEngine.POSTGRESQL, "15", null, false,
                null));
        databaseId = database.id();
        psql(database, "CREATE TABLE items (id int PRIMARY KEY, label text); INSERT INTO items VALUES (1, 'apple'), (2, 'pear');");

        AppRepository repository = AppRepository.create(data.resolve("repo"));
        Files.writeString(data.resolve("repo").resolve("server.pl"), SERVER, StandardCharsets.UTF_8);
        repository.commit("v1", "FROM ployer-test/postgres:15\nCOPY server.pl /app/server.pl\n"
                + "ENTRYPOINT [\"perl\", \"/app/server.pl\"]\nCMD []\n");
        Application application = ployer.applications().create(ApplicationSpec.named(name).withGit(repository.url(), "main")
                .withPort(8080));
        applications.add(application.id());
        ployer.databases().link(application.id(), database.id(), null);

        Deployment deployment = ployer.deployments().awaitCompletion(
                ployer.deployments().deploy(DeploymentRequest.of(application.id())).id(), DEPLOY_TIMEOUT);
        String log = String.join("\n", ployer.deployments().logs(deployment.id()).stream().map(DeploymentLogLine::line).toList());
        assertThat(deployment.status()).as(deployment.failureReason() + "\n" + log).isEqualTo(DeploymentStatus.RUNNING);
        // The deployment log never shows the database password.
        assertThat(log).doesNotContain(passwordOf(database));

        var first = fixture.get(name, "/");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.body().strip()).isEqualTo("apple\npear");

        // Read live over the private network: a row written now is served on the next request.
        psql(database, "INSERT INTO items VALUES (3, 'plum');");
        assertThat(fixture.get(name, "/").body().strip()).isEqualTo("apple\npear\nplum");
        // The app reached it by the database's name on the database's own network, not a published port.
        assertThat(database.publicPort()).isFalse();
        assertThat(DockerCli.run("inspect", "--format", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}",
                PipelineFixture.containersOf(application.id()).get(0).id())).contains("ployer-db-" + name + "-db");
    }

    private static String passwordOf(Database database) throws Exception {
        return DockerCli.run("exec", "ployer-db-" + database.name(), "sh", "-c", "printf %s \"$POSTGRES_PASSWORD\"");
    }

    private static String psql(Database database, String sql) throws Exception {
        return DockerCli.run("exec", "ployer-db-" + database.name(), "psql", "-U", database.username(), "-d", database.databaseName(),
                "-tAc", sql);
    }
}
