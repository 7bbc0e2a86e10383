package io.ployer.engine.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.engine.compose.ComposeFile.Condition;
import io.ployer.engine.compose.ComposeFile.Mount;
import io.ployer.engine.compose.ComposeFile.Service;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Compose parser on realistic files (a web app with a worker and a queue, WordPress on MariaDB,
 * Rails on Postgres; shaped like the published examples) and on bad ones: every unsupported key
 * is an error naming its path and line.
 */
class ComposeParserTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = ComposeParserTest.class.getResourceAsStream("/compose/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static PloyerException failure(String yaml) {
        try {
            ComposeParser.parse(yaml, "compose.yaml");
        } catch (PloyerException e) {
            assertThat(e.code()).isEqualTo(StandardErrorCode.INVALID_ARGUMENT);
            assertThat(e.field()).hasValue(ComposeParser.FIELD);
            return e;
        }
        throw new AssertionError("parsed without an error:\n" + yaml);
    }

    @Test
    void readsAWebAppWithAWorkerAndAQueue() throws IOException {
        ComposeFile file = ComposeParser.parse(resource("web-worker-queue.yaml"), "compose.yaml");

        assertThat(file.services()).containsOnlyKeys("web", "worker", "queue");
        assertThat(file.services().keySet()).containsExactly("web", "worker", "queue");
        Service web = file.services().get("web");
        assertThat(web.build().context()).isEqualTo(".");
        assertThat(web.build().dockerfile()).isEqualTo("docker/app.Dockerfile");
        assertThat(web.build().args()).containsExactly(Map.entry("NODE_VERSION", "20"));
        Map<String, String> environment = new HashMap<>();
        environment.put("REDIS_URL", "redis://queue:6379/0");
        environment.put("LOG_LEVEL", "info");
        environment.put("SECRET_KEY_BASE", null);
        assertThat(web.environment()).isEqualTo(environment);
        assertThat(web.command()).containsExactly("node", "server.js", "--port", "3000");
        assertThat(web.ports()).containsExactly("3000:3000");
        assertThat(web.expose()).containsExactly(3000);
        assertThat(web.dependsOn()).containsExactly(Map.entry("queue", Condition.SERVICE_HEALTHY));
        assertThat(web.healthcheck().test()).containsExactly("CMD-SHELL", "curl -fsS http://localhost:3000/health || exit 1");
        assertThat(web.healthcheck().interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(web.healthcheck().timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(web.healthcheck().retries()).isEqualTo(5);
        assertThat(web.healthcheck().startPeriod()).isEqualTo(Duration.ofSeconds(90));
        assertThat(web.labels()).containsExactly(Map.entry("com.example.role", "web"));
        assertThat(web.limits().cpus()).isEqualTo(0.5);
        assertThat(web.limits().memoryBytes()).isEqualTo(512L * 1024 * 1024);
        assertThat(web.limits().pids()).isEqualTo(200L);
        assertThat(web.restart()).isEqualTo("unless-stopped");
        assertThat(web.networks()).containsExactly("backend", "frontend");

        Service worker = file.services().get("worker");
        assertThat(worker.build()).isEqualTo(web.build());
        assertThat(worker.command()).containsExactly("node", "worker.js", "--queue", "default mail");
        assertThat(worker.envFiles()).containsExactly(".env", "worker.env");
        assertThat(worker.dependsOn()).containsExactly(Map.entry("queue", Condition.SERVICE_STARTED));
        assertThat(worker.restart()).isEqualTo("on-failure:5");
        assertThat(worker.networks()).containsExactly("backend");
        assertThat(worker.ports()).isEmpty();
        assertThat(worker.healthcheck()).isNull();

        Service queue = file.services().get("queue");
        assertThat(queue.image()).isEqualTo("redis:7.2-alpine");
        assertThat(queue.build()).isNull();
        assertThat(queue.entrypoint()).containsExactly("redis-server");
        assertThat(queue.command()).containsExactly("--appendonly", "yes");
        assertThat(queue.volumes()).containsExactly(new Mount(Mount.Kind.VOLUME, "queue-data", "/data", false));
        assertThat(queue.healthcheck().test()).containsExactly("CMD", "redis-cli", "ping");

        assertThat(file.volumes()).containsOnlyKeys("queue-data");
        assertThat(file.networks()).containsOnlyKeys("backend", "frontend");
        assertThat(file.warnings()).containsExactly("compose.yaml line 21: services.web.ports are ignored; Ployer publishes no ports"
                + " and routes domains to a service's port through its proxy.");
    }

    @Test
    void readsWordPressOnMariaDb() throws IOException {
        ComposeFile file = ComposeParser.parse(resource("wordpress.yaml"), "docker-compose.yml");

        Service db = file.services().get("db");
        assertThat(db.command()).containsExactly("--default-authentication-plugin=mysql_native_password");
        assertThat(db.environment()).containsEntry("MYSQL_DATABASE", "wordpress").hasSize(4);
        assertThat(db.expose()).containsExactly(3306, 33060);
        assertThat(db.restart()).isEqualTo("always");
        Service wordpress = file.services().get("wordpress");
        assertThat(wordpress.volumes()).containsExactly(new Mount(Mount.Kind.VOLUME, "wp_data", "/var/www/html", false),
                new Mount(Mount.Kind.BIND, "./uploads.ini", "/usr/local/etc/php/conf.d/uploads.ini", true));
        assertThat(wordpress.environment()).containsEntry("WORDPRESS_DB_HOST", "db");
        assertThat(wordpress.dependsOn()).containsOnlyKeys("db");
        assertThat(file.warnings()).hasSize(2);
        assertThat(file.warnings().get(0)).isEqualTo("docker-compose.yml line 1: version is obsolete and ignored.");
    }

    @Test
    void readsRailsOnPostgres() throws IOException {
        ComposeFile file = ComposeParser.parse(resource("rails-postgres.yaml"), "compose.yaml");

        Service web = file.services().get("web");
        assertThat(web.build().context()).isEqualTo(".");
        assertThat(web.build().dockerfile()).isEqualTo("Dockerfile");
        assertThat(web.command()).containsExactly("bash", "-c",
                "rm -f tmp/pids/server.pid && bundle exec rails s -p 3000 -b '0.0.0.0'");
        assertThat(web.volumes()).containsExactly(new Mount(Mount.Kind.BIND, ".", "/myapp", true),
                new Mount(Mount.Kind.ANONYMOUS, null, "/myapp/tmp", false));
        assertThat(web.ports()).containsExactly("target=3000,published=3000");
        assertThat(web.environment()).containsEntry("RAILS_ENV", null).containsKey("DATABASE_URL");
        assertThat(web.dependsOn()).containsExactly(Map.entry("db", Condition.SERVICE_HEALTHY));
        Service db = file.services().get("db");
        assertThat(db.restart()).isEqualTo("no");
        assertThat(db.healthcheck().test()).containsExactly("CMD-SHELL", "pg_isready -U postgres");
        assertThat(db.healthcheck().interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(file.volumes().get("db_data").labels()).containsExactly(Map.entry("com.example.backup", "daily"));
    }

    @Test
    void aPublishedExampleWithSecretsNamesTheKeyAndItsLine() {
        // Shaped like the published examples that pass a database password as a Compose secret.
        String yaml = """
                services:
                  backend:
                    build:
                      context: backend
                    depends_on:
                      db:
                        condition: service_healthy
                    secrets:
                      - db-password
                  db:
                    image: postgres
                    restart: always
                """;
        assertThat(failure(yaml).getMessage()).isEqualTo("compose.yaml line 8: services.backend.secrets is not supported by Ployer"
                + " (supported here: build, command, depends_on, deploy, entrypoint, env_file, environment, expose, healthcheck,"
                + " image, labels, networks, ports, restart, volumes).");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            build target          | services:\\n  web:\\n    build:\\n      context: .\\n      target: dev\\n | compose.yaml line 5: services.web.build.target is not supported by Ployer (supported here: args, context, dockerfile).
            top-level secrets     | services:\\n  web:\\n    image: nginx\\nsecrets:\\n  pw:\\n    file: pw.txt\\n | compose.yaml line 4: secrets is not supported by Ployer (supported here: name, networks, services, version, volumes).
            privileged            | services:\\n  web:\\n    image: nginx\\n    privileged: true\\n | compose.yaml line 4: services.web.privileged is not supported by Ployer (supported here: build, command, depends_on, deploy, entrypoint, env_file, environment, expose, healthcheck, image, labels, networks, ports, restart, volumes).
            deploy replicas       | services:\\n  web:\\n    image: nginx\\n    deploy:\\n      replicas: 2\\n | compose.yaml line 5: services.web.deploy.replicas is not supported by Ployer (supported here: resources).
            reservations          | services:\\n  web:\\n    image: nginx\\n    deploy:\\n      resources:\\n        reservations:\\n          memory: 1g\\n | compose.yaml line 6: services.web.deploy.resources.reservations is not supported by Ployer (supported here: limits).
            depends_on restart    | services:\\n  web:\\n    image: nginx\\n    depends_on:\\n      db:\\n        restart: true\\n  db:\\n    image: postgres\\n | compose.yaml line 6: services.web.depends_on.db.restart is not supported by Ployer (supported here: condition).
            network aliases       | services:\\n  web:\\n    image: nginx\\n    networks:\\n      back:\\n        aliases: [www]\\nnetworks:\\n  back:\\n | compose.yaml line 6: services.web.networks.back.aliases is not supported by Ployer.
            long volume nocopy    | services:\\n  web:\\n    image: nginx\\n    volumes:\\n      - type: volume\\n        source: data\\n        target: /data\\n        volume:\\n          nocopy: true\\nvolumes:\\n  data:\\n | compose.yaml line 8: services.web.volumes[0].volume is not supported by Ployer (supported here: read_only, source, target, type).
            undeclared volume     | services:\\n  web:\\n    image: nginx\\n    volumes:\\n      - data:/data\\n | compose.yaml line 5: services.web.volumes[0] names the volume data, which the top-level volumes do not declare.
            undeclared network    | services:\\n  web:\\n    image: nginx\\n    networks: [back]\\n | compose.yaml line 4: services.web.networks names the network back, which the top-level networks do not declare.
            unknown dependency    | services:\\n  web:\\n    image: nginx\\n    depends_on: [db]\\n | compose.yaml line 4: services.web.depends_on names db, which is not a service of this file.
            dependency cycle      | services:\\n  a:\\n    image: x\\n    depends_on: [b]\\n  b:\\n    image: x\\n    depends_on: [a]\\n | compose.yaml line 2: services.a.depends_on makes a cycle: a → b → a.
            bad condition         | services:\\n  web:\\n    image: nginx\\n    depends_on:\\n      db:\\n        condition: healthy\\n  db:\\n    image: x\\n | compose.yaml line 6: services.web.depends_on.db.condition 'healthy' is not one of service_started, service_healthy, service_completed_successfully.
            no image nor build    | services:\\n  web:\\n    restart: always\\n | compose.yaml line 2: services.web needs an image or a build.
            no services           | volumes:\\n  data:\\n | compose.yaml declares no services.
            bad duration          | services:\\n  web:\\n    image: nginx\\n    healthcheck:\\n      test: [CMD, true]\\n      interval: 10 seconds\\n | compose.yaml line 6: services.web.healthcheck.interval must be a duration such as 30s, 1m30s or 500ms, not '10 seconds'.
            bad test              | services:\\n  web:\\n    image: nginx\\n    healthcheck:\\n      test: [curl, localhost]\\n | compose.yaml line 5: services.web.healthcheck.test must start with CMD, CMD-SHELL or NONE.
            bad memory            | services:\\n  web:\\n    image: nginx\\n    deploy:\\n      resources:\\n        limits:\\n          memory: lots\\n | compose.yaml line 7: services.web.deploy.resources.limits.memory must be a size such as 512m or 1g, not 'lots'.
            bad restart           | services:\\n  web:\\n    image: nginx\\n    restart: sometimes\\n | compose.yaml line 4: services.web.restart 'sometimes' is not one of no, always, on-failure[:N], unless-stopped.
            bad expose            | services:\\n  web:\\n    image: nginx\\n    expose: [http]\\n | compose.yaml line 4: services.web.expose[0] must be a TCP port from 1 to 65535, not 'http'.
            duplicate key         | services:\\n  web:\\n    image: nginx\\n    image: httpd\\n | compose.yaml line 4: services.web.image is given twice.
            services a list       | services:\\n  - web\\n | compose.yaml line 2: services must be a mapping (key: value lines).
            relative target       | services:\\n  web:\\n    image: nginx\\n    volumes: ['./site:html']\\n | compose.yaml line 4: services.web.volumes[0]: the container path must be absolute, not 'html'.
            bad service name      | services:\\n  'my web':\\n    image: nginx\\n | compose.yaml line 2: services.my web: a service name is letters, digits, '_', '.' and '-', starting with a letter or digit.
            network driver        | services:\\n  web:\\n    image: nginx\\nnetworks:\\n  overlaid:\\n    driver: overlay\\n | compose.yaml line 6: networks.overlaid.driver 'overlay' is not supported (only bridge).
            unclosed quote        | services:\\n  web:\\n    image: nginx\\n    command: sh -c "echo hi\\n | compose.yaml line 4: services.web.command has an unclosed " quote.
            """)
    void badFilesNameTheKeyAndTheLine(String name, String yaml, String message) {
        assertThat(failure(yaml.replace("\\n", "\n")).getMessage()).as(name).isEqualTo(message);
    }

    @Test
    void malformedYamlNamesTheLine() {
        String message = failure("services:\n  web:\n    image: nginx\n   command: [unclosed\n").getMessage();
        assertThat(message).startsWith("compose.yaml line ").contains("this is not valid YAML");
        assertThat(failure("services:\n\tweb:\n").getMessage()).startsWith("compose.yaml line 2: this is not valid YAML");
        assertThat(failure("").getMessage()).isEqualTo("compose.yaml is empty.");
        assertThat(failure("just a string").getMessage()).isEqualTo("compose.yaml line 1: the file must be a mapping (key: value lines).");
    }

    @Test
    void aliasBombsAndLocalTagsAreRefused() {
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            char previous = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [*").append(previous).append(", *").append(previous).append(", *")
                    .append(previous).append(", *").append(previous).append(", *").append(previous).append(", *").append(previous)
                    .append("]\n");
        }
        bomb.append("services:\n  web:\n    image: nginx\n");
        assertThat(failure(bomb.toString()).getMessage()).contains("this is not valid YAML");
        assertThat(failure("services:\n  web:\n    image: !!java.lang.Runtime nginx\n").getMessage())
                .isEqualTo("compose.yaml line 3: this is not valid YAML (Global tag is not allowed: tag:yaml.org,2002:java.lang.Runtime).");
        assertThat(failure("services:\n  web:\n    image: !custom nginx\n").getMessage()).startsWith("compose.yaml line 3:")
                .contains("!custom");
    }

    @Test
    void extensionKeysAreAllowedEverywhere() {
        ComposeFile file = ComposeParser.parse("""
                x-defaults: {restart: always}
                services:
                  x-shared: {image: nothing}
                  web:
                    image: nginx
                    x-note: served by Ployer
                """, "compose.yaml");
        assertThat(file.services()).containsOnlyKeys("web");
        assertThat(file.warnings()).isEmpty();
        assertThat(file.services().get("web").volumes()).isEqualTo(List.of());
    }

    @Test
    void variablesInValuesComeFromTheApplicationsEnvironment() {
        ComposeFile file = ComposeParser.parse("""
                services:
                  web:
                    image: "registry.local/web:${TAG}"
                    environment:
                      URL: "redis://${REDIS_HOST:-queue}:6379/${DB-0}"
                      EMPTY_DEFAULT: "${BLANK:-fallback}|${BLANK-kept}"
                      LITERAL: "$$HOME and $$$${TAG}"
                      SHORT: $TAG-suffix
                      PLUS: "${TAG:+set}${NOPE:+unset}"
                    command: ["echo", "${UNSET}"]
                    deploy:
                      resources:
                        limits:
                          memory: ${MEMORY:-64m}
                """, "compose.yaml", Map.of("TAG", "v7", "BLANK", ""));
        // Keys are never interpolated: a ${…} key is refused as a name.
        assertThat(assertThrows(() -> ComposeParser.parse("services:\n  web:\n    image: x\n    environment:\n      ${K}: v\n",
                "compose.yaml", Map.of("K", "KEY"))).getMessage()).startsWith("compose.yaml line 5: services.web.environment.${K}:");

        Service web = file.services().get("web");
        assertThat(web.image()).isEqualTo("registry.local/web:v7");
        assertThat(web.environment()).containsEntry("URL", "redis://queue:6379/0")
                .containsEntry("EMPTY_DEFAULT", "fallback|")
                .containsEntry("LITERAL", "$HOME and $${TAG}")
                .containsEntry("SHORT", "v7-suffix")
                .containsEntry("PLUS", "set");
        assertThat(web.command()).containsExactly("echo", "");
        assertThat(web.limits().memoryBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(file.warnings()).containsExactly("compose.yaml line 10: services.web.command[1] uses the variable UNSET, "
                + "which the application's environment does not set (empty).");
        // Without variables the file is read as written.
        assertThat(ComposeParser.parse("services:\n  web:\n    image: x:${TAG}\n", "compose.yaml").services().get("web").image())
                .isEqualTo("x:${TAG}");
    }

    @Test
    void aRequiredOrMalformedVariableIsAnErrorNamingTheLineNeverAValue() {
        PloyerException required = assertThrows(() -> ComposeParser.parse("""
                services:
                  web:
                    image: nginx
                    environment:
                      SECRET: ${API_TOKEN:?set it in Ployer}
                """, "compose.yaml", Map.of("OTHER", "s3cr3t")));
        assertThat(required.getMessage()).isEqualTo("compose.yaml line 5: services.web.environment.SECRET needs the variable "
                + "API_TOKEN (set it in Ployer), which the application's environment does not set.");
        PloyerException unclosed = assertThrows(() -> ComposeParser.parse("services:\n  web:\n    image: \"x:${TAG\"\n",
                "compose.yaml", Map.of()));
        assertThat(unclosed.getMessage()).isEqualTo("compose.yaml line 3: services.web.image has a ${ without its closing }.");
        PloyerException operator = assertThrows(() -> ComposeParser.parse("services:\n  web:\n    image: \"${TAG/x}\"\n",
                "compose.yaml", Map.of("TAG", "s3cr3t")));
        assertThat(operator.getMessage()).startsWith("compose.yaml line 3: services.web.image has ${TAG/x}").doesNotContain("s3cr3t");
    }

    private static PloyerException assertThrows(Runnable parse) {
        try {
            parse.run();
        } catch (PloyerException e) {
            assertThat(e.code()).isEqualTo(StandardErrorCode.INVALID_ARGUMENT);
            assertThat(e.field()).hasValue(ComposeParser.FIELD);
            return e;
        }
        throw new AssertionError("parsed without an error");
    }
}
