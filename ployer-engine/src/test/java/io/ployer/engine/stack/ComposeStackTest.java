package io.ployer.engine.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.PloyerException;
import io.ployer.engine.compose.ComposeFile;
import io.ployer.engine.compose.ComposeFile.Condition;
import io.ployer.engine.compose.ComposeParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The logic of a stack deploy that needs no container engine: order, awaited conditions, environment, paths. */
class ComposeStackTest {
    static final ComposeFile FILE = ComposeParser.parse("""
            services:
              web:
                image: web
                depends_on:
                  worker: {condition: service_started}
                  store: {condition: service_healthy}
              worker:
                image: worker
                depends_on: [store, migrate]
              migrate:
                image: migrate
                depends_on:
                  store: {condition: service_healthy}
              store:
                image: store
            """, "compose.yaml");

    @Test
    void servicesStartAfterWhatTheyDependOnAndInTheFilesOrderOtherwise() {
        assertThat(ComposeStack.startOrder(FILE)).containsExactly("store", "migrate", "worker", "web");
    }

    @Test
    void eachServiceIsAwaitedForTheStrongestConditionItsDependantsAskFor() {
        assertThat(ComposeStack.awaitedConditions(FILE)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "store", Condition.SERVICE_HEALTHY, "worker", Condition.SERVICE_STARTED, "migrate", Condition.SERVICE_STARTED));
    }

    @Test
    void theAppsEnvReachesEveryServiceAndWinsOverTheFile(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("common.env"), "# comment\nFROM_FILE=file\nOVERRIDDEN=file\nQUOTED=\"a b\"\n\n");
        ComposeFile file = ComposeParser.parse("""
                services:
                  web:
                    image: web
                    env_file: common.env
                    environment:
                      OVERRIDDEN: environment
                      BARE:
                      SHARED: file
                """, "compose.yaml");

        Map<String, String> environment = ServiceSpecs.environment(file.services().get("web"), root, root,
                Map.of("BARE", "from-app", "SHARED", "app", "APP_ONLY", "app"));

        assertThat(environment).containsExactlyInAnyOrderEntriesOf(Map.of("FROM_FILE", "file", "OVERRIDDEN", "environment",
                "QUOTED", "a b", "BARE", "from-app", "SHARED", "app", "APP_ONLY", "app"));
    }

    @Test
    void pathsNeverLeaveTheRepository(@TempDir Path root) throws Exception {
        assertThatThrownBy(() -> StackPaths.inside(root, root, "../outside", "services.web.build.context"))
                .isInstanceOf(PloyerException.class).hasMessage("services.web.build.context '../outside' leads out of the repository");
        assertThatThrownBy(() -> StackPaths.relative("/etc/compose.yaml", "build_config.compose_file"))
                .isInstanceOfSatisfying(PloyerException.class, e -> assertThat(e.field()).hasValue("build_config.compose_file"));
        assertThatThrownBy(() -> StackPaths.composeFile(root, null)).hasMessageContaining("compose.yaml, compose.yml");
        Files.writeString(root.resolve("docker-compose.yml"), "services: {}");
        assertThat(StackPaths.composeFile(root, null)).isEqualTo(root.resolve("docker-compose.yml"));
        Files.createDirectories(root.resolve("deploy"));
        Files.writeString(root.resolve("deploy/stack.yaml"), "services: {}");
        assertThat(StackPaths.composeFile(root, "deploy/stack.yaml")).isEqualTo(root.resolve("deploy/stack.yaml"));
    }
}
